/**
 * MD017 models reachability (issue 8): a freed kernel page table is an IOMMU
 * hazard only if it may have been installed where the IOMMU walks. A table
 * is allocated "never installed"; markPgtableReachable() is the one way it
 * becomes reachable. Expected outcomes worked out by hand from the rule: no
 * invalidation between the free and the reuse, so a reachable table is stale.
 */
import { describe, expect, it } from "vitest";
import {
  __free_page,
  alloc_page,
  GFP_KERNEL,
  init_mm,
  Machine,
  page_to_pfn,
  pagetable_alloc,
  pagetable_dtor_free,
  pagetable_pte_ctor,
  ptdesc_page,
  ptdesc_set_kernel,
  runOn,
} from "../../../src/sim/index.js";
import { GFP_KERNEL as GFP_KERNEL_BITS } from "../../../src/sim/machine/index.js";

const machine = () => new Machine({ pages: 64, pcp: false, onViolation: "collect", iommuSva: true });

/** Allocate a kernel PTE table, optionally install it, free it, and reuse the page at once. */
function scenario(m: Machine, install: boolean): number {
  let pfn = -1;
  runOn(m, () => {
    const pt = pagetable_alloc("GFP_PGTABLE_KERNEL", 0)!;
    if (!pagetable_pte_ctor(init_mm, pt)) return;
    ptdesc_set_kernel(pt);
    pfn = page_to_pfn(ptdesc_page(pt));
    if (install) m.markPgtableReachable("pmd_populate_kernel", pfn);
    pagetable_dtor_free(pt);
    const page = alloc_page(GFP_KERNEL);
    expect(page && page_to_pfn(page)).toBe(pfn); // the buddy hands the same page back (LIFO)
    if (page) __free_page(page);
  });
  return pfn;
}

describe("MD017 reachability", () => {
  it("a kernel table that was never installed is no hazard when it is freed and reused", () => {
    const m = machine();
    scenario(m, false);
    expect(m.violations.map((v) => v.rule)).toEqual([]);
  });

  it("a table that may be reachable is stale when it is reused before an invalidation", () => {
    const m = machine();
    const pfn = scenario(m, true);
    expect(m.violations.map((v) => [v.rule, v.op, v.pfn])).toEqual([["MD017", "alloc_page", pfn]]);
  });

  it("marks the whole allocation, and a new allocation starts never installed", () => {
    const m = machine();
    const p = m.allocPages("alloc_pages", GFP_KERNEL_BITS, 2);
    m.markPgtableReachable("set_pmd", p + 3);
    expect([0, 1, 2, 3].map((i) => m.pgtableReachable(p + i))).toEqual([true, true, true, true]);
    m.freePages("__free_pages", p, 2);
    const q = m.allocPages("alloc_pages", GFP_KERNEL_BITS, 2);
    expect(q).toBe(p);
    expect([0, 1, 2, 3].map((i) => m.pgtableReachable(q + i))).toEqual([false, false, false, false]);
  });
});
