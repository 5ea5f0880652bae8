/**
 * What /proc/buddyinfo, /proc/zoneinfo and the machine's own counters show:
 * the free lists, the pcp lists, where each page is, and the allocation a
 * page belongs to.
 */
import { NR_PAGE_ORDERS, PCP_ORDERS, S_ALLOC, S_WHERE } from "./constants.js";
import type { Ctx } from "./context.js";
import type { PoolStats } from "./descriptors.js";
import * as lists from "./lists.js";
import { type MemMap, PageHead } from "./memmap.js";
import { type PageStateName, pageStateName } from "./snapshot.js";

export interface MachineStats {
  readonly totalPages: number;
  /** Free pages: in the buddy plus on the pcp lists. */
  readonly freePages: number;
  /** NR_FREE_PAGES: free pages in the buddy. */
  readonly buddyFreePages: number;
  /** pcp->count */
  readonly pcpPages: number;
  /** Pages not free: owned, orphaned, or leaked by bad_page(). free + allocated = total. */
  readonly allocatedPages: number;
  readonly orphanedPages: number;
  readonly leakedPages: number;
  /** /proc/buddyinfo: free blocks per order, 0..MAX_PAGE_ORDER. */
  readonly buddyinfo: readonly number[];
  readonly descriptors: readonly PoolStats[];
  /** Pages carrying the stale-IOTLB mark. */
  readonly staleIotlbPages: number;
}

/** A block on a free list: its first page and order. */
export interface FreeBlock {
  pfn: number;
  order: number;
}

/** An allocation: its first page, order and compound-ness. */
export interface AllocationInfo {
  readonly head: number;
  readonly order: number;
  readonly compound: boolean;
}

/** The machine's counters. */
export function machineStats(ctx: Ctx): MachineStats {
  const zone = ctx.zone;
  const memmap = zone.memmap;
  let orphaned = 0;
  for (const event of ctx.orphanEvents) {
    for (let p = event.from; p < event.to; p++) if (pageStateName(memmap.state[p]!) === "orphan") orphaned++;
  }
  return {
    totalPages: memmap.n,
    freePages: zone.nrFreeBuddyPages + zone.pcpCount,
    buddyFreePages: zone.nrFreeBuddyPages,
    pcpPages: zone.pcpCount,
    allocatedPages: zone.nrAllocPages + zone.nrLeakedPages,
    orphanedPages: orphaned,
    leakedPages: zone.nrLeakedPages,
    buddyinfo: Array.from(zone.nrFree),
    descriptors: zone.pools.stats(),
    staleIotlbPages: zone.nrStaleIotlb,
  };
}

/** Typed-array bytes the machine holds (memory map, list heads, pool bookkeeping). */
export function machineBytes(ctx: Ctx): number {
  return ctx.zone.memmap.bytes() + ctx.zone.pools.bytes() + ctx.stale.byteLength;
}

/** /proc/buddyinfo for the one zone: free blocks per order. */
export function buddyinfoOf(ctx: Ctx): number[] {
  return Array.from(ctx.zone.nrFree);
}

/** free_area[order]'s list in list order: the first entry is the next one __rmqueue_smallest() takes. */
export function freeListOf(ctx: Ctx, order: number): number[] {
  return lists.listNodes(ctx.zone.memmap, ctx.zone.freeHead[order]!);
}

/** The free blocks on the buddy lists, lowest pfn first. */
export function freeBlocksOf(ctx: Ctx): FreeBlock[] {
  const zone = ctx.zone;
  const out: FreeBlock[] = [];
  for (let order = 0; order < NR_PAGE_ORDERS; order++) {
    for (const pfn of lists.listNodes(zone.memmap, zone.freeHead[order]!)) out.push({ pfn, order });
  }
  return out.sort((x, y) => x.pfn - y.pfn);
}

/** Blocks on each pcp list, by order. */
export function pcpListsOf(ctx: Ctx): { order: number; pfns: number[] }[] {
  const zone = ctx.zone;
  return PCP_ORDERS.map((order, pindex) => ({
    order,
    pfns: lists.listNodes(zone.memmap, zone.pcpHead[pindex]!),
  }));
}

/** Where a page is: "buddy", "pcp", "allocated", "orphan" (MD018) or "leaked" (bad_page). */
export function pageStateOf(memmap: MemMap, pfn: number): PageStateName {
  return pageStateName(memmap.state[pfn]!);
}

/** Allocated and owned (not free, not orphaned, not leaked). */
export function isAllocatedPage(memmap: MemMap, pfn: number): boolean {
  return pageStateOf(memmap, pfn) === "allocated";
}

/** The allocation pfn belongs to, or null when it is free, leaked or in none. */
export function allocationOfPfn(ctx: Ctx, pfn: number): AllocationInfo | null {
  const memmap = ctx.zone.memmap;
  if ((memmap.state[pfn]! & S_WHERE) !== S_ALLOC) return null;
  const head = ctx.allocationHead(pfn);
  if (head < 0) return null;
  return { head, order: memmap.order[head]!, compound: PageHead(memmap, head) };
}

/** The order the allocation containing `pfn` was made at (compound or not), or -1. */
export function allocationOrderOf(ctx: Ctx, pfn: number): number {
  return allocationOfPfn(ctx, pfn)?.order ?? -1;
}

/** The first page of the allocation containing `pfn`, or -1. */
export function allocationHeadOf(ctx: Ctx, pfn: number): number {
  return allocationOfPfn(ctx, pfn)?.head ?? -1;
}
