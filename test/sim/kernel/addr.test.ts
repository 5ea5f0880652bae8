/**
 * Kernel address arithmetic, 64-bit exact: values worked out by hand from
 * the macros (include/linux/align.h, include/linux/mm.h, include/linux/pfn.h,
 * arch/x86/include/asm/page.h with PAGE_OFFSET = 0xffff888000000000,
 * PAGE_SHIFT = 12).
 */
import { describe, expect, it } from "vitest";
import {
  __free_pages,
  __get_free_page,
  __pa,
  __va,
  ALIGN,
  ALIGN_DOWN,
  alloc_pages,
  free_page,
  GFP_KERNEL,
  IS_ALIGNED,
  Machine,
  offset_in_page,
  PAGE_ALIGN,
  PAGE_ALIGN_DOWN,
  PAGE_OFFSET,
  PAGE_SIZE,
  PFN_DOWN,
  PFN_PHYS,
  PFN_UP,
  PMD_SIZE,
  page_address,
  page_to_pfn,
  page_to_phys,
  pfn_to_kaddr,
  pfn_to_page,
  runOn,
  virt_to_folio,
  virt_to_head_page,
  virt_to_pfn,
  virt_to_phys,
} from "../../../src/sim/index.js";

describe("alignment", () => {
  it("ALIGN / ALIGN_DOWN / PAGE_ALIGN round to powers of two", () => {
    expect(ALIGN(0x1001, 0x1000)).toBe(0x2000);
    expect(ALIGN(0x1000, 0x1000)).toBe(0x1000);
    expect(ALIGN_DOWN(0x1fff, 0x1000)).toBe(0x1000);
    expect(PAGE_ALIGN(1)).toBe(0x1000);
    expect(PAGE_ALIGN(0)).toBe(0);
    // unsigned long wraps: ALIGN(ULONG_MAX, 4096) == 0 in C.
    expect(ALIGN(0xffffffffffffffffn, 0x1000n)).toBe(0n);
  });
  it("is exact near 2^64, where JavaScript's & truncates to 32 bits", () => {
    const addr = 0xffff888000000800; // PAGE_OFFSET + 2048: a double exactly
    expect(PAGE_OFFSET).toBe(0xffff888000000000);
    // The trap: ToInt32 keeps 0x00000800, so the masked value is 0.
    expect(addr & ~(PAGE_SIZE - 1)).toBe(0);
    expect(PAGE_ALIGN_DOWN(addr)).toBe(0xffff888000000000);
    expect(PAGE_ALIGN(addr)).toBe(0xffff888000001000);
    expect(offset_in_page(addr)).toBe(0x800);
    expect(IS_ALIGNED(0xffff888000200000, PMD_SIZE)).toBe(true);
    expect(IS_ALIGNED(0xffff888000201000, PMD_SIZE)).toBe(false);
  });
  it("bigint in, bigint out: byte-exact addresses", () => {
    expect(PAGE_ALIGN(0xffff888000000001n)).toBe(0xffff888000001000n);
    expect(offset_in_page(0xffff888000000008n)).toBe(8);
    expect(__va(0x1008n)).toBe(0xffff888000001008n);
    expect(__pa(0xffff888000001008n)).toBe(0x1008n);
  });
  it("a number result that a double cannot hold exactly is an error, not a rounding", () => {
    expect(() => __va(0x1008)).toThrow(
      "__va: the result 0xffff888000001008 is not exact as a JavaScript number",
    );
    expect(() => ALIGN(1.5, 2)).toThrow("not an integer");
  });
});

describe("PFNs and physical addresses", () => {
  it("PFN_DOWN / PFN_UP / PFN_PHYS", () => {
    expect(PFN_DOWN(0x1fff)).toBe(1);
    expect(PFN_UP(0x1001)).toBe(2);
    expect(PFN_UP(0x1000)).toBe(1);
    expect(PFN_PHYS(5)).toBe(0x5000);
    expect(PFN_DOWN(0xffff888000123000n)).toBe(0xffff888000123);
  });
  it("__pa / __va / pfn_to_kaddr / page_to_phys / virt_to_pfn on the direct map", () => {
    const m = new Machine({ pages: 1024, onViolation: "collect" });
    runOn(m, () => {
      expect(__pa(0xffff888000123000)).toBe(0x123000);
      expect(virt_to_phys(0xffff888000123000)).toBe(0x123000);
      expect(__va(0x123000)).toBe(0xffff888000123000);
      expect(pfn_to_kaddr(5)).toBe(0xffff888000005000);
      expect(page_to_phys(pfn_to_page(5))).toBe(0x5000);
      expect(virt_to_pfn(0xffff888000005800)).toBe(5);
      expect(() => __pa(0x1000)).toThrow("not a direct-map address");
    });
  });
});

describe("virt_to_head_page / virt_to_folio (include/linux/mm.h)", () => {
  it("find the head of the compound block an address points into", () => {
    const m = new Machine({ pages: 1024, onViolation: "collect" });
    runOn(m, () => {
      const page = alloc_pages(`${GFP_KERNEL} | __GFP_COMP`, 2)!;
      const head = page_to_pfn(page);
      const inside = page_address(page) + 3 * PAGE_SIZE + 0x800;
      expect(page_to_pfn(virt_to_head_page(inside))).toBe(head);
      expect(page_to_pfn(virt_to_folio(inside) as never)).toBe(head);
      __free_pages(page, 2);
      // A non-compound block has no head: each page is its own.
      const plain = alloc_pages(GFP_KERNEL, 1)!;
      const second = page_address(plain) + PAGE_SIZE;
      expect(page_to_pfn(virt_to_head_page(second))).toBe(page_to_pfn(plain) + 1);
      __free_pages(plain, 1);
      const a = __get_free_page(GFP_KERNEL);
      expect(offset_in_page(a)).toBe(0);
      free_page(a as Exclude<typeof a, 0>);
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.ledger().allocations).toEqual([]);
  });
});
