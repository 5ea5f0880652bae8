import { describe, expect, it } from "vitest";
import { __GFP_COMP, GFP_KERNEL, Machine, MachineViolationError } from "../../../src/sim/machine/index.js";

const collect = () => new Machine({ pages: 64, pcp: false, onViolation: "collect" });
const rules = (m: Machine) => m.violations.map((v) => [v.rule, v.op, v.outcome]);

describe("__free_pages on a non-compound block whose first page is still referenced", () => {
  it("frees every part but the first page; the last put_page frees the first at order 0", () => {
    const m = collect();
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 2);
    expect(p).toBe(0);
    m.getPage("get_page", p); // a speculative reference
    m.freePages("__free_pages", p, 2);
    // while (order-- > 0): page + 2 at order 1, then page + 1 at order 0.
    expect(m.pageState(p)).toBe("allocated");
    expect(m.pageRefCount(p)).toBe(1);
    expect([1, 2, 3].map((q) => m.pageState(q))).toEqual(["buddy", "buddy", "buddy"]);
    expect(m.ledger().allocations).toMatchObject([{ pfn: 0, order: 0, pages: 1, compound: false }]);
    expect(m.ledger().orphanedTails).toEqual([]);
    m.putPage("put_page", p);
    expect(rules(m)).toEqual([]);
    expect(m.freeBlocks()).toEqual([{ pfn: 0, order: 6 }]);
    expect(m.audit()).toEqual([]);
  });

  it("a compound block with an extra reference is not split up: the reference just drops", () => {
    const m = collect();
    const p = m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 2);
    m.getPage("get_page", p);
    m.freePages("__free_pages", p, 2);
    for (let q = p; q < p + 4; q++) expect(m.pageState(q)).toBe("allocated");
    m.putPage("put_page", p);
    expect(m.freeBlocks()).toEqual([{ pfn: 0, order: 6 }]);
  });
});

describe("put_page on a non-compound high-order block (MD009, MD018)", () => {
  it("frees only the first page and orphans the tails", () => {
    const m = collect();
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 2);
    m.putPage("put_page", p);
    expect(rules(m)).toEqual([["MD009", "put_page", "performed"]]);
    expect(m.pageState(p)).toBe("buddy");
    expect([1, 2, 3].map((q) => m.pageState(p + q))).toEqual(["orphan", "orphan", "orphan"]);
    const l = m.ledger();
    expect(l.allocations).toEqual([]);
    expect(l.orphanedTails).toEqual([
      { pfn: 1, pages: 3, formerHead: 0, formerOrder: 2, freedBy: "put_page", site: null },
    ]);
    expect(m.stats()).toMatchObject({ allocatedPages: 3, orphanedPages: 3, freePages: 61 });
    expect(m.audit()).toEqual([]);
  });

  it("an orphaned tail cannot be freed: nobody owns it (MD015)", () => {
    const m = collect();
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 1);
    m.putPage("put_page", p);
    m.freePages("__free_pages", p + 1, 0);
    expect(rules(m)).toEqual([
      ["MD009", "put_page", "performed"],
      ["MD015", "__free_pages", "stopped"],
    ]);
  });
});

describe("__free_pages(page, compound_order(page)) (MD009)", () => {
  it("frees a compound block whole", () => {
    const m = collect();
    const p = m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 3);
    m.freeCompoundOrder("__pagetable_free", p);
    expect(rules(m)).toEqual([]);
    expect(m.freeBlocks()).toEqual([{ pfn: 0, order: 6 }]);
  });

  it("frees one page of a non-compound block and reports the leak", () => {
    const m = collect();
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 3);
    m.freeCompoundOrder("__pagetable_free", p);
    expect(rules(m)).toEqual([["MD009", "__pagetable_free", "performed"]]);
    expect(m.violations[0]!.message).toBe(
      "MD009 __pagetable_free: frees compound_order(page) = 0 pages of a non-compound order-3 block: 7 tail pages leak",
    );
    expect(m.ledger().orphanedTails).toMatchObject([
      { pfn: 1, pages: 7, formerHead: 0, freedBy: "__pagetable_free" },
    ]);
  });
});

