/**
 * `memdesc check FILE.c --run`: the translation's scenario_* functions run
 * like a .ts file's. The translation is written to a private temporary
 * folder (never beside the user's file), its `memdesc/sim` import pointed at
 * the memdesc that is running, and removed afterwards.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
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
