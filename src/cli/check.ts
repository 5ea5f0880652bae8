/**
 * memdesc check PATH... [--stage today|interim32|interim16|final|all]... [--run] [--json]
 */
import { Option } from "@commander-js/extra-typings";
import type { ScenarioResult } from "../check/report.js";
import { parseStage, STAGES, type Stage } from "../model/stage.js";
import { palette } from "./color.js";
import { cliState, EXIT_FINDINGS, EXIT_OK, type RegisterCommand, UsageError } from "./run.js";
import { collectConfig, configFromOptions } from "./translate.js";

/** A positive number of seconds or MiB for --timeout / --memory-limit. */
function positive(flag: string, max: number) {
  return (value: string): number => {
    if (!/^[0-9]+(\.[0-9]+)?$/.test(value) || !(Number(value) > 0) || Number(value) > max) {
      throw new UsageError(`${flag} '${value}' is not a number between 0 and ${max}`);
    }
    return Number(value);
  };
}

/** Parse `--stage` values: a stage, a comma list, or `all`; repeatable. */
export function parseStages(value: string, previous: Stage[] | undefined): Stage[] {
  const acc = previous ?? [];
  for (const part of value.split(",")) {
    const s = part.trim();
    if (s === "all") acc.push(...STAGES);
    else acc.push(parseStage(s));
  }
  return [...new Set(acc)].sort((a, b) => STAGES.indexOf(a) - STAGES.indexOf(b));
}

export const registerCheck: RegisterCommand = (program) => {
  program
    .command("check")
    .description(
      "check proposed kernel refactors (kernel .c/.h files, or .ts files written against memdesc/sim) against the memdesc rules at each stage",
    )
    .argument("[paths...]", ".ts, .c and .h files, or folders searched for them")
    .addOption(
      new Option(
        "--stage <stage>",
        "today, interim32, interim16, final, a comma list, or all (repeatable; default: today,final)",
      ).argParser(parseStages),
    )
    .option(
      "--run",
      "also run each exported scenario_* function on a fresh simulated machine: EXECUTES the file's code, " +
        "with your rights, in a child process, under --timeout and --memory-limit",
    )
    .addOption(
      new Option("--timeout <SECONDS>", "wall-clock limit per scenario with --run (default 10)").argParser(
        positive("--timeout", 86_400),
      ),
    )
    .addOption(
      new Option("--memory-limit <MIB>", "memory limit of the --run child process (default 2048)").argParser(
        positive("--memory-limit", 1 << 20),
      ),
    )
    .option("--json", "print one JSON document (schema: CheckReportSchema in memdesc/check)")
    .option(
      "--config <CONFIG_X=y|n|m>",
      "C files: set a kernel option for #if/IS_ENABLED (repeatable)",
      collectConfig,
    )
    .option("--kconfig <file>", "C files: read kernel options from a .config file")
    .option("--patch <file>", "check the functions a unified diff touches, before and after it (with --tree)")
    .option("--tree <dir>", "the kernel tree --patch applies to (it is not modified)")
    .option(
      "--expect",
      "compare findings with the files' `// expect MD###` comments; exit 0 when they match exactly",
    )
    .addHelpText(
      "after",
      `
Files import the API by package name:  import { alloc_pages, __free_pages, GFP_KERNEL } from "memdesc/sim";
Without --run, check only compiles the files: no code of theirs runs (no top-level code, no tsconfig
plugins, no package.json scripts). With --run, each scenario runs in a child Node process with your
rights, stopped after --timeout seconds; a scenario that loops, exits, prints, throws or rejects is
reported against its name and the run goes on.
Exit codes: 0 clean, 1 violations or TypeScript errors found, 2 bad usage or input.`,
    )
    .action(async (paths, opts) => {
      if (paths.some((p) => p.trim() === "")) {
        throw new UsageError("an empty path (give .ts files or folders; use . for the current folder)");
      }
      if (!opts.run && (opts.timeout !== undefined || opts.memoryLimit !== undefined)) {
        throw new UsageError("--timeout and --memory-limit apply to --run only");
      }
      const stages: Stage[] = opts.stage ?? ["today", "final"];
      // --run's limits on each scenario child, with --patch and without.
      const limits = {
        ...(opts.timeout !== undefined ? { timeoutSeconds: opts.timeout } : {}),
        ...(opts.memoryLimit !== undefined ? { memoryMiB: opts.memoryLimit } : {}),
      };
      const config = await configFromOptions(opts);
      if (opts.patch || opts.tree) {
        if (!opts.patch || !opts.tree) throw new UsageError("--patch and --tree go together");
        if (paths.length > 0)
          throw new UsageError("--patch checks the files the patch touches: give no paths");
        const { checkPatch, renderPatchReport } = await import("../c/patch.js");
        let run: ((file: string) => Promise<ScenarioResult[]>) | undefined;
        if (opts.run) {
          const { runScenarios } = await import("./scenarios.js");
          run = (file) => runScenarios(file, limits);
        }
        const r = await checkPatch({
          patch: opts.patch,
          tree: opts.tree,
          stages,
          config,
          ...(run ? { run } : {}),
        });
        process.stdout.write(opts.json ? `${JSON.stringify(r, null, 2)}\n` : renderPatchReport(r));
        cliState.exitCode = r.introduced.length > 0 ? EXIT_FINDINGS : EXIT_OK;
        return;
      }
      if (paths.length === 0)
        throw new UsageError("missing required argument 'paths' (see memdesc check --help)");
      // Kernel C beside TypeScript: the C front end (src/c) translates, the checker checks.
      const { cFrontEnd } = await import("../c/frontend.js");
      const frontEnd = cFrontEnd(config);
      let run: ((file: string) => Promise<ScenarioResult[]>) | undefined;
      if (opts.run) {
        const { runScenarios } = await import("./scenarios.js");
        const { runImportingC, runTranslated } = await import("../c/run.js");
        const { foreignImports } = await import("../check/check.js");
        const runTs = (file: string) => runScenarios(file, limits);
        const isC = (f: string) => /\.[ch]$/.test(f);
        run = (file) =>
          isC(file)
            ? runTranslated(file, frontEnd.translationOf(file)!, runTs)
            : runImportingC(file, foreignImports(file, isC), frontEnd.translationOf, runTs);
      }
      // The compiler is loaded only when a check runs: the other commands start without it.
      const { checkFiles } = await import("../check/check.js");
      const { renderCheckReport } = await import("../check/render.js");
      const report = await checkFiles({
        paths,
        stages,
        expect: opts.expect ?? false,
        frontEnd,
        ...(run ? { run } : {}),
      });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      } else {
        const pc = palette();
        const color = pc.isColorSupported
          ? (kind: "rule" | "ts" | "ok" | "dim" | "file", s: string) =>
              ({ rule: pc.red, ts: pc.yellow, ok: pc.green, dim: pc.dim, file: pc.bold })[kind](s)
          : undefined;
        process.stdout.write(renderCheckReport(report, color ? { color } : {}));
      }
      cliState.exitCode = report.summary.clean ? EXIT_OK : EXIT_FINDINGS;
    });
};
