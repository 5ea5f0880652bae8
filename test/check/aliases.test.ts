/**
 * Compile time is sound or silent (docs/decisions/0020-compile-time-sound-or-silent.md):
 * code that is correct through an alias — the block split, destructed or converted through
 * another handle of the same memory — gets no compile-time finding; findings that hold
 * through every alias (a double free, an order larger than allocated, a finding with no alias
 * in sight) stay. Each file's expectations are its `// expect` comments, written from the
 * kernel's semantics (mm/page_alloc.c make_alloc_exact(), free_pages_exact()); with --run the
 * simulator must agree.
 */
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { checkFiles } from "../../src/check/check.js";
import { runScenarios } from "../../src/check/run.js";
import { STAGES } from "../../src/model/stage.js";

const dir = resolve(__dirname, "aliases");
const MUST_PASS = [
  "dtor-through-alias.ts",
  "helper-splits.ts",
  "split-through-address.ts",
  "split-through-page-alias.ts",
  "split-through-unsigned-long.ts",
];

describe("aliases: sound or silent", () => {
  it("the folder holds the must-pass cases and the still-found case", () => {
    expect(readdirSync(dir).sort()).toEqual([...MUST_PASS, "still-found.ts"].sort());
  });
  for (const name of MUST_PASS) {
    it(`${name}: clean at every stage, and its scenario runs clean`, async () => {
      const report = await checkFiles({
        paths: [join(dir, name)],
        stages: STAGES,
        run: runScenarios,
        cwd: dir,
      });
      const f = report.files[0]!;
      expect(f.diagnostics.map((d) => `${d.line} ${d.stage} ${d.message}`)).toEqual([]);
      expect(
        f.scenarios!.map(
          (s) => `${s.name} ${s.outcome} ${s.violations.map((v) => v.rule)} ${s.leaks.length}`,
        ),
      ).toEqual(f.scenarios!.map((s) => `${s.name} ok  0`));
    }, 60_000);
  }
  it("still-found.ts: exactly its expect comments, compile time and run time", async () => {
    const report = await checkFiles({
      paths: [join(dir, "still-found.ts")],
      stages: ["today", "final"],
      run: runScenarios,
      expect: true,
      cwd: dir,
    });
    const e = report.files[0]!.expectations!;
    expect({ unexpected: e.unexpected, missing: e.missing }).toEqual({ unexpected: [], missing: [] });
    expect(e.met).toBeGreaterThan(0);
  }, 60_000);
});
