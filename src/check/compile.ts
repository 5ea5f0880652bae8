/**
 * The compile-time half of `memdesc check`: type-check user files against the memdesc API at one
 * or more stages and turn TypeScript diagnostics into memdesc diagnostics, read from the
 * checker's types (never from the compiler's English). Two back ends with the same findings:
 * TypeScript 7's native compiler through its API (src/check/compile-ts7.ts, the default) and
 * TypeScript 6's classic API (src/check/compile-ts6.ts, `MEMDESC_CHECK_TS=6`, kept while
 * test/check/ts7.test.ts compares them). docs/decisions/0021, 0804.
 */
import type { Stage } from "../model/stage.js";
import type { CheckCompiler, CheckDiagnostic, CompileInput } from "./compile-common.js";
import { compileAgainstStagesTs6 } from "./compile-ts6.js";
import { compileAgainstStagesTs7 } from "./compile-ts7.js";

export type { CheckCompiler, CheckDiagnostic, CompileInput } from "./compile-common.js";
export { stageSelectorFile } from "./compile-common.js";
export { checkerCompilerOptions } from "./compile-ts6.js";

/** The back end `MEMDESC_CHECK_TS` selects: "6" is TypeScript 6; unset (or "7") TypeScript 7. */
export function defaultCompiler(): CheckCompiler {
  const v = process.env.MEMDESC_CHECK_TS;
  return v === "6" ? "ts6" : "ts7";
}

/**
 * Type-check `files` against each stage. Returns the diagnostics per stage,
 * in file and position order. Only diagnostics located in the user files
 * are returned (the API itself is assumed to compile).
 */
export function compileAgainstStages(input: CompileInput): Map<Stage, CheckDiagnostic[]> {
  const compiler = input.compiler ?? defaultCompiler();
  return compiler === "ts6" ? compileAgainstStagesTs6(input) : compileAgainstStagesTs7(input);
}
