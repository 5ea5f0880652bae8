import { describe, expect, it } from "vitest";
import { decodeMemdesc, PAGE_FLAGS_SECOND, pageFlagBit } from "../../../src/model/index.js";
import {
  __GFP_COMP,
  GFP_KERNEL,
  LINK_NULL,
  MAPPING_NULL,
  Machine,
  MachineViolationError,
  TAIL_MAPPING,
} from "../../../src/sim/machine/index.js";

const PG_head = pageFlagBit("PG_head");

describe("prep_compound_page", () => {
  it("sets PG_head, the tails' compound_head and TAIL_MAPPING, and the folio order in _flags_1", () => {
    const m = new Machine({ pages: 16, pcp: false });
    const h = m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 3);
    expect(h).toBe(0);
    expect(m.isHead(0)).toBe(true);
    expect(m.compoundOrder(0)).toBe(3);
    expect(m.compoundNr(0)).toBe(8);
    for (let t = 1; t < 8; t++) {
      expect(m.isTail(t)).toBe(true);
      expect(m.isCompound(t)).toBe(true);
      expect(m.compoundHead(t)).toBe(0);
      expect(m.compoundOrder(t)).toBe(0);
      expect(m.private(t)).toBe(0);
    }
    // Tails from the third on hold TAIL_MAPPING; the first two hold folio fields.
    for (let t = 3; t < 8; t++) expect(m.mapping(t)).toBe(TAIL_MAPPING);
    expect(m.mapping(1)).not.toBe(TAIL_MAPPING);
    // folio_set_order(): the order in page[1]'s low flag byte.
    expect(m.flags(1) & 0xff).toBe(3);
    expect(m.pageRefCount(0)).toBe(1);
    for (let t = 1; t < 8; t++) expect(m.pageRefCount(t)).toBe(0);
    expect(m.audit()).toEqual([]);
  });

  it("shows compound_info in word 1 as set_compound_head() writes it with HVO: GENMASK(63, order + 6) | 1", () => {
    const m = new Machine({ pages: 16, pcp: false });
    m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 2);
    // include/linux/page-flags.h @03e0599d, CONFIG_HUGETLB_PAGE_OPTIMIZE_VMEMMAP, 64-byte struct page:
    // shift = 2 + order_base_2(64) = 8, GENMASK(63, 8) | 1 = 0xffffffffffffff01, the same in every tail;
    // _compound_head() = tail address & mask = 0xffffea0000000080 & mask = 0xffffea0000000000 (page 0).
    expect(m.structPage(2).words[1]).toBe(0xffffffffffffff01n);
    expect(m.structPage(3).words[1]).toBe(0xffffffffffffff01n);
    expect(m.structPage(3).words[3]).toBe(0xdead000000000400n);
    // page[1]->mapping holds _entire_mapcount = -1 (low half) and _pincount = 0.
    expect(m.structPage(1).words[3]).toBe(0x00000000ffffffffn);
    // page[1]->index holds _mm_id_mapcount[0..1] = -1.
    expect(m.structPage(1).words[4]).toBe(0xffffffffffffffffn);
  });

  it("without HVO a tail's compound_info is the head's struct page | 1; hugetlbPage: false turns HVO off", () => {
    // include/linux/page-flags.h v7.3.4 set_compound_head(): !compound_info_has_mask() writes
    // (unsigned long)head | 1. Head pfn 4: VMEMMAP_START 0xffffea0000000000 + 64 * 4 = 0xffffea0000000100,
    // | 1 = 0xffffea0000000101, in every tail of the folio.
    for (const o of [{ hugetlbVmemmapOptimize: false }, { hugetlbPage: false }]) {
      const m = new Machine({ pages: 16, pcp: false, ...o });
      m.allocPages("alloc_pages", GFP_KERNEL, 2); // pfns 0-3, so the folio's head is pfn 4
      const h = m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 2);
      expect(h).toBe(4);
      for (const t of [5, 6, 7])
        expect(m.structPage(t).words[1], JSON.stringify(o)).toBe(0xffffea0000000101n);
      // The machine's own compound_head() is the same either way.
      expect(m.compoundHead(7)).toBe(4);
    }
    // With HVO (the default) the same tails hold GENMASK(63, 2 + 6) | 1.
    const hvo = new Machine({ pages: 16, pcp: false });
    hvo.allocPages("alloc_pages", GFP_KERNEL, 2);
    hvo.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 2);
    expect(hvo.structPage(6).words[1]).toBe(0xffffffffffffff01n);
  });

  it("kernels before the mask form (6.12: no compound_info_has_mask()) show head | 1 with HVO on", () => {
    // Head pfn 4: 0xffffea0000000100 | 1. With 7.3 the same folio's tails hold GENMASK(63, 8) | 1.
    const word = (kernel: { major: number; minor: number }) => {
      const m = new Machine({ pages: 16, pcp: false, kernel });
      m.allocPages("alloc_pages", GFP_KERNEL, 2);
      m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 2);
      return m.structPage(6).words[1];
    };
    expect(word({ major: 6, minor: 12 })).toBe(0xffffea0000000101n);
    expect(word({ major: 6, minor: 6 })).toBe(0xffffea0000000101n);
    expect(word({ major: 7, minor: 3 })).toBe(0xffffffffffffff01n);
  });

  it("HVO needs CONFIG_HUGETLB_PAGE: asking for both the one without the other is an error", () => {
    expect(() => new Machine({ pages: 16, hugetlbPage: false, hugetlbVmemmapOptimize: true })).toThrow(
      /hugetlbVmemmapOptimize needs hugetlbPage/,
    );
  });

  it("an older kernel's flags word renumbers the flags and keeps page[1]'s order byte", () => {
    // 6.6 (enum after message 20230816151201.3655946-10-willy@infradead.org): PG_head stays bit 6;
    // page[1]'s low byte is the folio order (3), not flags, in every era.
    const m = new Machine({ pages: 16, pcp: false, kernel: { major: 6, minor: 6 } });
    m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 3);
    expect(m.structPage(0).words[0]).toBe(0x0017_ffff_c000_0040n);
    expect(m.structPage(1).words[0]).toBe(0x0017_ffff_c000_0003n);
    // PG_reserved: bit 13 in the columns (the newest tree), bit 14 in 6.6's word (PG_error, PG_slab below it).
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.setFlag("set_bit", p, pageFlagBit("PG_reserved"));
    expect(m.structPage(p).words[0]).toBe(0x0017_ffff_c000_4000n);
    expect(m.flags(p)).toBe(0x2000);
  });

  it("is not done without __GFP_COMP: every page of the block looks like an order-0 page", () => {
    const m = new Machine({ pages: 16, pcp: false });
    const h = m.allocPages("alloc_pages", GFP_KERNEL, 3);
    expect(m.isHead(h)).toBe(false);
    expect(m.compoundOrder(h)).toBe(0);
    for (let t = 1; t < 8; t++) {
      expect(m.isTail(h + t)).toBe(false);
      expect(m.compoundHead(h + t)).toBe(h + t);
    }
    expect(m.allocationOf(h + 5)).toEqual({ head: h, order: 3, compound: false });
  });

  it("order-0 allocations are never compound, __GFP_COMP or not", () => {
    const m = new Machine({ pages: 16, pcp: false });
    const p = m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 0);
    expect(m.isHead(p)).toBe(false);
    expect(m.testFlag(p, PG_head)).toBe(false);
  });
});

