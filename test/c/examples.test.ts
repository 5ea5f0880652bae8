/**
 * The rule examples in C agree with their TypeScript twins: every rule folder has bad.c and
 * good.c; `--run --expect --stage all` exits 0 on them (each finding at the C line its expect
 * comment marks); and each C file reports the same rules at the same stages, compiled and run,
 * as the .ts file beside it.
 */
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT_OK } from "../../src/cli/run.js";
import { RULE_IDS } from "../../src/model/rules.js";
import { runMemdesc } from "../helpers/cli.js";

const rules = resolve(__dirname, "../../examples/rules");
const folders = readdirSync(rules).sort();
const filesOf = (ext: string) =>
  folders.flatMap((d) => ["bad", "good"].map((f) => join(rules, d, `${f}${ext}`)));

interface Json {
  files: {
    file: string;
    diagnostics: { rule: string | null; stage: string }[];
    scenarios?: { violations: { rule: string }[]; leaks: string[] }[];
  }[];
}
/** Per example (folder/bad, folder/good): its compile-time rule@stage list and its run-time rules, sorted. */
function findings(out: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of (JSON.parse(out) as Json).files) {
    const key = f.file
      .replace(/\.(c|ts)$/, "")
      .split("/")
      .slice(-2)
      .join("/");
    const compile = f.diagnostics.map((d) => `${d.rule ?? "TS"}@${d.stage}`).sort();
    const run = (f.scenarios ?? [])
      .flatMap((s) => [...s.violations.map((v) => v.rule), ...(s.leaks.length > 0 ? ["MD018"] : [])])
      .sort();
    m.set(key, `compile ${compile.join(" ")} | run ${run.join(" ")}`);
  }
  return m;
}

describe("examples/rules/*/*.c", () => {
  it("every rule's folder has a C twin of each example", () => {
    expect(folders.map((d) => d.slice(0, 5))).toEqual([...RULE_IDS]);
    for (const d of folders)
      expect(
        readdirSync(join(rules, d))
          .filter((f) => f.endsWith(".c"))
          .sort(),
        d,
      ).toEqual(["bad.c", "good.c"]);
  });
  it("each C example's findings are the ones its expect comments name, at every stage, compiled and run", async () => {
    const r = await runMemdesc("check", ...filesOf(".c"), "--run", "--expect", "--stage", "all");
    expect(r.stdout.trimEnd().split("\n").at(-1)).toMatch(/^as expected: 36 files checked/);
    expect(r.code).toBe(EXIT_OK);
  }, 600_000);
  it("each C example reports the same rules at the same stages, compiled and run, as its .ts twin", async () => {
    const c = findings(
      (await runMemdesc("check", ...filesOf(".c"), "--run", "--json", "--stage", "all")).stdout,
    );
    const ts = findings(
      (await runMemdesc("check", ...filesOf(".ts"), "--run", "--json", "--stage", "all")).stdout,
    );
    expect(c.size).toBe(36);
    expect(Object.fromEntries(c)).toEqual(Object.fromEntries(ts));
    // One pair spelled out, so the comparison above cannot pass on two empty reports.
    expect(c.get("MD002-free-order/bad")).toBe(
      "compile MD002@final MD002@interim16 MD002@interim32 MD002@today | run MD002 MD018",
    );
  }, 600_000);
});
