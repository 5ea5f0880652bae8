import { describe, expect, it } from "vitest";
import { __GFP_COMP, GFP_KERNEL, Machine, mappingOf, renderLedger } from "../../../src/sim/machine/index.js";

describe("leak ledger", () => {
  it("lists every allocation never freed, grouped by allocation, with its kind and site", () => {
    const m = new Machine({ pages: 64, pcp: false, trackAllocSites: true });
    const a = m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 2, "pte_alloc_one_kernel");
    m.setMemdescKind("memdesc", a, "ptdesc");
    const b = m.allocPages("alloc_pages", GFP_KERNEL, 1, "drv_probe");
    const c = m.allocPages("alloc_pages", GFP_KERNEL, 0, "tmp");
    m.freePages("__free_pages", c, 0);
    const l = m.ledger();
    expect(l.allocations).toEqual([
      {
        pfn: a,
        order: 2,
        pages: 4,
        compound: true,
        kind: "ptdesc",
        miscSubtype: null,
        refcount: 1,
        site: "pte_alloc_one_kernel",
      },
      {
        pfn: b,
        order: 1,
        pages: 2,
        compound: false,
        kind: "misc",
        miscSubtype: "unknown",
        refcount: 1,
        site: "drv_probe",
      },
    ]);
    expect(l.allocatedPages).toBe(6);
    expect(renderLedger(l).split("\n")).toEqual([
      "memdesc: leak ledger: 2 allocation(s) never freed (6 pages), 0 orphaned tail page(s), 0 page(s) leaked by bad_page()",
      "  MD018 pfn 0x00000 order 2 (4 pages) compound ptdesc refcount 1 allocated at pte_alloc_one_kernel",
      "  MD018 pfn 0x00004 order 1 (2 pages) non-compound misc(unknown) refcount 1 allocated at drv_probe",
    ]);
  });

  it("calls out orphaned tails of non-compound blocks separately, with the op that lost them", () => {
    const m = new Machine({ pages: 64, pcp: false, trackAllocSites: true, onViolation: "collect" });
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 3, "vmalloc_area");
    m.freeCompoundOrder("__pagetable_free", p);
    const l = m.ledger();
    expect(l.allocations).toEqual([]);
    expect(l.orphanedTails).toEqual([
      { pfn: 1, pages: 7, formerHead: 0, formerOrder: 3, freedBy: "__pagetable_free", site: "vmalloc_area" },
    ]);
    expect(renderLedger(l).split("\n")[1]).toBe(
      "  MD018 orphaned tail pages 0x00001-0x00007 (7 pages) of the non-compound order-3 block at 0x00000, freed by __pagetable_free without them: nobody owns them (allocated at vmalloc_area)",
    );
  });

  it("lists blocks bad_page() leaked", () => {
    const m = new Machine({ pages: 64, pcp: false, onViolation: "collect" });
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 1);
    m.setMapping("page->mapping", p, mappingOf(3));
    m.freePages("__free_pages", p, 1);
    expect(m.ledger().leaked).toEqual([{ pfn: p, order: 1, pages: 2, reason: "bad_page" }]);
    expect(renderLedger(m.ledger())).toContain(
      "MD016 pfn 0x00000 order 1 (2 pages) kept from the allocator by bad_page()",
    );
  });

  it("is empty when everything was freed", () => {
    const m = new Machine({ pages: 64 });
    const ps = [
      m.allocPages("alloc_pages", GFP_KERNEL, 0),
      m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 3),
    ];
    m.freePages("__free_pages", ps[0]!, 0);
    m.freePages("__free_pages", ps[1]!, 3);
    expect(m.ledger()).toEqual({
      allocations: [],
      orphanedTails: [],
      leaked: [],
      allocatedPages: 0,
      orphanedPages: 0,
      leakedPages: 0,
    });
  });
});
