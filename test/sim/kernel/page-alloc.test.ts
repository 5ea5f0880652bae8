/**
 * Exact-size allocations, reserved pages and contiguous ranges, with the
 * results worked out by hand from mm/page_alloc.c (make_alloc_exact,
 * free_pages_exact, free_contig_range) and mm/bootmem_info.c (put_page_bootmem).
 */
import { describe, expect, it } from "vitest";
import {
  __free_page,
  __GFP_COMP,
  alloc_contig_pages,
  alloc_page,
  alloc_pages,
  alloc_pages_exact,
  ClearPagePrivate,
  ClearPageReserved,
  free_contig_range,
  free_pages,
  free_pages_exact,
  free_reserved_page,
  free_reserved_pages,
  GFP_KERNEL,
  get_page,
  Machine,
  nth_page,
  PAGE_SIZE,
  PagePrivate,
  PageReserved,
  page_ref_count,
  page_to_pfn,
  pfn_to_page,
  put_page_bootmem,
  runOn,
  SetPagePrivate,
  SetPageReserved,
  virt_to_pfn,
  vmemmap_alloc_block,
} from "../../../src/sim/index.js";

const machine = () => new Machine({ pages: 1024, onViolation: "collect" });

describe("alloc_pages_exact / free_pages_exact", () => {
  it("allocate get_order(size) and free the tail past DIV_ROUND_UP(size, PAGE_SIZE)", () => {
    const m = machine();
    runOn(m, () => {
      // size 5 pages: get_order = 3 (8 pages), nr = 5; pages 5..7 go back at once.
      const addr = alloc_pages_exact(5 * PAGE_SIZE, GFP_KERNEL)!;
      const pfn = virt_to_pfn(addr);
      expect([0, 1, 2, 3, 4, 5, 6, 7].map((i) => m.isAllocated(pfn + i))).toEqual([
        true,
        true,
        true,
        true,
        true,
        false,
        false,
        false,
      ]);
      // Each remaining page is its own order-0 allocation with one reference.
      expect(m.isHead(pfn)).toBe(false);
      expect(m.ledger().allocations.map((a) => a.order)).toEqual([0, 0, 0, 0, 0]);
      free_pages_exact(addr, 5 * PAGE_SIZE);
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.ledger().allocations).toEqual([]);
  });
  it("drop __GFP_COMP (WARN_ON_ONCE in the kernel): never a compound block", () => {
    const m = machine();
    runOn(m, () => {
      const addr = alloc_pages_exact(4 * PAGE_SIZE, GFP_KERNEL | __GFP_COMP)!;
      expect(m.isHead(virt_to_pfn(addr))).toBe(false);
      free_pages_exact(addr, 4 * PAGE_SIZE);
    });
    expect(m.ledger().allocations).toEqual([]);
  });
});

describe("reserved pages", () => {
  it("a page freed while PG_reserved is set is a bad page (PAGE_FLAGS_CHECK_AT_FREE)", () => {
    const m = machine();
    runOn(m, () => {
      const page = alloc_page(GFP_KERNEL)!;
      SetPageReserved(page);
      expect(PageReserved(page)).toBe(true);
      __free_page(page);
    });
    expect(m.takeViolations().map((v) => v.rule)).toContain("MD016");
  });
  it("free_reserved_page clears PG_reserved first; ClearPageReserved clears it", () => {
    const m = machine();
    runOn(m, () => {
      const a = alloc_page(GFP_KERNEL)!;
      SetPageReserved(a);
      free_reserved_page(a);
      const b = alloc_page(GFP_KERNEL)!;
      SetPageReserved(b);
      ClearPageReserved(b);
      expect(PageReserved(b)).toBe(false);
      __free_page(b);
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.ledger().allocations).toEqual([]);
  });
  it("put_page_bootmem frees only when page_ref_dec_return() == 1", () => {
    const m = machine();
    runOn(m, () => {
      const page = alloc_page(GFP_KERNEL)!;
      SetPageReserved(page);
      get_page(page); // get_page_bootmem's reference: 2
      get_page(page); // 3
      put_page_bootmem(page); // 3 → 2: kept
      expect(m.isAllocated(page_to_pfn(page))).toBe(true);
      expect(page_ref_count(page)).toBe(2);
      put_page_bootmem(page); // 2 → 1 → free_reserved_page
      expect(m.isAllocated(page_to_pfn(page))).toBe(false);
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.ledger().allocations).toEqual([]);
  });
  it("put_page_bootmem on a page with refcount 1 is an error naming the kernel's outcome", () => {
    const m = machine();
    runOn(m, () => {
      const page = alloc_page(GFP_KERNEL)!;
      expect(() => put_page_bootmem(page)).toThrow("has refcount 1; the kernel would leave it at 0");
      __free_page(page);
    });
  });
});

describe("alloc_contig_pages / free_contig_range", () => {
  it("nr_pages order-0 pages, each freed by free_contig_range", () => {
    const m = machine();
    runOn(m, () => {
      const page = alloc_contig_pages(5, GFP_KERNEL, 0, null)!;
      const pfn = page_to_pfn(page);
      expect(m.ledger().allocations.map((a) => a.order)).toEqual([0, 0, 0, 0, 0]);
      free_contig_range(pfn, 5);
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.ledger().allocations).toEqual([]);
  });
  it("with __GFP_COMP: one compound block, folio_put by free_contig_range when nr_pages matches", () => {
    const m = machine();
    runOn(m, () => {
      const page = alloc_contig_pages(4, GFP_KERNEL | __GFP_COMP, 0, null)!;
      const pfn = page_to_pfn(page);
      expect(m.isHead(pfn)).toBe(true);
      expect(m.compoundOrder(pfn)).toBe(2);
      expect(() => free_contig_range(pfn, 2)).toThrow("nr_pages 2 != expected 4");
      free_contig_range(pfn, 4);
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.ledger().allocations).toEqual([]);
  });
});

describe("vmemmap_alloc_block (mm/sparse-vmemmap.c)", () => {
  it("is a non-compound block of get_order(size), freed whole with free_pages(addr, order)", () => {
    const m = new Machine({ pages: 1024, onViolation: "collect" });
    runOn(m, () => {
      const addr = vmemmap_alloc_block(4 * PAGE_SIZE, 0)!; // get_order(16 KiB) = 2
      const pfn = virt_to_pfn(addr);
      expect(m.isHead(pfn)).toBe(false);
      expect(m.ledger().allocations.map((a) => [a.order, a.compound])).toEqual([[2, false]]);
      free_pages(addr, 2);
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.ledger().allocations).toEqual([]);
  });
});

describe("free_reserved_pages (mm/page_alloc.c)", () => {
  it("clears PG_reserved and the refcount of each page, then frees the block frozen at its order", () => {
    const m = machine();
    runOn(m, () => {
      const page = alloc_pages(GFP_KERNEL, 2)!;
      const pfn = page_to_pfn(page);
      for (let i = 0; i < 4; i++) SetPageReserved(nth_page(page, i));
      free_reserved_pages(page, 2);
      expect([0, 1, 2, 3].map((i) => m.isAllocated(pfn + i))).toEqual([false, false, false, false]);
      expect(PageReserved(pfn_to_page(pfn + 3))).toBe(false);
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.ledger().allocations).toEqual([]);
  });
  it("VM_WARN_ON_ONCE on a block not aligned to its order", () => {
    runOn(machine(), () => {
      const page = alloc_pages(GFP_KERNEL, 1)!;
      expect(() => free_reserved_pages(nth_page(page, 1), 1)).toThrow(/VM_WARN_ON_ONCE\(!IS_ALIGNED/);
    });
  });
});

describe("PG_private (PAGEFLAG(Private, private, PF_ANY))", () => {
  it("a page freed with PG_private still set is a bad page: the flag is in PAGE_FLAGS_CHECK_AT_FREE", () => {
    const m = machine();
    runOn(m, () => {
      const page = alloc_page(GFP_KERNEL)!;
      expect(PagePrivate(page)).toBe(false);
      SetPagePrivate(page);
      expect(PagePrivate(page)).toBe(true);
      __free_page(page);
    });
    expect(m.takeViolations().map((v) => v.rule)).toContain("MD016");
  });
  it("ClearPagePrivate before the free (kernel/events/ring_buffer.c rb_free_aux_page()) frees cleanly", () => {
    const m = machine();
    runOn(m, () => {
      const page = alloc_page(GFP_KERNEL)!;
      SetPagePrivate(page);
      ClearPagePrivate(page);
      expect(PagePrivate(page)).toBe(false);
      __free_page(page);
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.ledger().allocations).toEqual([]);
  });
});
