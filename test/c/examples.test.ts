/** The rule examples in C agree with their TypeScript twins: `--run --expect --stage all` exits 0. */
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT_OK } from "../../src/cli/run.js";
import { runMemdesc } from "../helpers/cli.js";

const rules = resolve(__dirname, "../../examples/rules");
const cFiles = readdirSync(rules).flatMap((d) =>
  readdirSync(join(rules, d))
    .filter((f) => f.endsWith(".c"))
    .map((f) => join(rules, d, f)),
);

describe("examples/rules/*/*.c", () => {
  it("each C example's findings are the ones its expect comments name, at every stage, compiled and run", async () => {
    expect(cFiles.length).toBeGreaterThanOrEqual(18);
    const r = await runMemdesc("check", ...cFiles, "--run", "--expect", "--stage", "all");
    expect(r.stdout.trimEnd().split("\n").at(-1)).toMatch(/^as expected: \d+ files checked/);
    expect(r.code).toBe(EXIT_OK);
  }, 300_000);
  it("the C and TypeScript bad examples report the same rules", async () => {
    const c = await runMemdesc("check", join(rules, "MD002-free-order/bad.c"), "--json");
    const ts = await runMemdesc("check", join(rules, "MD002-free-order/bad.ts"), "--json");
    const rulesOf = (out: string) =>
      (
        JSON.parse(out) as { files: { diagnostics: { rule: string; stage: string }[] }[] }
      ).files[0]!.diagnostics.map((d) => `${d.rule} ${d.stage}`);
    expect(rulesOf(c.stdout)).toEqual(rulesOf(ts.stdout));
    expect(c.stdout).toContain('"line": 11');
  });
});
