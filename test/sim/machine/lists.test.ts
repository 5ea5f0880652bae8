import { describe, expect, it } from "vitest";
import {
  __GFP_COMP,
  GFP_KERNEL,
  LIST_POISON1,
  LIST_POISON2,
  ListCorruptionError,
  Machine,
} from "../../../src/sim/machine/index.js";

// Callers' lists (a folio's lru, a ptdesc's pt_list) use the same words 1/2
// as the allocator's free and pcp lists, as in struct page.
describe("callers' lists over words 1 and 2", () => {
  it("list_add / list_add_tail / list_del with the kernel's order and poisons", () => {
    const m = new Machine({ pages: 64, pcp: false });
    const head = m.newListHead();
    const [a, b, c] = [0, 0, 0].map(() => m.allocPages("alloc_pages", GFP_KERNEL, 0)) as [
      number,
      number,
      number,
    ];
    m.listAdd("list_add", a, head);
    m.listAdd("list_add", b, head); // stack order: b, a
    m.listAddTail("list_add_tail", c, head); // queue order: b, a, c
    expect(m.listNodes(head)).toEqual([b, a, c]);
    expect(m.listFirst(head)).toBe(b);
    m.listDel("list_del", a);
    expect(m.listNodes(head)).toEqual([b, c]);
    expect([m.linkNext(a), m.linkPrev(a)]).toEqual([LIST_POISON1, LIST_POISON2]);
    m.listDel("list_del", b);
    m.listDel("list_del", c);
    expect(m.listEmpty(head)).toBe(true);
  });

  it("a ptdesc's pt_list is the head page's words 1/2: a deferred-free list of compound page tables", () => {
    const m = new Machine({ pages: 64, pcp: false });
    const pending = m.newListHead();
    const pts = [
      m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 0),
      m.allocPages("alloc_pages", GFP_KERNEL | __GFP_COMP, 1),
    ];
    for (const pt of pts) m.listAddTail("list_add_tail", pt, pending);
    const drained: number[] = [];
    for (let pt = m.listFirst(pending); pt !== -1; pt = m.listFirst(pending)) {
      m.listDel("list_del", pt);
      drained.push(pt);
      m.freeCompoundOrder("__pagetable_free", pt);
    }
    expect(drained).toEqual(pts);
    expect(m.freeBlocks()).toEqual([{ pfn: 0, order: 6 }]);
  });

  it("stops list corruption as CONFIG_DEBUG_LIST does, before it reaches the allocator's lists", () => {
    const m = new Machine({ pages: 64, pcp: false });
    const head = m.newListHead();
    const a = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    // A page that is on no list.
    expect(() => m.listDel("list_del", a)).toThrow(
      /list_del corruption, ffffea0000000008->next is LIST_POISON1/,
    );
    m.listAdd("list_add", a, head);
    expect(() => m.listAdd("list_add", a, head)).toThrow(/list_add double add/);
    // The allocator's own lists are not the caller's.
    expect(() => m.listAdd("list_add", a, -16)).toThrow(ListCorruptionError);
    // A link pointed at a free page.
    const b = m.allocPages("alloc_pages", GFP_KERNEL, 0);
    m.setLinkNext("page->lru", b, 40);
    expect(() => m.listAdd("list_add", a, b)).toThrow(/list_add corruption/);
    expect(m.audit()).toEqual([]);
  });
});
