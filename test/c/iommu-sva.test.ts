/**
 * The iommu-sva case study in C (examples/iommu-sva/*.c): the same verdicts as the TypeScript
 * designs (test/check/iommu-sva.test.ts, worked out from examples/iommu-sva/README.md), written
 * out again here by hand — compile-time rules per stage and each scenario's run-time findings.
 * Designs 1 and 2 are not yet in C.
 */
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { makeConfig } from "../../src/c/config.js";
import { cFrontEnd } from "../../src/c/frontend.js";
import { runTranslated } from "../../src/c/run.js";
import { checkFiles } from "../../src/check/check.js";
import type { CheckReport } from "../../src/check/report.js";
import { runScenarios } from "../../src/check/run.js";
import { STAGES } from "../../src/model/stage.js";

const dir = resolve(__dirname, "../../examples/iommu-sva");
let report: CheckReport;

beforeAll(async () => {
  const fe = cFrontEnd(makeConfig(), dir);
  report = await checkFiles({
    paths: [resolve(dir, "0-before-the-series.c"), resolve(dir, "3-merged.c")],
    stages: STAGES,
    frontEnd: fe,
    run: (f) => runTranslated(f, fe.translationOf(f)!, (t) => runScenarios(t)),
    cwd: dir,
  });
}, 300_000);

function file(name: string) {
  const f = report.files.find((x) => x.file === name);
  if (!f) throw new Error(`no report for ${name}`);
  return f;
}
function compileRules(name: string, stage: string): string[] {
  return file(name)
    .diagnostics.filter((d) => d.stage === stage)
    .map((d) => `${d.line} ${d.rule ?? `TS${d.code}`}`);
}
function runs(name: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of file(name).scenarios ?? []) {
    out[s.name] = [...s.violations.map((v) => v.rule), ...(s.leaks.length ? ["MD018"] : [])];
    expect(s.error, `${name} ${s.name}`).toBeNull();
  }
  return out;
}

describe("0 — before the series, in C", () => {
  it("compiles clean at every stage; the freed kernel PTE table is reused before the IOMMU is told (MD017)", () => {
    for (const s of STAGES) expect(compileRules("0-before-the-series.c", s), s).toEqual([]);
    expect(runs("0-before-the-series.c")).toEqual({ scenario_vfree_pte_table: ["MD017"] });
  });
});

describe("3 — merged, in C", () => {
  it("compiles the same at every stage: only the cpa cast of plain pages to ptdescs (MD006, line 105)", () => {
    for (const s of STAGES) expect(compileRules("3-merged.c", s), s).toEqual(["105 MD006"]);
  });
  it("runs as the TypeScript design does: vfree safe; hot-remove MD006 ×2, MD008, MD009, MD017, leak; cpa MD006 ×2", () => {
    expect(runs("3-merged.c")).toEqual({
      scenario_vfree_pte_table: [],
      scenario_memory_hot_remove: ["MD006", "MD006", "MD008", "MD009", "MD017", "MD018"],
      scenario_cpa_collapse: ["MD006", "MD006"],
    });
    const s = file("3-merged.c").scenarios!.find((x) => x.name === "scenario_memory_hot_remove")!;
    expect(s.violations.find((v) => v.rule === "MD009")?.message).toContain("511 tail pages leak");
    // Every call of the design is modelled: nothing ran as an opaque no-op.
    expect(file("3-merged.c").scenarios!.flatMap((x) => x.opaqueCalls ?? [])).toEqual([]);
  });
});
