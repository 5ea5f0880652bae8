/**
 * Slab pages and large kmalloc as mm/slub.c makes them: values worked out from
 * include/linux/slab.h (KMALLOC_MAX_CACHE_SIZE = 1 << (PAGE_SHIFT + 1) = 8192)
 * and SLUB's kmem_cache_order_objects encoding (order << 16 | objects); page types
 * from include/linux/page-flags.h (6.15): PGTY_slab 0xf5, PGTY_large_kmalloc 0xf8.
 */
import { describe, expect, it } from "vitest";
import {
  __free_slab,
  alloc_slab_page,
  GFP_KERNEL,
  KMALLOC_MAX_CACHE_SIZE,
  kfree,
  kmalloc,
  kmem_cache_alloc,
  kmem_cache_create,
  kmem_cache_free,
  Machine,
  oo_make,
  oo_objects,
  oo_order,
  page_to_pfn,
  runOn,
  slab_page,
  virt_to_pfn,
} from "../../../src/sim/index.js";

const machine = () => new Machine({ pages: 2048, onViolation: "collect" });
const topByte = (m: Machine, pfn: number) => m.pageTypeWord(pfn) >>> 24;

describe("kmem_cache_order_objects", () => {
  it("packs order << 16 | objects", () => {
    const oo = oo_make(1, 256); // 8192 / 256 = 32 objects
    expect(oo.x).toBe((1 << 16) | 32);
    expect(oo_order(oo)).toBe(1);
    expect(oo_objects(oo)).toBe(32);
  });
});

describe("slab pages", () => {
  it("alloc_slab_page(flags, node, oo, allow_spin) sets PGTY_slab; __GFP_COMP comes from the caller", () => {
    const m = machine();
    runOn(m, () => {
      const slab = alloc_slab_page(`${GFP_KERNEL} | __GFP_COMP`, -1, oo_make(1, 512), true)!;
      const pfn = page_to_pfn(slab_page(slab));
      expect(m.isHead(pfn)).toBe(true);
      expect(topByte(m, pfn)).toBe(0xf5);
      __free_slab(null, slab, true);
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.ledger().allocations).toEqual([]);
  });
  it("alloc_slab_page(…, allow_spin = false) ignores flags: alloc_frozen_pages_nolock() implies __GFP_COMP", () => {
    // mm/slub.c (linux-mm/linux-mm @0349fd01): `alloc_frozen_pages_nolock(0 /* __GFP_COMP is implied */, node, order)`
    const m = machine();
    runOn(m, () => {
      const slab = alloc_slab_page(GFP_KERNEL, -1, oo_make(1, 512), false)!;
      const pfn = page_to_pfn(slab_page(slab));
      expect(m.isHead(pfn)).toBe(true);
      expect(topByte(m, pfn)).toBe(0xf5);
      __free_slab(null, slab, false);
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.ledger().allocations).toEqual([]);
  });
  it("kmem_cache_alloc fills a slab, opens a second, and an empty slab is freed", () => {
    const m = machine();
    runOn(m, () => {
      // size 1024: order 1 (8 objects need 8 KiB), 8192 / 1024 = 8 objects per slab.
      const s = kmem_cache_create("test-1k", 1024, 8, 0, null);
      expect([oo_order(s.oo), oo_objects(s.oo)]).toEqual([1, 8]);
      const objs = Array.from({ length: 9 }, () => kmem_cache_alloc(s, GFP_KERNEL)!);
      expect(objs[1]! - objs[0]!).toBe(1024n);
      const first = virt_to_pfn(objs[0]!);
      const ninth = virt_to_pfn(objs[8]!);
      expect(ninth).not.toBe(first);
      expect(m.isHead(first)).toBe(true);
      expect(m.ledger().allocations.length).toBe(2);
      for (const o of objs) kmem_cache_free(s, o);
      expect(() => kmem_cache_free(s, objs[0]!)).toThrow("is not an allocated object of cache test-1k");
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.ledger().allocations).toEqual([]);
  });
});

describe("kmalloc / kfree", () => {
  it("above KMALLOC_MAX_CACHE_SIZE: a compound PGTY_large_kmalloc block from the page allocator", () => {
    expect(KMALLOC_MAX_CACHE_SIZE).toBe(8192);
    const m = machine();
    runOn(m, () => {
      const big = kmalloc(8193, GFP_KERNEL)!; // get_order(8193) = 2
      const pfn = virt_to_pfn(big);
      expect(m.isHead(pfn)).toBe(true);
      expect(m.compoundOrder(pfn)).toBe(2);
      expect(topByte(m, pfn)).toBe(0xf8);
      const small = kmalloc(100, GFP_KERNEL)!; // kmalloc-128
      expect(typeof small).toBe("bigint");
      expect(topByte(m, virt_to_pfn(small))).toBe(0xf5);
      kfree(big);
      kfree(small);
      kfree(null);
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.ledger().allocations).toEqual([]);
  });
});
