/**
 * `memdesc check` as a library function: compile the user's files against
 * each chosen stage, optionally run their scenarios on the simulated
 * machine, and return one report.
 */
import { relative } from "node:path";
import type { Stage } from "../model/stage.js";
import { compileAgainstStages } from "./compile.js";
import { compareExpectations, readExpectations } from "./expect.js";
import { expandPaths } from "./files.js";
import type { CheckFileReport, CheckReport, ScenarioResult } from "./report.js";

export interface CheckOptions {
  readonly paths: readonly string[];
  readonly stages: readonly Stage[];
  /** Run exported scenarios on a fresh simulated machine (user code is executed). */
  readonly run?: (file: string) => Promise<ScenarioResult[]>;
  /** File names in the report relative to this folder (default: the current directory). */
  readonly cwd?: string;
  /** Compare findings with the files' `// expect MD###` comments; clean means exactly those. */
  readonly expect?: boolean;
}

export async function checkFiles(options: CheckOptions): Promise<CheckReport> {
  const files = expandPaths(options.paths);
  const byStage = compileAgainstStages({ files, stages: options.stages });
  const cwd = options.cwd ?? process.cwd();
  const reports: CheckFileReport[] = [];
  let violations = 0;
  let typescriptErrors = 0;
  let scenarios = 0;
  let scenarioFailures = 0;
  let expectationFailures = 0;
  const byRule: Record<string, number> = {};
  const runByRule: Record<string, number> = {};
  for (const file of files) {
    const diagnostics = options.stages.flatMap((stage) =>
      (byStage.get(stage) ?? [])
        .filter((d) => d.file === file)
        .map((d) => ({
          rule: d.rule,
          stage,
          line: d.line,
          column: d.column,
          message: d.message,
          code: d.code,
          op: d.finding?.op ?? null,
          fields: d.finding ? { ...(d.finding.fields as Record<string, string | number>) } : null,
        })),
    );
    diagnostics.sort(
      (a, b) =>
        a.line - b.line ||
        a.column - b.column ||
        options.stages.indexOf(a.stage) - options.stages.indexOf(b.stage),
    );
    for (const d of diagnostics) {
      if (d.rule) {
        violations++;
        byRule[d.rule] = (byRule[d.rule] ?? 0) + 1;
      } else typescriptErrors++;
    }
    const report: CheckFileReport = { file: relative(cwd, file) || file, diagnostics };
    if (options.run) {
      const results = await options.run(file);
      scenarios += results.length;
      scenarioFailures += results.filter((r) => r.outcome !== "ok").length;
      for (const r of results) {
        for (const v of r.violations) runByRule[v.rule] = (runByRule[v.rule] ?? 0) + 1;
        if (r.leaks.length > 0) runByRule.MD018 = (runByRule.MD018 ?? 0) + 1;
      }
      report.scenarios = results;
    }
    if (options.expect) {
      const result = compareExpectations(
        readExpectations(file),
        diagnostics,
        options.stages,
        report.scenarios,
      );
      expectationFailures += result.unexpected.length + result.missing.length;
      report.expectations = result;
    }
    reports.push(report);
  }
  return {
    files: reports,
    summary: {
      files: files.length,
      stages: [...options.stages],
      violations,
      typescriptErrors,
      byRule,
      runByRule,
      scenarios,
      scenarioFailures,
      expectationFailures,
      expect: options.expect ?? false,
      clean: options.expect
        ? expectationFailures === 0
        : violations === 0 && typescriptErrors === 0 && scenarioFailures === 0,
    },
  };
}
