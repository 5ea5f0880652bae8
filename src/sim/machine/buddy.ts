/**
 * The buddy allocator of mm/page_alloc.c (linux-mm/linux-mm @00cb34b0) on the
 * zone's typed arrays: __free_one_page() merging with buddy_pfn = pfn ^ (1 << order),
 * __rmqueue_smallest() and expand() splitting, set_buddy_order() putting
 * PGTY_buddy and the order (in ->private) on the first page of each free
 * block, buddy_merge_likely() choosing the list end.
 *
 * Simplifications, all documented in docs/sim-machine.md: one zone, one
 * migratetype (so no fallbacks, no pageblock stealing, and merging above
 * pageblock_order never stops for migratetype reasons), no guard pages, no
 * compaction capture, no page reporting, no shuffling.
 *
 * Invariant kept for the memdesc word (memdesc.ts): every free page holds a
 * Buddy word, with the block order on the block's first page and 0 on the
 * others. Merging and splitting rewrite block heads only, so they stay O(1)
 * per order, as in the kernel.
 */
import {
  LIST_HEAD_BASE,
  LIST_POISON1,
  LIST_POISON2,
  MAX_PAGE_ORDER,
  NR_PAGE_ORDERS,
  PT_BUDDY,
  PT_UNTYPED,
  S_BUDDY,
  S_HEAD,
  S_WHERE,
} from "./constants.js";
import { listAdd, listAddTail, listDel } from "./lists.js";
import { setULong32, ulongIs } from "./memmap.js";
import type { Zone } from "./zone.js";

/**
 * page_is_buddy(): PageBuddy and buddy_order == order (one zone, so no zone
 * check). The machine also asks its own state: a caller that sets
 * PGTY_buddy and a matching private on a page it owns would have the kernel
 * merge that page into a free block; the machine does not corrupt itself so.
 */
export function pageIsBuddy(zone: Zone, pfn: number, order: number): boolean {
  const memmap = zone.memmap;
  return (
    pfn < memmap.n &&
    memmap.pageType[pfn] === PT_BUDDY &&
    ulongIs(memmap.privateHalves, pfn, order) &&
    (memmap.state[pfn]! & (S_WHERE | S_HEAD)) === (S_BUDDY | S_HEAD)
  );
}

/** set_buddy_order() plus the machine's block-head bookkeeping. */
function setBuddyOrder(zone: Zone, pfn: number, order: number): void {
  const memmap = zone.memmap;
  setULong32(memmap.privateHalves, pfn, order);
  memmap.pageType[pfn] = PT_BUDDY;
  memmap.state[pfn] = S_BUDDY | S_HEAD | (memmap.state[pfn]! & 0x80);
  memmap.md[2 * pfn] = zone.encoder.buddyLo(order);
  memmap.md[2 * pfn + 1] = 0;
}

/** __del_page_from_free_list(): off the list, PageBuddy cleared, private 0. */
function delPageFromFreeList(zone: Zone, pfn: number, order: number): void {
  const memmap = zone.memmap;
  listDel(memmap, pfn);
  memmap.pageType[pfn] = PT_UNTYPED;
  setULong32(memmap.privateHalves, pfn, 0);
  zone.nrFree[order]!--;
}

/** A free block's first page that stops being one (merged into a larger block). */
function becomeInterior(zone: Zone, pfn: number): void {
  const memmap = zone.memmap;
  memmap.state[pfn] = S_BUDDY | (memmap.state[pfn]! & 0x80);
  memmap.md[2 * pfn] = zone.encoder.buddyLo(0);
  memmap.md[2 * pfn + 1] = 0;
}

/**
 * buddy_merge_likely(): if the buddy of the next-higher order is free, the
 * block goes to the tail of its list so it is less likely to be allocated
 * before it can merge.
 */
