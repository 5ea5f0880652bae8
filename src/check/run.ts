/**
 * `memdesc check --run`: execute a checked file's scenarios on the simulated
 * machine. A scenario is an exported function whose name starts with
 * `scenario_`; each runs on a fresh machine (CONFIG_DEBUG_VM on, violations
 * collected, allocation sites tracked), then pending work items run
 * (flush_scheduled_work), then the leak ledger is read. A file may export
 * `const machine = { pages?, iommuSva?, asyncKernelPgtableFree?, debugVm? }`
 * to configure its machines.
 *
 * Module state (a static LIST_HEAD, a work item) is shared by the scenarios of
 * one file, as statics survive in a kernel; list heads start empty on each
 * new machine.
 */
import { z } from "zod";
import { ruleIdIn } from "../model/rules.js";
import { runOn } from "../sim/kernel/adapter.js";
import { flush_scheduled_work } from "../sim/kernel/work.js";
import { renderLedger } from "../sim/machine/ledger.js";
import { Machine } from "../sim/machine/machine.js";
import { renderViolation } from "../sim/machine/report.js";
import type { ScenarioResult } from "./report.js";
import { importUserFile } from "./resolve-api.js";

/** What a file may say about the machines its scenarios run on. */
export const ScenarioMachineSchema = z
  .object({
    pages: z.number().int().min(1024).max(4_194_304).optional(),
    iommuSva: z.boolean().optional(),
    asyncKernelPgtableFree: z.boolean().optional(),
    debugVm: z.boolean().optional(),
  })
  .strict();
export type ScenarioMachine = z.infer<typeof ScenarioMachineSchema>;

/** The pseudo-scenario that stands for the file's module-level code. */
export const MODULE_SCENARIO = "(module)";

/** 16 MiB: room for a few order-9 blocks, cheap to create per scenario. */
export const DEFAULT_SCENARIO_PAGES = 4096;

async function load(file: string): Promise<Record<string, unknown>> {
  // memdesc/<layer> is this checker's own copy; the user's tsconfig is not read (resolve-api.ts).
  return importUserFile(file);
}

export async function runScenarios(file: string): Promise<ScenarioResult[]> {
  let mod: Record<string, unknown>;
  try {
    mod = await load(file);
  } catch (err) {
    // Module-level code is kernel code too: a rule's run-time form that fires while the file
    // loads (an owner-field definition, a memdesc word) is that rule's violation, not a crash.
    const message = (err as Error)?.message ?? String(err);
    const rule = ruleIdIn(message);
    if (rule && message.startsWith(rule)) {
      const v = { rule, op: MODULE_SCENARIO, pfn: null, message, report: message };
      return [{ name: MODULE_SCENARIO, outcome: "violations", violations: [v], leaks: [], error: null }];
    }
    const error = `loading the file failed: ${message}`;
    return [{ name: MODULE_SCENARIO, outcome: "error", violations: [], leaks: [], error }];
  }
  const parsed = ScenarioMachineSchema.safeParse(mod.machine ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return [
      {
        name: "(machine)",
        outcome: "error",
        violations: [],
        leaks: [],
        error: `export const machine: ${issue?.path.join(".") || "value"}: ${issue?.message}`,
      },
    ];
  }
  const cfg = parsed.data;
  const results: ScenarioResult[] = [];
  for (const [name, fn] of Object.entries(mod)) {
    if (!name.startsWith("scenario_") || typeof fn !== "function") continue;
    const machine = new Machine({
      pages: cfg.pages ?? DEFAULT_SCENARIO_PAGES,
      debugVm: cfg.debugVm ?? true,
      iommuSva: cfg.iommuSva ?? false,
      asyncKernelPgtableFree: cfg.asyncKernelPgtableFree ?? false,
      onViolation: "collect",
      trackAllocSites: true,
    });
    let error: string | null = null;
    try {
      runOn(machine, () => {
        (fn as () => unknown)();
        flush_scheduled_work();
      });
    } catch (err) {
      error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
    const violations = machine.takeViolations().map((v) => ({
      rule: v.rule,
      op: v.op,
      pfn: v.pfn,
      message: v.message,
      report: renderViolation(v),
    }));
    const ledger = machine.ledger();
    const leaks =
      ledger.allocations.length + ledger.orphanedTails.length + ledger.leaked.length > 0
        ? renderLedger(ledger)
            .split("\n")
            .filter((l) => l.trim() !== "")
        : [];
    results.push({
      name,
      outcome: error ? "error" : violations.length > 0 || leaks.length > 0 ? "violations" : "ok",
      violations,
      leaks,
      error,
    });
  }
  return results;
}
