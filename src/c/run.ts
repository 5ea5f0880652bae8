/**
 * `memdesc check FILE.c --run`: the translation's scenario_* functions run
 * like a .ts file's. The translation is written to a private temporary
 * folder (never beside the user's file), its `memdesc/sim` import pointed at
 * the memdesc that is running, and removed afterwards. A .ts scenario that
 * imports C runs the same way: a copy of it, its C imports pointed at their
 * translations and its other relative imports at the user's files.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { apiLocation } from "../check/api-location.js";
import type { ScenarioResult } from "../check/report.js";
import type { Translation } from "./translate.js";

/** The translation with its memdesc/sim import resolved to the running package's module. */
export function runnableSource(t: Translation): string {
  const sim = apiLocation().paths["memdesc/sim"]![0]!.replace(/\.d\.ts$/, ".js");
  return t.ts.replace(/from "memdesc\/sim";/, `from ${JSON.stringify(sim)};`);
}

export async function runTranslated(
  file: string,
  t: Translation,
  runScenarios: (file: string) => Promise<ScenarioResult[]>,
): Promise<ScenarioResult[]> {
  const dir = mkdtempSync(join(tmpdir(), "memdesc-c-"));
  try {
    const ts = join(dir, `${basename(file)}.ts`);
    writeFileSync(ts, runnableSource(t));
    return await runScenarios(ts);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `memdesc check scenario.ts --run` where scenario.ts imports C (`from "./init_64.c"`): the
 * translations (the ones the check compiled: `translationOf`) and a copy of the scenario whose
 * C specifiers name them are written to a private temporary folder and run there; the user's
 * folder is not written. A scenario without C imports runs as it is.
 */
export async function runImportingC(
  file: string,
  cFiles: readonly string[],
  translationOf: (file: string) => Translation | undefined,
  runScenarios: (file: string) => Promise<ScenarioResult[]>,
): Promise<ScenarioResult[]> {
  if (cFiles.length === 0) return runScenarios(file);
  const dir = mkdtempSync(join(tmpdir(), "memdesc-c-"));
  try {
    const written = new Map<string, string>();
    cFiles.forEach((c, i) => {
      const t = translationOf(c);
      if (!t) throw new Error(`${c}: imported by ${file} but not translated`);
      const to = join(dir, `${i}-${basename(c)}.ts`);
      writeFileSync(to, runnableSource(t));
      written.set(c, to);
    });
    const source = readFileSync(file, "utf8").replace(
      /\b(from|import)(\s*)(["'])(\.{1,2}\/[^"']+)\3/g,
      (_all, kw: string, sp: string, q: string, spec: string) => {
        const target = resolve(dirname(file), spec);
        return `${kw}${sp}${q}${written.get(target) ?? target}${q}`;
      },
    );
    const copy = join(dir, basename(file));
    writeFileSync(copy, source);
    return await runScenarios(copy);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
