import { describe, expect, it } from "vitest";
import { pageFlagBit } from "../../../src/model/index.js";
import { firstTailMappingReason } from "../../../src/sim/machine/checks.js";
import {
  __GFP_COMP,
  FOLIO_MAPPING_ANON,
  GFP_KERNEL,
  LINK_TAIL_BIAS,
  Machine,
  type MachineOptions,
  mappingOf,
} from "../../../src/sim/machine/index.js";

// Each case puts a page in the state the kernel's __free_pages_prepare()
// would see and expects the bad_page() reason page_bad_reason() or
// free_tail_page_prepare() gives for it (mm/page_alloc.c).
const collect = (o: Partial<MachineOptions> = {}) =>
  new Machine({ pages: 64, pcp: false, onViolation: "collect", ...o });
const reasons = (m: Machine) => m.violations.map((v) => [v.rule, v.pfn, v.reason]);

describe("tail page checks (free_tail_page_prepare)", () => {
  const folio = (m: Machine) => m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 3);

  it("corrupted mapping in tail page, from the fourth tail on with CONFIG_HUGETLB_PAGE", () => {
    const m = collect();
    const h = folio(m);
    m.setMapping("page->mapping", h + 4, mappingOf(5));
    m.freePages("__free_pages", h, 3);
    expect(reasons(m)).toEqual([["MD016", h + 4, "corrupted mapping in tail page"]]);
  });

  it("checks the third tail's mapping too without CONFIG_HUGETLB_PAGE", () => {
    const with_ = collect();
    let h = folio(with_);
    with_.setMapping("page->mapping", h + 3, mappingOf(5));
    with_.freePages("__free_pages", h, 3);
    expect(reasons(with_)).toEqual([]);
    const without = collect({ hugetlbPage: false });
    h = folio(without);
    without.setMapping("page->mapping", h + 3, mappingOf(5));
    without.freePages("__free_pages", h, 3);
    expect(reasons(without)).toEqual([["MD016", h + 3, "corrupted mapping in tail page"]]);
  });

  it("PageTail not set: a tail's lru used for a list overwrites compound_info", () => {
    const m = collect();
    const h = folio(m);
    const list = m.newListHead();
    m.listAdd("list_add", h + 5, list);
    expect(m.isTail(h + 5)).toBe(false);
    m.freePages("__free_pages", h, 3);
    expect(reasons(m)).toEqual([["MD016", h + 5, "PageTail not set"]]);
  });

  it("compound_head not consistent", () => {
    const m = collect();
    const h = folio(m);
    m.setLinkNext("page->lru", h + 6, LINK_TAIL_BIAS - 40);
    m.freePages("__free_pages", h, 3);
    expect(reasons(m)).toEqual([["MD016", h + 6, "compound_head not consistent"]]);
  });

  it("nonzero large_mapcount / nonzero entire_mapcount / on deferred list: folio fields in the first two tails", () => {
    let m = collect();
    let h = folio(m);
    m.setLinkPrev("page->lru", h + 1, 30); // page[1].lru.prev is _large_mapcount
    m.freePages("__free_pages", h, 3);
    expect(reasons(m)).toEqual([["MD016", h + 1, "nonzero large_mapcount"]]);
    m = collect();
    h = folio(m);
    m.setMapping("page->mapping", h + 1, 0); // page[1]->mapping is _entire_mapcount/_pincount
    m.freePages("__free_pages", h, 3);
    expect(reasons(m)).toEqual([["MD016", h + 1, "nonzero entire_mapcount"]]);
    m = collect();
    h = folio(m);
    m.setLinkPrev("page->lru", h + 2, 30); // page[2].lru.prev is _deferred_list.next
    m.freePages("__free_pages", h, 3);
    expect(reasons(m)).toEqual([["MD016", h + 2, "on deferred list"]]);
  });

  it("nonzero entire_mapcount and nonzero pincount are two reports, entire_mapcount first", () => {
    // mm/page_alloc.c @00cb34b0 free_tail_page_prepare(), case 1, 64-bit: page[1]->mapping holds
    // _entire_mapcount in its low half (initial -1) and _pincount in its high half (initial 0).
    expect(firstTailMappingReason(0x0000_0000_ffff_ffffn)).toBeNull();
    expect(firstTailMappingReason(0x0000_0001_ffff_ffffn)).toBe("nonzero pincount");
    expect(firstTailMappingReason(0x0000_0000_0000_0000n)).toBe("nonzero entire_mapcount");
    // Both wrong: the entire_mapcount test comes first and goto out ends the checks.
    expect(firstTailMappingReason(0x0000_0002_0000_0003n)).toBe("nonzero entire_mapcount");
    // An owner's pointer written over the slot: the low half is no -1 either.
    expect(firstTailMappingReason(0xffff_8890_0000_0024n)).toBe("nonzero entire_mapcount");
  });

  it("nonzero mapcount: a page type left on a tail page (only the head's is reset)", () => {
    const m = collect();
    const h = folio(m);
    m.setPageType("__SetPageTable", h, "table");
    m.setPageType("__SetPageTable", h + 2, "table");
    m.freePages("__free_pages", h, 3);
    expect(reasons(m)).toEqual([["MD016", h + 2, "nonzero mapcount"]]);
  });

  it("nonzero private on a tail, compound or not", () => {
    let m = collect();
    let h = folio(m);
    m.setPrivate("set_page_private", h + 7, 9);
    m.freePages("__free_pages", h, 3);
    expect(reasons(m)).toEqual([["MD016", h + 7, "nonzero private"]]);
    m = collect();
    h = m.allocPages("alloc_pages", GFP_KERNEL, 2);
    m.setPrivate("set_page_private", h + 1, 9);
    m.freePages("__free_pages", h, 2);
    expect(reasons(m)).toEqual([["MD016", h + 1, "nonzero private"]]);
  });

  it("reports every bad tail, and leaks the whole block", () => {
    const m = collect();
    const h = folio(m);
    m.setMapping("page->mapping", h + 4, mappingOf(5));
    m.setPrivate("set_page_private", h + 6, 1);
    m.freePages("__free_pages", h, 3);
    expect(reasons(m)).toEqual([
      ["MD016", h + 4, "corrupted mapping in tail page"],
      ["MD016", h + 6, "nonzero private"],
    ]);
    for (let p = h; p < h + 8; p++) expect(m.pageState(p)).toBe("leaked");
    expect(m.ledger().leaked).toEqual([{ pfn: h, order: 3, pages: 8, reason: "bad_page" }]);
    expect(m.stats().allocatedPages).toBe(8);
    expect(m.audit()).toEqual([]);
  });
});