function buddyMergeLikely(zone: Zone, pfn: number, buddyPfn: number, order: number): boolean {
  if (order >= MAX_PAGE_ORDER - 1) return false;
  const higher = buddyPfn & pfn;
  return pageIsBuddy(zone, higher ^ (1 << (order + 1)), order + 1);
}

/**
 * __free_one_page(): put a prepared block (every page already in state
 * S_BUDDY with a Buddy/0 word, page_type UINT_MAX, private 0) on the free
 * lists, merging with free buddies as far as they go.
 */
export function freeOnePage(zone: Zone, pfn: number, order: number, toTail: boolean): void {
  const memmap = zone.memmap;
  zone.nrFreeBuddyPages += 1 << order;
  let buddyPfn = 0;
  while (order < MAX_PAGE_ORDER) {
    buddyPfn = pfn ^ (1 << order);
    if (!pageIsBuddy(zone, buddyPfn, order)) break;
    delPageFromFreeList(zone, buddyPfn, order);
    const combined = buddyPfn & pfn;
    becomeInterior(zone, combined === pfn ? buddyPfn : pfn);
    pfn = combined;
    order++;
  }
  setBuddyOrder(zone, pfn, order);
  const head = zone.freeHead[order]!;
  if (toTail || buddyMergeLikely(zone, pfn, buddyPfn, order)) listAddTail(memmap, pfn, head);
  else listAdd(memmap, pfn, head);
  zone.nrFree[order]!++;
}

/**
 * expand(): split the block [pfn, pfn + 2^high) down to 2^low, putting each
 * upper half on the free list of its order (list_add, the list's head).
 */
function expand(zone: Zone, pfn: number, low: number, high: number): void {
  let size = 1 << high;
  while (high > low) {
    high--;
    size >>= 1;
    const half = pfn + size;
    listAdd(zone.memmap, half, zone.freeHead[high]!);
    setBuddyOrder(zone, half, high);
    zone.nrFree[high]!++;
  }
}

/**
 * __rmqueue_smallest(): take the first block of the smallest order >= `order`
 * that has one, split off what is not needed, and return its first pfn
 * (-1 when nothing is free). The page is left in state S_BUDDY|S_HEAD with
 * its list links poisoned; the caller makes it an allocation or a pcp block.
 */
export function rmqueueSmallest(zone: Zone, order: number): number {
  const memmap = zone.memmap;
  for (let cur = order; cur < NR_PAGE_ORDERS; cur++) {
    const head = zone.freeHead[cur]!;
    const pfn = memmap.headNext[LIST_HEAD_BASE - head]!;
    if (pfn === head) continue;
    delPageFromFreeList(zone, pfn, cur);
    expand(zone, pfn, order, cur);
    zone.nrFreeBuddyPages -= 1 << order;
    memmap.next[pfn] = LIST_POISON1;
    memmap.prev[pfn] = LIST_POISON2;
    return pfn;
  }
  return -1;
}

/**
 * Boot: hand every page to the buddy in the largest naturally aligned blocks
 * (memblock_free_all → __free_pages_core → __free_pages_ok(…, FPI_TO_TAIL)),
 * lowest pfn first. Built directly rather than by freeing page by page.
 */
export function initFreeBlocks(zone: Zone): void {
  const memmap = zone.memmap;
  memmap.md.fill(0);
  const lo0 = zone.encoder.buddyLo(0);
  for (let p = 0; p < memmap.n; p++) memmap.md[2 * p] = lo0;
  let pfn = 0;
  while (pfn < memmap.n) {
    let order = MAX_PAGE_ORDER;
    while (order > 0 && ((pfn & ((1 << order) - 1)) !== 0 || pfn + (1 << order) > memmap.n)) order--;
    setBuddyOrder(zone, pfn, order);
    listAddTail(memmap, pfn, zone.freeHead[order]!);
    zone.nrFree[order]!++;
    zone.nrFreeBuddyPages += 1 << order;
    pfn += 1 << order;
  }
}
