import { describe, expect, it } from "vitest";
import { GFP_KERNEL, Machine } from "../../../src/sim/machine/index.js";

// Every expected layout below is worked out by hand from __rmqueue_smallest(),
// expand() (upper halves to the head of their lists) and __free_one_page()
// (buddy = pfn ^ (1 << order)).
const noPcp = (pages: number) => new Machine({ pages, pcp: false });

describe("boot", () => {
  it("frees all memory in maximal naturally aligned blocks", () => {
    expect(noPcp(16).freeBlocks()).toEqual([{ pfn: 0, order: 4 }]);
    expect(noPcp(24).freeBlocks()).toEqual([
      { pfn: 0, order: 4 },
      { pfn: 16, order: 3 },
    ]);
    // 1000 = 512 + 256 + 128 + 64 + 32 + 8
    expect(
      noPcp(1000)
        .freeBlocks()
        .map((b) => [b.pfn, b.order]),
    ).toEqual([
      [0, 9],
      [512, 8],
      [768, 7],
      [896, 6],
      [960, 5],
      [992, 3],
    ]);
    // MAX_PAGE_ORDER caps blocks at 1024 pages.
    expect(noPcp(3072).buddyinfo()).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3]);
  });

  it("marks each free block head PageBuddy with its order in private, and nothing else", () => {
    const m = noPcp(24);
    expect(m.pageType(0)).toBe("buddy");
    expect(m.private(0)).toBe(4);
    expect(m.pageType(16)).toBe("buddy");
    expect(m.private(16)).toBe(3);
    expect(m.pageType(1)).toBeNull();
    expect(m.pageTypeWord(1)).toBe(0xffffffff);
  });
});

describe("allocation splits with expand()", () => {
  it("order 0 from a 16-page machine leaves one free block per lower order", () => {
    const m = noPcp(16);
    expect(m.allocPages("alloc_pages", GFP_KERNEL, 0)).toBe(0);
    expect(m.freeBlocks()).toEqual([
      { pfn: 1, order: 0 },
      { pfn: 2, order: 1 },
      { pfn: 4, order: 2 },
      { pfn: 8, order: 3 },
    ]);
    expect(m.buddyinfo().slice(0, 5)).toEqual([1, 1, 1, 1, 0]);
    expect(m.audit()).toEqual([]);
  });

  it("takes the smallest order that has a block", () => {
    const m = noPcp(16);
    expect(m.allocPages("alloc_pages", GFP_KERNEL, 0)).toBe(0);
    expect(m.allocPages("alloc_pages", GFP_KERNEL, 0)).toBe(1);
    expect(m.allocPages("alloc_pages", GFP_KERNEL, 1)).toBe(2);
    expect(m.allocPages("alloc_pages", GFP_KERNEL, 0)).toBe(4); // splits the order-2 block at 4
    expect(m.freeBlocks()).toEqual([
      { pfn: 5, order: 0 },
      { pfn: 6, order: 1 },
      { pfn: 8, order: 3 },
    ]);
  });

  it("returns -1 when no block is large enough, and for orders above MAX_PAGE_ORDER", () => {
    const m = noPcp(16);
    expect(m.allocPages("alloc_pages", GFP_KERNEL, 5)).toBe(-1);
    expect(m.allocPages("alloc_pages", GFP_KERNEL, 11)).toBe(-1);
    expect(m.allocPages("alloc_pages", GFP_KERNEL, 4)).toBe(0);
    expect(m.allocPages("alloc_pages", GFP_KERNEL, 0)).toBe(-1);
    expect(() => m.allocPages("alloc_pages", GFP_KERNEL, -1)).toThrow(RangeError);
  });
});