describe("page_expected_state on the page being freed", () => {
  it("nonzero mapcount: a mapped page (the head's page type is reset, a mapcount is not)", () => {
    const m = collect();
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.setPageMapcount("atomic_set(&page->_mapcount)", p, 0);
    m.freePages("__free_pages", p, 0);
    expect(reasons(m)).toEqual([["MD016", p, "nonzero mapcount"]]);
  });

  it("resets the head's page type: owners need not clear it", () => {
    const m = collect();
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.setPageType("__SetPageTable", p, "table");
    m.freePages("__free_pages", p, 0);
    expect(reasons(m)).toEqual([]);
    expect(m.pageState(p)).toBe("buddy");
  });

  it("non-NULL mapping, except an anon mapping, which the allocator clears", () => {
    const m = collect();
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    const q = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.setMapping("page->mapping", p, mappingOf(7));
    m.setMapping("page->mapping", q, mappingOf(7, FOLIO_MAPPING_ANON));
    m.freePages("__free_pages", p, 0);
    m.freePages("__free_pages", q, 0);
    expect(reasons(m)).toEqual([["MD016", p, "non-NULL mapping"]]);
  });

  it("nonzero _refcount: free_frozen_pages on a referenced page", () => {
    const m = collect();
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.freeFrozenPages("free_frozen_pages", p, 0);
    expect(reasons(m)).toEqual([["MD016", p, "nonzero _refcount"]]);
  });

  it("PAGE_FLAGS_CHECK_AT_FREE flag(s) set", () => {
    const m = collect();
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.setFlag("set_bit", p, pageFlagBit("PG_lru"));
    m.freePages("__free_pages", p, 0);
    expect(reasons(m)).toEqual([["MD016", p, "PAGE_FLAGS_CHECK_AT_FREE flag(s) set"]]);
  });

  it("names the last failing test, as page_bad_reason() assigns in order", () => {
    const m = collect();
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 1);
    // A tail with a mapcount, a mapping and a reference: the refcount test comes last.
    m.setPageMapcount("atomic_set(&page->_mapcount)", p + 1, 0);
    m.setMapping("page->mapping", p + 1, mappingOf(3));
    m.pageRefUnfreeze("page_ref_unfreeze", p + 1, 1);
    m.freePages("__free_pages", p, 1);
    expect(reasons(m)).toEqual([["MD016", p + 1, "nonzero _refcount"]]);
  });

  it("clears PG_mlocked on the folio instead of reporting it", () => {
    const m = collect();
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.setFlag("set_bit", p, pageFlagBit("PG_mlocked"));
    m.freePages("__free_pages", p, 0);
    expect(reasons(m)).toEqual([]);
  });

  it("an order-0 free of a hwpoisoned compound head returns before the compound-order check", () => {
    // mm/page_alloc.c @00cb34b0 __free_pages_prepare(): the PageHWPoison && !order return comes
    // before VM_BUG_ON_PAGE(compound && compound_order(page) != order), so no MD002.
    const m = collect();
    const h = m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 2);
    m.setFlag("set_bit", h, pageFlagBit("PG_hwpoison"));
    m.freePages("__free_pages", h, 0);
    expect(m.violations.map((v) => v.rule)).toEqual([]);
    expect(m.ledger().leaked).toEqual([{ pfn: h, order: 0, pages: 1, reason: "hwpoison" }]);
    // Without the poison the same free is the compound-order mismatch.
    const n = collect();
    const g = n.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 2);
    n.freePages("__free_pages", g, 0);
    expect(n.violations.map((v) => v.rule)).toEqual(["MD002"]);
  });

  it("keeps an order-0 hwpoisoned page from the allocator, without a report", () => {
    const m = collect();
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.setFlag("set_bit", p, pageFlagBit("PG_hwpoison"));
    m.freePages("__free_pages", p, 0);
    expect(reasons(m)).toEqual([]);
    expect(m.pageState(p)).toBe("leaked");
    expect(m.ledger().leaked).toEqual([{ pfn: p, order: 0, pages: 1, reason: "hwpoison" }]);
  });

  it("runs none of these checks without CONFIG_DEBUG_VM: the page is freed as it is", () => {
    const m = collect({ debugVm: false });
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.setFlag("set_bit", p, pageFlagBit("PG_lru"));
    m.setMapping("page->mapping", p, mappingOf(7));
    m.freePages("__free_pages", p, 0);
    expect(reasons(m)).toEqual([]);
    expect(m.pageState(p)).toBe("buddy");
    // PAGE_FLAGS_CHECK_AT_PREP is cleared anyway; the mapping stays, as in the kernel.
    expect(m.flags(p)).toBe(0);
    expect(m.mapping(p)).toBe(mappingOf(7));
  });
});

describe("allocation-time checks (check_new_pages)", () => {
  it("reports a corrupted free page with the PREP reason, leaks its block and takes the next", () => {
    const m = collect();
    const cols = m.unsafeMemMap();
    // Free blocks after boot: one order-6 block at 0. Corrupt page 0 behind the allocator's back.
    cols.flags[0] = 1 << pageFlagBit("PG_dirty");
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 6);
    expect(p).toBe(-1);
    expect(reasons(m)).toEqual([["MD016", 0, "PAGE_FLAGS_CHECK_AT_PREP flag(s) set"]]);
    expect(m.stats().leakedPages).toBe(64);
    expect(m.audit()).toEqual([]);
  });
});