describe("wrong order, double free, use after free", () => {
  it("a non-compound block freed at a smaller order leaks the rest (MD002, performed)", () => {
    const m = collect();
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 2);
    m.freePages("__free_pages", p, 0);
    expect(rules(m)).toEqual([["MD002", "__free_pages", "performed"]]);
    expect(m.ledger().orphanedTails).toMatchObject([{ pfn: 1, pages: 3, formerHead: 0, formerOrder: 2 }]);
  });

  it("a non-compound block freed at a larger order is refused (MD002, stopped)", () => {
    const m = collect();
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 1);
    m.freePages("__free_pages", p, 2);
    expect(rules(m)).toEqual([["MD002", "__free_pages", "stopped"]]);
    expect(m.isAllocated(p)).toBe(true);
    expect(m.isAllocated(p + 1)).toBe(true);
  });

  it("a page freed twice is MD014, and the machine stays sound", () => {
    const m = new Machine({ pages: 64 });
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.freePages("__free_pages", p, 0);
    expect(() => m.freePages("__free_pages", p, 0)).toThrow(MachineViolationError);
    try {
      m.freePages("__free_pages", p, 0);
    } catch (e) {
      const v = (e as MachineViolationError).violation;
      expect(v.rule).toBe("MD014");
      expect(v.reason).toBe("page_ref_count(page) == 0");
      expect(v.kernelReport).toBe("VM_BUG_ON_PAGE");
    }
    expect(m.audit()).toEqual([]);
  });

  it("put_page on a free page is MD014; get_page and flag writes on it are MD015", () => {
    const m = collect();
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.putPage("put_page", p);
    m.putPage("put_page", p);
    m.getPage("get_page", p);
    m.setFlag("set_bit", p, 3);
    expect(rules(m)).toEqual([
      ["MD014", "put_page", "stopped"],
      ["MD015", "get_page", "stopped"],
      ["MD015", "set_bit", "stopped"],
    ]);
    expect(m.flags(p)).toBe(0);
  });

  it("freeing a page inside a non-compound block is MD002", () => {
    const m = collect();
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 2);
    m.freePages("__free_pages", p + 2, 1);
    expect(m.violations.map((v) => [v.rule, v.expected, v.got])).toEqual([["MD002", "pfn 0x0", "pfn 0x2"]]);
  });

  it("free_frozen_pages frees a refcount-0 block; __free_pages on one is MD014", () => {
    const m = collect();
    const p = m.allocFrozenPages("alloc_frozen_pages", GFP_KERNEL, 1);
    expect(m.pageRefCount(p)).toBe(0);
    m.freePages("__free_pages", p, 1);
    expect(rules(m)).toEqual([["MD014", "__free_pages", "stopped"]]);
    m.freeFrozenPages("free_frozen_pages", p, 1);
    expect(m.freeBlocks()).toEqual([{ pfn: 0, order: 6 }]);
  });

  it("put_page ignores slab and large-kmalloc pages, as the kernel's put_page() does", () => {
    const m = collect();
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.setPageType("__SetPageSlab", p, "slab");
    m.putPage("put_page", p);
    m.getPage("get_page", p);
    expect(m.pageRefCount(p)).toBe(1);
    expect(m.isAllocated(p)).toBe(true);
  });

  it("without CONFIG_DEBUG_VM a put on a refcount-0 page underflows silently, as the kernel does", () => {
    const m = new Machine({ pages: 64, pcp: false, debugVm: false, onViolation: "collect" });
    const p = m.allocFrozenPages("alloc_frozen_pages", GFP_KERNEL, 0);
    m.putPage("put_page", p);
    expect(m.violations).toEqual([]);
    expect(m.pageRefCount(p)).toBe(-1);
    expect(m.isAllocated(p)).toBe(true);
  });
});
