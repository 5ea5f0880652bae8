import { describe, expect, it } from "vitest";
import { decodeMemdesc } from "../../../src/model/index.js";
import { __GFP_COMP, GFP_KERNEL, Machine } from "../../../src/sim/machine/index.js";

const collect = () => new Machine({ pages: 64, pcp: false, onViolation: "collect", trackAllocSites: true });

describe("split_page", () => {
  it("makes 2^order order-0 allocations, each with refcount 1, each freed on its own", () => {
    const m = collect();
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 2, "drv_probe");
    m.splitPage("split_page", p, 2);
    for (let q = p; q < p + 4; q++) {
      expect(m.pageRefCount(q)).toBe(1);
      expect(m.allocationOf(q)).toEqual({ head: q, order: 0, compound: false });
      const d = decodeMemdesc(m.memdescWord(q));
      expect(d.payload === "misc" && d.order).toBe(0);
    }
    expect(m.ledger().allocations.map((a) => [a.pfn, a.order, a.site])).toEqual([
      [0, 0, "drv_probe"],
      [1, 0, "drv_probe"],
      [2, 0, "drv_probe"],
      [3, 0, "drv_probe"],
    ]);
    for (const q of [3, 1, 0, 2]) m.freePages("__free_pages", q, 0);
    expect(m.violations).toEqual([]);
    expect(m.freeBlocks()).toEqual([{ pfn: 0, order: 6 }]);
  });

  it("refuses a compound page (MD010): set_page_refcounted() on the first tail would BUG", () => {
    const m = collect();
    const p = m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 2);
    m.splitPage("split_page", p, 2);
    expect(m.violations.map((v) => [v.rule, v.outcome, v.kernelReport])).toEqual([
      ["MD010", "stopped", "VM_BUG_ON_PAGE"],
    ]);
    expect(m.pageRefCount(p + 1)).toBe(0);
    expect(m.isTail(p + 1)).toBe(true);
  });

  it("warns on a block with refcount 0 (VM_WARN_ON_PAGE(!page_count(page))) and splits it", () => {
    const m = collect();
    const p = m.allocFrozenPages("alloc_frozen_pages", GFP_KERNEL, 1);
    m.splitPage("split_page", p, 1);
    expect(m.violations.map((v) => [v.rule, v.outcome, v.kernelReport])).toEqual([
      ["MD010", "performed", "VM_WARN_ON_PAGE"],
    ]);
    expect(m.pageRefCount(p)).toBe(0);
    expect(m.pageRefCount(p + 1)).toBe(1);
  });

  it("refuses an order above the allocation's (MD002) and orphans what a smaller one leaves", () => {
    const m = collect();
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 1);
    m.splitPage("split_page", p, 2);
    expect(m.violations.map((v) => [v.rule, v.outcome])).toEqual([["MD002", "stopped"]]);
    const q = m.allocPages("alloc_pages", GFP_KERNEL, 2);
    m.splitPage("split_page", q, 1);
    expect(m.violations.map((v) => [v.rule, v.outcome])).toEqual([
      ["MD002", "stopped"],
      ["MD002", "performed"],
    ]);
    expect(m.ledger().orphanedTails).toMatchObject([
      { pfn: q + 2, pages: 2, formerHead: q, freedBy: "split_page" },
    ]);
  });

  it("a split of a free page is a use after free (MD015)", () => {
    const m = collect();
    m.splitPage("split_page", 5, 0);
    expect(m.violations.map((v) => v.rule)).toEqual(["MD015"]);
  });
});
