/**
 * Rules live where the kernel keeps the state (issue 8, DESIGN.md principle
 * 7): every path that gives pages back goes through the machine's one
 * prepare step, which asks the page: a constructed ptdesc is MD012 on any
 * free path; a PT_kernel table given back other than through
 * pagetable_free()'s kernel-aware path is MD013 (and, with an IOMMU, the
 * MD017 hazard). Expected findings decided from the kernel's semantics
 * (include/linux/mm.h pagetable_free(), pagetable_dtor()), by hand.
 */
import { describe, expect, it } from "vitest";
import * as sim from "../../../src/sim/index.js";
import { init_mm, Machine, page_to_pfn, runOn } from "../../../src/sim/index.js";

const machine = (iommuSva = false) =>
  new Machine({ pages: 64, pcp: false, onViolation: "collect", iommuSva });
const rules = (m: Machine) => m.violations.map((v) => [v.rule, v.op]);

/** A constructed user PTE table (pte_alloc_one's state), as its struct page. */
function constructedTable() {
  const pt = sim.pagetable_alloc("GFP_PGTABLE_USER", 0)!;
  if (!sim.pagetable_pte_ctor(init_mm, pt)) throw new Error("ctor failed");
  return sim.ptdesc_page(pt);
}

describe("MD012 on every free path: a constructed ptdesc given back without pagetable_dtor()", () => {
  const paths: [string, (page: ReturnType<typeof constructedTable>) => void][] = [
    ["__free_pages", (page) => sim.__free_pages(page as never, 0)],
    ["__free_page", (page) => sim.__free_page(page as never)],
    ["free_pages", (page) => sim.free_pages(sim.page_address(page as never) as never, 0)],
    ["free_page", (page) => sim.free_page(sim.page_address(page as never) as never)],
    ["put_page", (page) => sim.put_page(page as never)],
    ["__pagetable_free", (page) => sim.__pagetable_free(sim.page_ptdesc(page as never) as never)],
    ["pagetable_free", (page) => sim.pagetable_free(sim.page_ptdesc(page as never) as never)],
  ];
  for (const [op, free] of paths) {
    it(op, () => {
      const m = machine();
      runOn(m, () => free(constructedTable()));
      expect(rules(m)).toEqual([["MD012", op]]);
      expect(m.stats().freePages).toBe(64); // the page still goes back, as the kernel frees it
    });
  }

  it("no MD012 after pagetable_dtor(), on any path", () => {
    const m = machine();
    runOn(m, () => {
      const page = constructedTable();
      sim.pagetable_dtor(sim.page_ptdesc(page as never) as never);
      sim.__free_pages(page as never, 0);
    });
    expect(rules(m)).toEqual([]);
  });
});

describe("MD013 at run time: a PT_kernel table given back past the kernel-aware path", () => {
  it("free_page() of pte_alloc_one_kernel()'s table: MD012 and MD013, and with an IOMMU the reuse is MD017", () => {
    const m = machine(true);
    let pfn = -1;
    runOn(m, () => {
      const pte = sim.pte_alloc_one_kernel(init_mm)!;
      pfn = page_to_pfn(sim.virt_to_page(pte as never) as never);
      sim.free_page(pte as never);
      const again = sim.alloc_page("GFP_KERNEL");
      if (again) sim.__free_page(again);
    });
    expect(m.violations.map((v) => [v.rule, v.op, v.pfn])).toEqual([
      ["MD012", "free_page", pfn],
      ["MD013", "free_page", pfn],
      ["MD017", "alloc_page", pfn],
    ]);
  });

  it("pte_free_kernel() (the kernel-aware path) is clean", () => {
    const m = machine(false);
    runOn(m, () => {
      const pte = sim.pte_alloc_one_kernel(init_mm)!;
      sim.pte_free_kernel(init_mm, pte);
    });
    expect(rules(m)).toEqual([]);
  });
});
