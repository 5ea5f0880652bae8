import { describe, expect, it } from "vitest";
import {
  __GFP_COMP,
  defaultPcpConfig,
  GFP_KERNEL,
  Machine,
  zoneBatchsize,
} from "../../../src/sim/machine/index.js";

// 64 pages, batch 4, high 8. Worked out by hand from rmqueue_bulk() (blocks
// taken one by one with __rmqueue_smallest and appended in order),
// __rmqueue_pcplist() (list_first_entry), free_frozen_page_commit()
// (list_add at the head, drain when count >= high) and free_pcppages_bulk()
// (list_last_entry first).
const machine = () => new Machine({ pages: 64, pcp: { batch: 4, high: 8 } });

describe("pcp sizing", () => {
  it("follows zone_batchsize()", () => {
    // 4194304 pages: min(4096, 256) = 256; /4 = 64; rounddown_pow_of_two(96) - 1 = 63.
    expect(zoneBatchsize(4_194_304)).toBe(63);
    // 131072 pages (512 MiB): min(128, 256) / 4 = 32; rounddown(48) - 1 = 31.
    expect(zoneBatchsize(131_072)).toBe(31);
    // Tiny zones clamp to 1.
    expect(zoneBatchsize(64)).toBe(1);
    expect(defaultPcpConfig(4_194_304)).toEqual({ batch: 63, high: 252 });
  });
});

describe("pcp refill and drain", () => {
  it("refills a batch from the buddy on the first order-0 allocation", () => {
    const m = machine();
    expect(m.allocPages("alloc_pages", GFP_KERNEL, 0)).toBe(0);
    // rmqueue_bulk took 0, 1, 2, 3 (the last two by splitting the order-1 block at 2).
    expect(m.pcpLists()[0]!.pfns).toEqual([1, 2, 3]);
    expect(m.stats().pcpPages).toBe(3);
    expect(m.freeBlocks()).toEqual([
      { pfn: 4, order: 2 },
      { pfn: 8, order: 3 },
      { pfn: 16, order: 4 },
      { pfn: 32, order: 5 },
    ]);
    // pcp pages are free but not PageBuddy.
    expect(m.pageState(1)).toBe("pcp");
    expect(m.pageType(1)).toBeNull();
    expect(m.audit()).toEqual([]);
  });

  it("serves order-0 traffic from the list without touching the buddy", () => {
    const m = machine();
    expect([0, 1, 2, 3].map(() => m.allocPages("alloc_pages", GFP_KERNEL, 0))).toEqual([0, 1, 2, 3]);
    const buddy = m.buddyinfo();
    for (const p of [3, 2, 1, 0]) m.freePages("__free_pages", p, 0);
    expect(m.pcpLists()[0]!.pfns).toEqual([0, 1, 2, 3]);
    expect(m.buddyinfo()).toEqual(buddy);
    expect(m.allocPages("alloc_pages", GFP_KERNEL, 0)).toBe(0);
    expect(m.buddyinfo()).toEqual(buddy);
  });

  it("drains a batch from the list tail when the count reaches high", () => {
    const m = machine();
    const got = Array.from({ length: 8 }, () => m.allocPages("alloc_pages", GFP_KERNEL, 0));
    // Second refill split the order-2 block at 4: 4, 5, 6, 7.
    expect(got).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (let p = 0; p < 8; p++) m.freePages("__free_pages", p, 0);
    // The 8th free reached high: 0, 1, 2, 3 (the list tail) went back and merged to order 2 at 0.
    expect(m.pcpLists()[0]!.pfns).toEqual([7, 6, 5, 4]);
    expect(m.freeBlocks()).toEqual([
      { pfn: 0, order: 2 },
      { pfn: 8, order: 3 },
      { pfn: 16, order: 4 },
      { pfn: 32, order: 5 },
    ]);
    m.drainPcp();
    expect(m.freeBlocks()).toEqual([{ pfn: 0, order: 6 }]);
    expect(m.audit()).toEqual([]);
  });

  it("refills higher orders with max(batch >> order, 2) blocks", () => {
    const m = machine();
    expect(m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 1)).toBe(0);
    // batch 4 >> 1 = 2 blocks: 0 and 2.
    expect(m.pcpLists()[1]!.pfns).toEqual([2]);
    expect(m.allocPages("alloc_pages", GFP_KERNEL, 3)).toBe(8);
    // batch 4 >> 3 = 0, at least 2: 8 and 16 (the order-4 block at 16 split: 16 taken, 24 free).
    expect(m.pcpLists()[3]!.pfns).toEqual([16]);
    expect(m.audit()).toEqual([]);
  });

  it("keeps orders above PAGE_ALLOC_COSTLY_ORDER (other than the THP order) off the pcp lists", () => {
    const m = new Machine({ pages: 2048, pcp: { batch: 4, high: 8 } });
    const p = m.allocPages("alloc_pages", GFP_KERNEL, 4);
    m.freePages("__free_pages", p, 4);
    expect(m.stats().pcpPages).toBe(0);
    const t = m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 9);
    m.freePages("__free_pages", t, 9);
    // HPAGE_PMD_ORDER has a pcp list.
    expect(m.pcpLists()[4]).toEqual({ order: 9, pfns: [t] });
  });

  it("drains the pcp lists and retries before failing an allocation", () => {
    const m = machine();
    m.allocPages("alloc_pages", GFP_KERNEL, 0); // pcp holds 1, 2, 3
    expect(m.allocPages("alloc_pages", GFP_KERNEL, 5)).toBe(32);
    expect(m.allocPages("alloc_pages", GFP_KERNEL, 4)).toBe(16);
    expect(m.allocPages("alloc_pages", GFP_KERNEL, 3)).toBe(8);
    // Only 4..7 are in the buddy now; an order-2 request finds them.
    expect(m.allocPages("alloc_pages", GFP_KERNEL, 2)).toBe(4);
    // 1..3 are on the pcp list, so the buddy has nothing of order 1: drain, then 2..3 merge.
    expect(m.allocPages("alloc_pages", GFP_KERNEL, 1)).toBe(2);
    expect(m.stats().pcpPages).toBe(0);
    expect(m.audit()).toEqual([]);
  });
});
