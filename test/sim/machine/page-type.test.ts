import { describe, expect, it } from "vitest";
import { GFP_KERNEL, Machine, MachineViolationError } from "../../../src/sim/machine/index.js";

// PAGE_TYPE_OPS (include/linux/page-flags.h): __SetPageX returns if the page
// already has type X, else VM_BUG_ON_PAGE(page_type != UINT_MAX) and writes
// PGTY_X << 24; __ClearPageX returns if UINT_MAX, else VM_BUG_ON_PAGE(!PageX)
// and writes UINT_MAX.
describe("page types", () => {
  it("sets the top byte and tests it", () => {
    const m = new Machine({ pages: 16 });
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.setPageType("__SetPageTable", p, "table");
    expect(m.pageTypeWord(p)).toBe(0xf2000000);
    expect(m.testPageType(p, "table")).toBe(true);
    expect(m.pageType(p)).toBe("table");
    m.setPageType("__SetPageTable", p, "table"); // no-op
    m.setPageTypeOwnerBits("page_type", p, 0x123456);
    expect(m.pageTypeWord(p)).toBe(0xf2123456);
    m.clearPageType("__ClearPageTable", p, "table");
    expect(m.pageTypeWord(p)).toBe(0xffffffff);
    m.clearPageType("__ClearPageSlab", p, "slab"); // untyped: no-op
    expect(m.pageType(p)).toBeNull();
  });

  it("MD003: a second type is a VM_BUG_ON with CONFIG_DEBUG_VM, and the first type stays", () => {
    const m = new Machine({ pages: 16 });
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.setPageType("__SetPageSlab", p, "slab");
    expect(() => m.setPageType("__SetPageTable", p, "table")).toThrowError(MachineViolationError);
    try {
      m.setPageType("__SetPageTable", p, "table");
    } catch (e) {
      const v = (e as MachineViolationError).violation;
      expect([v.rule, v.op, v.reason, v.expected, v.got]).toEqual([
        "MD003",
        "__SetPageTable",
        "data_race(page->page_type) != UINT_MAX",
        "page_type UINT_MAX",
        "slab",
      ]);
    }
    expect(m.pageType(p)).toBe("slab");
  });

  it("MD004: clearing another type is a VM_BUG_ON", () => {
    const m = new Machine({ pages: 16, onViolation: "collect" });
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.setPageType("__SetPageOffline", p, "offline");
    m.clearPageType("__ClearPageTable", p, "table");
    expect(m.violations.map((v) => [v.rule, v.op, v.reason])).toEqual([
      ["MD004", "__ClearPageTable", "!PageTable(page)"],
    ]);
    expect(m.pageType(p)).toBe("offline");
  });

  it("without CONFIG_DEBUG_VM the kernel overwrites and clears silently, and so does the machine", () => {
    const m = new Machine({ pages: 16, debugVm: false, onViolation: "collect" });
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.setPageType("__SetPageSlab", p, "slab");
    m.setPageType("__SetPageTable", p, "table");
    expect(m.pageType(p)).toBe("table");
    m.clearPageType("__ClearPageGuard", p, "guard");
    expect(m.pageType(p)).toBeNull();
    expect(m.violations).toEqual([]);
  });

  it("hugetlb has no __SetPage accessor: FOLIO_TYPE_OPS names it __folio_set_hugetlb", () => {
    const m = new Machine({ pages: 16, onViolation: "collect" });
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.setPageType("__SetPageSlab", p, "slab");
    m.setPageType("__folio_set_hugetlb", p, "hugetlb");
    expect(m.violations[0]!.op).toBe("__folio_set_hugetlb");
  });

  it("mapcount and page type share the word: a mapped page reads as untyped", () => {
    const m = new Machine({ pages: 16 });
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    expect(m.pageMapcount(p)).toBe(-1);
    m.setPageMapcount("atomic_set(&page->_mapcount)", p, 2);
    expect(m.pageType(p)).toBeNull();
    expect(m.snapshot(p).mapcount).toBe(3);
  });
});
