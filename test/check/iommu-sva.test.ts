/**
 * The verdicts examples/iommu-sva/README.md records, asserted: for each design,
 * which rules the compiler reports at each stage, and what each scenario
 * reports when run on the simulated machine. Worked out by reading the
 * designs against the rules (see the README), not copied from a run.
 */
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { checkFiles } from "../../src/check/check.js";
import type { CheckReport } from "../../src/check/report.js";
import { runScenarios } from "../../src/check/run.js";
import { STAGES, type Stage } from "../../src/model/stage.js";

const dir = resolve(__dirname, "../../examples/iommu-sva");
let report: CheckReport;

beforeAll(async () => {
  report = await checkFiles({ paths: [dir], stages: STAGES, run: runScenarios, cwd: dir });
}, 120_000);

function file(name: string) {
  const f = report.files.find((x) => x.file === name);
  if (!f) throw new Error(`no report for ${name}`);
  return f;
}

/** Rule → count of compile-time findings at one stage. */
function compileAt(name: string, stage: Stage): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of file(name).diagnostics)
    if (d.stage === stage) out[d.rule ?? `TS${d.code}`] = (out[d.rule ?? `TS${d.code}`] ?? 0) + 1;
  return out;
}

/** Scenario → its run-time findings (rule IDs in order, MD018 when the ledger is not empty). */
function runs(name: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of file(name).scenarios ?? []) {
    out[s.name] = [...s.violations.map((v) => v.rule), ...(s.leaks.length ? ["MD018"] : [])];
    expect(s.error, `${name} ${s.name}`).toBeNull();
  }
  return out;
}

describe("0 — before the series: the hazard", () => {
  it("compiles clean at every stage", () => {
    for (const s of STAGES) expect(compileAt("0-before-the-series.ts", s)).toEqual({});
  });
  it("a freed kernel PTE table is handed out again before the IOMMU is told (MD017)", () => {
    expect(runs("0-before-the-series.ts")).toEqual({ scenario_vfree_pte_table: ["MD017"] });
  });
});

describe("1 — three lists (Baolu's draft of 23 Aug 2025, as posted)", () => {
  // Order-0 pages go through ptdesc->pt_list, higher-order blocks in struct async_free_data:
  // no struct page field but pt_list is used, so every stage compiles the same.
  it("compiles the same at every stage: only x86's cast of plain PTE pages to ptdescs (MD006, set_memory.c)", () => {
    for (const s of STAGES) expect(compileAt("1-three-lists.ts", s), s).toEqual({ MD006: 1 });
  });
  it("at run time: page_ptdesc() of the direct-map table (MD006); the worker tells no IOMMU, so a table reused after it ran is stale (MD017)", () => {
    expect(runs("1-three-lists.ts")).toEqual({
      // the table is still queued while reuse() allocates
      scenario_vfree_pte_table: [],
      // pagetable_dtor_free() in the worker, then an allocation
      scenario_vfree_reuse_after_work: ["MD017"],
      // only the order-0 table is cast; the vmemmap block is freed whole from async_free_data
      scenario_memory_hot_remove: ["MD006"],
      // __free_page(ptdesc_page()) in the worker, then an allocation (decision 0609)
      scenario_hot_remove_reuse_after_work: ["MD006", "MD017"],
      scenario_cpa_collapse: ["MD006", "MD006"],
    });
  });
});

describe("2 — one list (Dave Hansen's consolidation)", () => {
  it("compiles the same at every stage: chaining through ptdesc->pt_list survives the shrink", () => {
    for (const s of STAGES) expect(compileAt("2-one-list.ts", s), s).toEqual({ MD006: 1 });
  });
  it("at run time: plain pages and the vmemmap block are queued as ptdescs (MD006); no stale IOTLB, no leak", () => {
    expect(runs("2-one-list.ts")).toEqual({
      scenario_vfree_pte_table: [],
      scenario_memory_hot_remove: ["MD006", "MD006"],
      scenario_cpa_collapse: ["MD006", "MD006"],
    });
  });
});

describe("3 — merged (v7, upstream 5ba2f0a15564 and bf9e4e30f353)", () => {
  it("compiles the same at every stage", () => {
    for (const s of STAGES) expect(compileAt("3-merged.ts", s), s).toEqual({ MD006: 1 });
  });
  it("vfree: PT_kernel + the deferred worker keep the IOMMU safe", () => {
    expect(runs("3-merged.ts").scenario_vfree_pte_table).toEqual([]);
  });
  it("memory hot-remove: the vmemmap leak fixed in 2026 (MD006, MD008 — a non-compound block has no ptdesc —, MD009, 511 orphaned pages) and the unmarked direct-map table (MD017)", () => {
    expect(runs("3-merged.ts").scenario_memory_hot_remove).toEqual([
      "MD006",
      "MD006",
      "MD008",
      "MD009",
      "MD017",
      "MD018",
    ]);
    const s = file("3-merged.ts").scenarios!.find((x) => x.name === "scenario_memory_hot_remove")!;
    expect(s.violations.find((v) => v.rule === "MD009")?.message).toContain("511 tail pages leak");
    expect(s.leaks.join("\n")).toMatch(/511 orphaned tail page/);
  });
  it("cpa collapse: the same cast as designs 1 and 2", () => {
    expect(runs("3-merged.ts").scenario_cpa_collapse).toEqual(["MD006", "MD006"]);
  });
});