describe("freeing a compound page", () => {
  it("clears the tails (mapping NULL, compound_head cleared, PAGE_FLAGS_SECOND) and merges back", () => {
    const m = new Machine({ pages: 16, pcp: false });
    const h = m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 2);
    m.freePages("__free_pages", h, 2);
    for (let t = 1; t < 4; t++) {
      expect(m.mapping(t)).toBe(MAPPING_NULL);
      expect(m.linkNext(t)).toBe(LINK_NULL);
      expect(m.isTail(t)).toBe(false);
    }
    expect(m.flags(1) & PAGE_FLAGS_SECOND).toBe(0);
    expect(m.testFlag(0, PG_head)).toBe(false);
    expect(m.freeBlocks()).toEqual([{ pfn: 0, order: 4 }]);
    expect(m.audit()).toEqual([]);
  });

  it("stops on a wrong order: VM_BUG_ON_PAGE(compound && compound_order(page) != order)", () => {
    const m = new Machine({ pages: 16, pcp: false });
    const h = m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 2);
    let err: unknown;
    try {
      m.freePages("__free_pages", h, 1);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MachineViolationError);
    const v = (err as MachineViolationError).violation;
    expect(v.rule).toBe("MD002");
    expect(v.kernelReport).toBe("VM_BUG_ON_PAGE");
    expect(v.reason).toBe("compound && compound_order(page) != order");
    expect(v.outcome).toBe("stopped");
    expect(m.isAllocated(h)).toBe(true);
    expect(m.pageRefCount(h)).toBe(1);
    m.freePages("__free_pages", h, 2);
    expect(m.audit()).toEqual([]);
  });

  it("refuses to free a tail page (VM_BUG_ON_PAGE(PageTail(page)))", () => {
    const m = new Machine({ pages: 16, pcp: false, onViolation: "collect" });
    const h = m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 2);
    m.freePages("__free_pages", h + 1, 0);
    expect(m.violations.map((v) => [v.rule, v.reason])).toEqual([["MD002", "PageTail(page)"]]);
    expect(m.isAllocated(h + 1)).toBe(true);
  });

  it("with an extra reference, __free_pages only drops it; the last put_page frees the folio", () => {
    const m = new Machine({ pages: 16, pcp: false });
    const h = m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 2);
    m.getPage("get_page", h + 3); // get_page on a tail takes the folio's reference
    expect(m.pageRefCount(h)).toBe(2);
    expect(m.pageCount(h + 3)).toBe(2);
    m.freePages("__free_pages", h, 2);
    expect(m.isAllocated(h)).toBe(true);
    m.putPage("put_page", h + 1);
    expect(m.pageState(h)).toBe("buddy");
    expect(m.freeBlocks()).toEqual([{ pfn: 0, order: 4 }]);
  });
});

describe("memdesc words of a compound page", () => {
  it("are Misc of the allocation order on every page until a kind is set", () => {
    const m = new Machine({ pages: 64, pcp: false });
    const h = m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 3);
    for (let p = h; p < h + 8; p++) {
      const d = decodeMemdesc(m.memdescWord(p));
      expect(d.payload).toBe("misc");
      if (d.payload === "misc") {
        expect(d.subtypeName).toBe("unknown");
        expect(d.order).toBe(3);
      }
    }
  });
});
