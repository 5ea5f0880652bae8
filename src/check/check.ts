/**
 * `memdesc check` as a library function: compile the user's files against
 * each chosen stage, optionally run their scenarios on the simulated
 * machine, and return one report.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import type { Stage } from "../model/stage.js";
import { compileAgainstStages } from "./compile.js";
import { compareExpectations, readExpectations } from "./expect.js";
import { expandPaths } from "./files.js";
import type { CheckFileReport, CheckReport, ScenarioResult } from "./report.js";

/**
 * A front end for files that are not TypeScript (the kernel C front end, src/c): it turns a
 * file into a TypeScript program checked in its place, and maps positions back. The checker
 * does not know C; the CLI passes the front end in (layers: check <- c <- cli).
 */
export interface SourceFrontEnd {
  /** Extensions it reads (".c", ".h"). */
  readonly extensions: readonly string[];
  /**
   * Translate `file`. `degrade`: the file's own lines where the previous translation had ordinary
   * TypeScript errors (round ≥ 1), to be translated as opaque so the program type-checks.
   */
  translate(file: string, degrade: ReadonlySet<number>, round: number): Promise<TranslatedSource>;
}

export interface TranslatedSource {
  readonly ts: string;
  mapPosition(line: number, column: number): { line: number; column: number };
  /** The text `// expect` comments are read from (the C file, its function headers marked). */
  readonly expectText: string;
}

/** Repair rounds before a front end's remaining TypeScript errors are reported as such. */
const FRONT_END_ROUNDS = 3;

export interface CheckOptions {
  readonly paths: readonly string[];
  readonly stages: readonly Stage[];
  /** Run exported scenarios on a fresh simulated machine (user code is executed). */
  readonly run?: (file: string) => Promise<ScenarioResult[]>;
  /** File names in the report relative to this folder (default: the current directory). */
  readonly cwd?: string;
  /** Compare findings with the files' `// expect MD###` comments; clean means exactly those. */
  readonly expect?: boolean;
  /** Reads the files with these extensions (C, through src/c) beside .ts files. */
  readonly frontEnd?: SourceFrontEnd;
}

export async function checkFiles(options: CheckOptions): Promise<CheckReport> {
  const files = expandPaths(options.paths, options.frontEnd?.extensions ?? []);
  const translated = await translateForeign(files, options);
  const byStage = translated.byStage;
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
    const compiled = translated.virtualOf.get(file) ?? file;
    const diagnostics = options.stages.flatMap((stage) =>
      (byStage.get(stage) ?? [])
        .filter((d) => d.file === compiled)
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
    for (const d of diagnostics) {
      const t = translated.sources.get(file);
      if (t) Object.assign(d, t.mapPosition(d.line, d.column));
    }
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
        readExpectations(file, translated.sources.get(file)?.expectText),
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

/**
 * Compile the files, translating those a front end reads into virtual `FILE.c.ts` programs; while
 * a translation has ordinary TypeScript errors, ask the front end to translate those lines as
 * opaque and compile again (docs/decisions/0602). Without a front end: one compile, as before.
 */
async function translateForeign(
  files: readonly string[],
  options: CheckOptions,
): Promise<{
  byStage: ReturnType<typeof compileAgainstStages>;
  sources: Map<string, TranslatedSource>;
  virtualOf: Map<string, string>;
}> {
  const fe = options.frontEnd;
  const isForeign = (f: string) => fe?.extensions.some((e) => f.endsWith(e)) ?? false;
  // A .ts scenario may import C (`import { f } from "./init_64.c"`): the C is translated too, as
  // `init_64.c.ts`, which is where the compiler looks for "./init_64.c". It is compiled and
  // repaired with the rest; its own findings are reported only when the C file is named.
  const imported = fe ? files.filter((f) => !isForeign(f)).flatMap((f) => foreignImports(f, isForeign)) : [];
  const foreign = [...new Set([...files.filter(isForeign), ...imported])];
  const virtualOf = new Map(foreign.map((f) => [f, `${f}.ts`]));
  const sources = new Map<string, TranslatedSource>();
  const degrade = new Map(foreign.map((f) => [f, new Set<number>()]));
  const compileFiles = files.map((f) => virtualOf.get(f) ?? f);
  let todo = foreign;
  for (let round = 0; ; round++) {
    for (const f of todo) sources.set(f, await fe!.translate(f, degrade.get(f)!, round));
    const byStage = compileAgainstStages({
      files: compileFiles,
      stages: options.stages,
      sources: new Map(foreign.map((f) => [virtualOf.get(f)!, sources.get(f)!.ts])),
    });
    if (foreign.length === 0 || round >= FRONT_END_ROUNDS) return { byStage, sources, virtualOf };
    const again = new Set<string>();
    for (const diags of byStage.values())
      for (const d of diags) {
        if (d.rule) continue;
        const f = foreign.find((x) => virtualOf.get(x) === d.file);
        if (!f) continue;
        degrade.get(f)!.add(sources.get(f)!.mapPosition(d.line, d.column).line);
        again.add(f);
      }
    if (again.size === 0) return { byStage, sources, virtualOf };
    todo = [...again];
  }
}

/** The existing files a TypeScript file imports by a relative specifier a front end reads. */
export function foreignImports(file: string, isForeign: (f: string) => boolean): string[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const m of text.matchAll(/\b(?:from|import)\s*["'](\.{1,2}\/[^"']+)["']/g)) {
    const target = resolve(dirname(file), m[1]!);
    if (isForeign(target) && existsSync(target)) out.push(target);
  }
  return out;
}
