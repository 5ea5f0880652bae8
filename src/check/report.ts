/**
 * The result of `memdesc check` as data — what `--json` prints and what the
 * text renderer reads. Its zod schema is exported from memdesc/check so
 * tools can validate the JSON.
 */
import { z } from "zod";
import { RULE_IDS } from "../model/rules.js";
import { STAGES } from "../model/stage.js";

export const CheckDiagnosticSchema = z.object({
  /** MD### for a memdesc rule; null for an ordinary TypeScript error. */
  rule: z.enum(RULE_IDS).nullable(),
  stage: z.enum(STAGES),
  line: z.number().int().positive(),
  column: z.number().int().positive(),
  message: z.string(),
  /** TypeScript's diagnostic code (2345, 2339, …). */
  code: z.number().int(),
  /** For a rule violation: the kernel function called (or `struct->member`), as the types say; else null. */
  op: z.string().nullable(),
  /** For a rule violation: the finding's fields (src/model/findings.ts), as the types say; else null. */
  fields: z.record(z.string(), z.union([z.string(), z.number()])).nullable(),
});

/** A repeat of a finding: the same rule broken by the same function on another page of the same block (or again). */
export const RunRepeatSchema = z.object({
  pfn: z.number().int().nonnegative(),
  message: z.string(),
});

/**
 * One run-time finding: the first violation of a group (same rule, same
 * kernel function, same allocation block — src/sim/machine/report.ts
 * groupViolations) with its repeats, so a cascade over 511 tail pages is one
 * finding that keeps every page.
 */
export const RunViolationSchema = z.object({
  rule: z.enum(RULE_IDS),
  op: z.string(),
  /** The page frame, or null for a violation of module-level code. */
  pfn: z.number().int().nonnegative().nullable(),
  message: z.string(),
  /** The dump_page()-like report, as printed (without the sentence, which is `message`). */
  report: z.string(),
  /** The allocation block the page belonged to, when the simulator knows it. */
  block: z.object({ head: z.number().int().nonnegative(), order: z.number().int().nonnegative() }).nullable(),
  /** The rest of the group, in the order they happened. */
  repeats: z.array(RunRepeatSchema),
  /** The line that counts the repeats ("and 510 more tail pages of the order-9 block at pfn 0x0"), or null. */
  repeatsText: z.string().nullable(),
});

export const ScenarioResultSchema = z.object({
  name: z.string(),
  /** "ok", "violations", or "error" (the scenario threw something that is not a rule violation). */
  outcome: z.enum(["ok", "violations", "error"]),
  violations: z.array(RunViolationSchema),
  /** Allocations never freed, rendered. */
  leaks: z.array(z.string()),
  /** What went wrong, when the outcome is "error": an exception (with the user's file:line), a time or memory limit. */
  error: z.string().nullable(),
  /** The user's frames of the exception's stack (frames of memdesc and Node trimmed). */
  stack: z.array(z.string()).optional(),
  /**
   * Opaque constructs of a C translation the scenario reached ("call helper()", "function f"),
   * each once, in the order first reached: at run time they are no-ops (docs/c-frontend.md).
   */
  opaqueCalls: z.array(z.string()).optional(),
  /** What the scenario wrote to stdout and stderr, captured (it never reaches memdesc's own output). */
  output: z.string().optional(),
});

/** With --expect: how the file's findings compare with its `// expect MD###` comments. */
export const ExpectationResultSchema = z.object({
  met: z.number().int().nonnegative(),
  unexpected: z.array(z.string()),
  missing: z.array(z.string()),
});

export const CheckFileSchema = z.object({
  file: z.string(),
  diagnostics: z.array(CheckDiagnosticSchema),
  scenarios: z.array(ScenarioResultSchema).optional(),
  expectations: ExpectationResultSchema.optional(),
});

export const CheckSummarySchema = z.object({
  files: z.number().int().nonnegative(),
  stages: z.array(z.enum(STAGES)),
  /** Diagnostics with a rule ID, counted once per stage. */
  violations: z.number().int().nonnegative(),
  /** Diagnostics without a rule ID. */
  typescriptErrors: z.number().int().nonnegative(),
  /** Compile-time violations per rule ID (one per stage). */
  byRule: z.record(z.string(), z.number().int().positive()),
  /** Run-time findings per rule ID, over all scenarios (MD018 once per scenario with leaks). */
  runByRule: z.record(z.string(), z.number().int().positive()),
  /** Scenarios run with --run, and how many reported violations or errors. */
  scenarios: z.number().int().nonnegative(),
  scenarioFailures: z.number().int().nonnegative(),
  /** With --expect: findings nobody expected plus expectations nothing met (else 0). */
  expectationFailures: z.number().int().nonnegative(),
  /** Whether --expect was given: then `clean` means "exactly the expected findings". */
  expect: z.boolean(),
  clean: z.boolean(),
});

export const CheckReportSchema = z.object({
  files: z.array(CheckFileSchema),
  summary: CheckSummarySchema,
});

export type CheckDiagnosticJson = z.infer<typeof CheckDiagnosticSchema>;
export type ScenarioResult = z.infer<typeof ScenarioResultSchema>;
export type RunViolation = z.infer<typeof RunViolationSchema>;
export type CheckFileReport = z.infer<typeof CheckFileSchema>;
export type CheckSummary = z.infer<typeof CheckSummarySchema>;
export type CheckReport = z.infer<typeof CheckReportSchema>;
