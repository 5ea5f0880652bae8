/**
 * The iommu-sva case study in C (examples/iommu-sva/*.c): the same verdicts as the TypeScript
 * designs (test/check/iommu-sva.test.ts, worked out from examples/iommu-sva/README.md), written
 * out again here by hand — compile-time rules per stage, at the C lines of the statements that
 * break them, and each scenario's run-time findings — and, per design, checked against the
 * TypeScript design's own report.
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
const DESIGNS = ["0-before-the-series", "1-three-lists", "2-one-list", "3-merged"] as const;
let report: CheckReport;
let tsReport: CheckReport;

beforeAll(async () => {
  const fe = cFrontEnd(makeConfig(), dir);
  report = await checkFiles({
    paths: DESIGNS.map((d) => resolve(dir, `${d}.c`)),
    stages: STAGES,
    frontEnd: fe,
    run: (f) => runTranslated(f, fe.translationOf(f)!, (t) => runScenarios(t)),
    cwd: dir,
  });
  tsReport = await checkFiles({
    paths: DESIGNS.map((d) => resolve(dir, `${d}.ts`)),
    stages: STAGES,
    run: runScenarios,
    cwd: dir,
  });
}, 600_000);

function file(name: string) {
  const f = [...report.files, ...tsReport.files].find((x) => x.file === name);
  if (!f) throw new Error(`no report for ${name}`);
  return f;
}
/** "LINE RULE" per compile-time finding at one stage, in line order. */
function compileRules(name: string, stage: string): string[] {
  return file(name)
    .diagnostics.filter((d) => d.stage === stage)
    .sort((a, b) => a.line - b.line)
    .map((d) => `${d.line} ${d.rule ?? `TS${d.code}`}`);
}
/** The rules alone (no lines), sorted: what a C design and its TypeScript twin must share. */
function verdict(name: string): { compile: Record<string, string[]>; run: Record<string, string[]> } {
  const compile: Record<string, string[]> = {};
  for (const s of STAGES)
    compile[s] = compileRules(name, s)
      .map((x) => x.split(" ")[1]!)
      .sort();
  return { compile, run: runs(name) };
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

describe("1 — three lists, in C", () => {
  it("compiles the same at every stage: only the cpa cast of plain pages to ptdescs (MD006, line 273)", () => {
    for (const s of STAGES) expect(compileRules("1-three-lists.c", s), s).toEqual(["273 MD006"]);
  });
  it("runs as the TypeScript design does: hot-remove's page_ptdesc() (MD006); stale tables reused after the worker (MD017); cpa MD006 ×2", () => {
    expect(runs("1-three-lists.c")).toEqual({
      scenario_vfree_pte_table: [],
      scenario_vfree_reuse_after_work: ["MD017"],
      scenario_memory_hot_remove: ["MD006"],
      scenario_hot_remove_reuse_after_work: ["MD006", "MD017"],
      scenario_cpa_collapse: ["MD006", "MD006"],
    });
    // Only the spinlock is not modelled; the #if 0 async_free_data code is not translated.
    const opaque = new Set(file("1-three-lists.c").scenarios!.flatMap((x) => x.opaqueCalls ?? []));
    expect([...opaque].sort()).toEqual(["call spin_lock()", "call spin_unlock()"]);
  });
});

describe("2 — one list, in C", () => {
  it("compiles the same at every stage: only the cpa cast (MD006, line 163); ptdesc->pt_list survives", () => {
    for (const s of STAGES) expect(compileRules("2-one-list.c", s), s).toEqual(["163 MD006"]);
  });
  it("runs as the TypeScript design does: hot-remove and cpa queue plain pages as ptdescs (MD006 ×2 each)", () => {
    expect(runs("2-one-list.c")).toEqual({
      scenario_vfree_pte_table: [],
      scenario_memory_hot_remove: ["MD006", "MD006"],
      scenario_cpa_collapse: ["MD006", "MD006"],
    });
    // The spinlock is not modelled: its calls ran as reported no-ops, and nothing else did.
    const opaque = new Set(file("2-one-list.c").scenarios!.flatMap((x) => x.opaqueCalls ?? []));
    expect([...opaque].sort()).toEqual(["call spin_lock()", "call spin_unlock()"]);
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

describe("C and TypeScript agree", () => {
  it.each(DESIGNS)("%s: the same rules at every stage and the same run-time findings", (d) => {
    expect(verdict(`${d}.c`)).toEqual(verdict(`${d}.ts`));
  });
});