describe("freeing merges with buddies", () => {
  it("merges back to the boot block", () => {
    const m = noPcp(16);
    const pages = [0, 1, 2, 3].map(() => m.allocPages("alloc_pages", GFP_KERNEL, 0));
    expect(pages).toEqual([0, 1, 2, 3]);
    m.freePages("__free_pages", 0, 0);
    // buddy of 0 at order 0 is 1: allocated. 0 stays an order-0 block.
    expect(m.freeList(0)).toEqual([0]);
    m.freePages("__free_pages", 1, 0);
    // 1 ^ 1 = 0 is free: merge to order 1 at 0; 0 ^ 2 = 2 is allocated.
    expect(m.freeList(0)).toEqual([]);
    expect(m.freeList(1)).toEqual([0]);
    m.freePages("__free_pages", 3, 0);
    m.freePages("__free_pages", 2, 0);
    // 2+3 -> order 1 at 2; 2 ^ 2 = 0 free at order 1 -> order 2 at 0; 0 ^ 4 = 4 free at order 2 -> order 3; 0 ^ 8 = 8 -> order 4.
    expect(m.freeBlocks()).toEqual([{ pfn: 0, order: 4 }]);
    expect(m.audit()).toEqual([]);
  });

  it("does not merge with a buddy of another order", () => {
    const m = noPcp(16);
    expect(m.allocPages("alloc_pages", GFP_KERNEL, 1)).toBe(0); // free: 2(o1) 4(o2) 8(o3)
    expect(m.allocPages("alloc_pages", GFP_KERNEL, 0)).toBe(2); // free: 3(o0) 4(o2) 8(o3)
    m.freePages("__free_pages", 0, 1);
    // 0 ^ 2 = 2 is allocated: order 1 at 0 stays.
    expect(m.freeBlocks()).toEqual([
      { pfn: 0, order: 1 },
      { pfn: 3, order: 0 },
      { pfn: 4, order: 2 },
      { pfn: 8, order: 3 },
    ]);
  });

  it("puts a block whose next-higher buddy is free at the tail of its list (buddy_merge_likely)", () => {
    const m = noPcp(16);
    for (const want of [0, 1, 2, 3]) expect(m.allocPages("alloc_pages", GFP_KERNEL, 0)).toBe(want);
    expect(m.allocPages("alloc_pages", GFP_KERNEL, 0)).toBe(4); // free: 5(o0) 6(o1) 8(o3)
    m.freePages("__free_pages", 0, 0);
    m.freePages("__free_pages", 1, 0); // 0..1 merge: order 1 at 0
    // Free 3: its buddy 2 is allocated, so it stays order 0. higher = 2 & 3 = 2,
    // and 2 ^ 2 = 0 is a free order-1 block: merge likely, so list_add_tail
    // puts 3 behind 5 on free_area[0].
    m.freePages("__free_pages", 3, 0);
    expect(m.freeList(0)).toEqual([5, 3]);
    // Free 4: buddy 5 is free -> order 1 at 4; 4 ^ 2 = 6 is free at order 1 -> order 2 at 4;
    // 4 ^ 4 = 0 is free at order 1, not 2: stop.
    m.freePages("__free_pages", 4, 0);
    expect(m.freeList(0)).toEqual([3]);
    expect(m.freeList(2)).toEqual([4]);
    expect(m.audit()).toEqual([]);
  });

  it("keeps free + allocated = total", () => {
    const m = noPcp(64);
    m.allocPages("alloc_pages", GFP_KERNEL, 3);
    m.allocPages("alloc_pages", GFP_KERNEL, 0);
    const s = m.stats();
    expect(s.freePages + s.allocatedPages).toBe(64);
    expect(s.allocatedPages).toBe(9);
    expect(s.buddyFreePages).toBe(55);
  });
});

describe("an owner's PGTY_buddy", () => {
  it("does not make an allocated page mergeable (the kernel would merge it; the machine stays sound)", () => {
    const m = noPcp(16);
    expect(m.allocPages("alloc_pages", GFP_KERNEL, 0)).toBe(0);
    expect(m.allocPages("alloc_pages", GFP_KERNEL, 0)).toBe(1);
    m.setPageType("__SetPageBuddy", 1, "buddy");
    m.setPrivate("set_page_private", 1, 0);
    m.freePages("__free_pages", 0, 0);
    expect(m.freeList(0)).toEqual([0]);
    expect(m.isAllocated(1)).toBe(true);
    expect(m.audit()).toEqual([]);
  });
});
