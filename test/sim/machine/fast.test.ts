import { describe, expect, it } from "vitest";
import { pageFlagBit } from "../../../src/model/index.js";
import { FOLIO_MAPPING_ANON, GFP_KERNEL, Machine, mappingOf } from "../../../src/sim/machine/index.js";

// Order-0 traffic with pcp lists takes the fast paths; whatever is unusual
// must fall back to the general path and come out exactly as without pcp.
const withPcp = () =>
  new Machine({ pages: 64, pcp: { batch: 4, high: 8 }, onViolation: "collect", trackAllocSites: true });

describe("order-0 fast paths", () => {
  it("report what the general path reports", () => {
    const m = withPcp();
    const a = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    const b = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    const c = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.setFlag("set_bit", a, pageFlagBit("PG_lru"));
    m.setMapping("page->mapping", b, mappingOf(2));
    m.setPageMapcount("atomic_set(&page->_mapcount)", c, 0);
    m.freePages("__free_pages", a, 0);
    m.freePages("__free_pages", b, 0);
    m.freePages("__free_pages", c, 0);
    expect(m.violations.map((v) => [v.rule, v.pfn, v.reason])).toEqual([
      ["MD016", a, "PAGE_FLAGS_CHECK_AT_FREE flag(s) set"],
      ["MD016", b, "non-NULL mapping"],
      ["MD016", c, "nonzero mapcount"],
    ]);
    expect(m.audit()).toEqual([]);
  });

  it("reset what __free_pages_prepare resets: a page type, an anon mapping, PG_mlocked", () => {
    const m = withPcp();
    const a = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.setPageType("__SetPageTable", a, "table");
    m.setMapping("page->mapping", a, mappingOf(3, FOLIO_MAPPING_ANON));
    m.setFlag("set_bit", a, pageFlagBit("PG_mlocked"));
    m.setPrivate("set_page_private", a, 7);
    m.freePages("__free_pages", a, 0);
    expect(m.violations).toEqual([]);
    expect(m.pageState(a)).toBe("pcp");
    expect([m.pageTypeWord(a), m.mapping(a), m.flags(a), m.private(a)]).toEqual([0xffffffff, 0, 0, 0]);
    expect(m.allocPages("alloc_pages", GFP_KERNEL, 0)).toBe(a);
  });

  it("give a descriptor back, and double frees still fail", () => {
    const m = withPcp();
    const a = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.setMemdescKind("memdesc", a, "slab");
    m.freePages("__free_pages", a, 0);
    // struct slab at the final stage is 80 bytes (src/model/layouts, MEMDESC_KINDS.slab).
    expect(m.stats().descriptors).toEqual([{ kind: "slab", objectBytes: 80, live: 0, carved: 1 }]);
    m.freePages("__free_pages", a, 0);
    expect(m.violations.map((v) => v.rule)).toEqual(["MD014"]);
  });

  it("record the allocation site, and clear a stale one", () => {
    const m = withPcp();
    const a = m.allocPages("alloc_pages", GFP_KERNEL, 0, "first");
    expect(m.ledger().allocations[0]!.site).toBe("first");
    m.freePages("__free_pages", a, 0);
    expect(m.allocPages("alloc_pages", GFP_KERNEL, 0)).toBe(a);
    expect(m.ledger().allocations[0]!.site).toBeNull();
  });

  it("take an extra reference into account", () => {
    const m = withPcp();
    const a = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.getPage("get_page", a);
    m.freePages("__free_pages", a, 0);
    expect(m.isAllocated(a)).toBe(true);
    m.freePages("__free_pages", a, 0);
    expect(m.pageState(a)).toBe("pcp");
    expect(m.violations).toEqual([]);
  });
});
