/**
 * The IOMMU hazard (MD017), machine side: which pages are page tables that
 * may be reachable from the kernel's page tables, and which freed kernel
 * tables no IOMMU invalidation has covered yet (decisions 0007, 0211). An
 * SVA-bound IOMMU walks the CPU's kernel page tables and caches what it
 * walked (the 2025 series "iommu/sva: Invalidate stale IOTLB entries for
 * kernel address space"), so a table page reused before
 * iommu_sva_invalidate_kva_range() may be written through a stale walk.
 */
import { S_PGTABLE_REACHABLE, S_STALE_IOTLB } from "./constants.js";
import type { Ctx } from "./context.js";
import { checkPfn } from "./memmap.js";

/** Mark `nrPages` pages from `pfn` as freed kernel page tables no invalidation has covered. */
export function markStale(ctx: Ctx, pfn: number, nrPages: number): void {
  const zone = ctx.zone;
  const state = zone.memmap.state;
  for (let p = pfn; p < pfn + nrPages; p++) {
    if (state[p]! & S_STALE_IOTLB) continue;
    state[p] = state[p]! | S_STALE_IOTLB;
    zone.nrStaleIotlb++;
    if (ctx.nStale === ctx.stale.length) {
      const grown = new Int32Array(ctx.stale.length * 2);
      grown.set(ctx.stale);
      ctx.stale = grown;
    }
    ctx.stale[ctx.nStale++] = p;
  }
}

/**
 * Mark pages as freed kernel page tables no IOMMU invalidation has covered
 * yet (MD017 if one is handed out with iommuSva); every page must be one of
 * the machine's.
 */
export function markStaleIotlbOp(ctx: Ctx, _op: string, pfn: number, nrPages: number): void {
  if (nrPages > 0) checkPfn(ctx.zone.memmap, pfn + nrPages - 1);
  markStale(ctx, pfn, nrPages);
}

/** Whether the page carries the stale-IOTLB mark. */
export function isStaleIotlb(ctx: Ctx, pfn: number): boolean {
  return (ctx.zone.memmap.state[pfn]! & S_STALE_IOTLB) !== 0;
}

/** iommu_sva_invalidate_kva_range(PAGE_OFFSET, TLB_FLUSH_ALL): clears every mark. */
export function invalidateAllOp(ctx: Ctx, _op: string): void {
  const state = ctx.zone.memmap.state;
  for (let i = 0; i < ctx.nStale; i++) {
    const p = ctx.stale[i]!;
    state[p] = state[p]! & ~S_STALE_IOTLB;
  }
  ctx.nStale = 0;
  ctx.zone.nrStaleIotlb = 0;
  ctx.iommuEpoch++;
}

/** Kernel code started freeing the table at `pfn` (the first release counts); MachinePort.notePgtableRelease. */
export function noteReleaseOp(ctx: Ctx, _op: string, pfn: number): void {
  if (!ctx.pgtableReleased.has(pfn)) ctx.pgtableReleased.set(pfn, ctx.iommuEpoch);
}

/**
 * The table at `pfn` is given back now: whether an IOMMU invalidation came
 * between its release and now (a give-back with no earlier release is its
 * own release). Forgets the release.
 */
export function invalidatedSinceRelease(ctx: Ctx, pfn: number): boolean {
  const released = ctx.pgtableReleased.get(pfn);
  ctx.pgtableReleased.delete(pfn);
  return released !== undefined && released !== ctx.iommuEpoch;
}

/**
 * Every page of the live allocation containing `pfn` may now be reachable
 * (an install, or an escape); MachinePort.markPgtableReachable.
 */
export function markReachableOp(ctx: Ctx, op: string, pfn: number): void {
  if (!ctx.checkLive(op, pfn)) return;
  const memmap = ctx.zone.memmap;
  const head = ctx.allocationHead(pfn);
  if (head < 0) return;
  for (let p = head, end = head + 2 ** memmap.order[head]!; p < end; p++)
    memmap.state[p] = memmap.state[p]! | S_PGTABLE_REACHABLE;
}

/** Whether the page table containing `pfn` may be reachable (false: provably never installed). */
export function isReachable(ctx: Ctx, pfn: number): boolean {
  return (ctx.zone.memmap.state[pfn]! & S_PGTABLE_REACHABLE) !== 0;
}
