/**
 * Allocation: get_page_from_freelist → rmqueue → prep_new_page, as in
 * mm/page_alloc.c (linux-mm/linux-mm @00cb34b0) and mm/internal.h (@009857a2).
 *
 * - rmqueue(): pcp_allowed_order() orders come from the pcp list
 *   (rmqueue_pcplist), others, or a pcp miss, from the buddy
 *   (rmqueue_buddy → __rmqueue_smallest).
 * - check_new_pages(): with check_pages_enabled every page of the block must
 *   pass page_expected_state(PAGE_FLAGS_CHECK_AT_PREP | __PG_HWPOISON); a
 *   block that fails is reported by bad_page() (or, if hwpoisoned, silently)
 *   and dropped, and the allocator takes the next one.
 * - A failed attempt drains the pcp lists and tries once more, as
 *   __alloc_pages_direct_reclaim() does with drain_all_pages() (no reclaim,
 *   no compaction, no OOM killer: a machine that is out of memory returns -1).
 * - prep_new_page(): post_alloc_hook() sets private 0, __alloc_pages sets the
 *   refcount to 1 (set_page_refcounted) unless the caller asked for frozen
 *   pages, and prep_compound_page() runs only when order && (gfp & __GFP_COMP).
 */
import { PAGE_FLAG_MASK, PAGE_FLAGS_CHECK_AT_PREP } from "../../model/index.js";
import { rmqueueSmallest } from "./buddy.js";
import { pageBadReason, pageExpectedState } from "./checks.js";
import {
  LINK_DEFERRED_LIST_EMPTY,
  LINK_FOLIO_LARGE_MAPCOUNT_INIT,
  MAPPING_DEFERRED_LIST_EMPTY,
  MAPPING_FOLIO_ENTIRE_MAPCOUNT_INIT,
  MAX_PAGE_ORDER,
  PT_UNTYPED,
  S_ALLOC,
  S_HEAD,
  S_STALE_IOTLB,
  TAIL_MAPPING,
} from "./constants.js";
import type { Ctx } from "./context.js";
import * as gfpFlags from "./gfp.js";
import { __GFP_COMP } from "./gfp.js";
import { MISC_SUBTYPE_UNKNOWN } from "./memdesc.js";
import { compoundInfoOf, setULong32 } from "./memmap.js";
import { drainPcp, rmqueuePcplist } from "./pcp.js";

const PG_HEAD = PAGE_FLAG_MASK.PG_head;
const PG_HWPOISON = PAGE_FLAG_MASK.PG_hwpoison;
/** PAGE_FLAGS_CHECK_AT_PREP | __PG_HWPOISON: what check_new_page() tests. */
const CHECK_NEW = (PAGE_FLAGS_CHECK_AT_PREP | PG_HWPOISON) >>> 0;

/**
 * check_new_pages(): true when the block is bad. A bad block is reported
 * (bad_page, unless hwpoisoned: check_new_page_bad() does not complain
 * about those) and leaked.
 */
function checkNewPages(ctx: Ctx, op: string, pfn: number, order: number): boolean {
  const memmap = ctx.zone.memmap;
  const { pageType, mappingHalves: mapping, refcount, flags } = memmap;
  for (let p = pfn, end = pfn + (1 << order); p < end; p++) {
    // page_expected_state(p, CHECK_NEW), read from columns held in locals (2^order pages).
    if (
      pageType[p] === PT_UNTYPED &&
      (mapping[2 * p]! | mapping[2 * p + 1]!) === 0 &&
      refcount[p] === 0 &&
      (flags[p]! & CHECK_NEW) === 0
    )
      continue;
    if (pageExpectedState(memmap, p, CHECK_NEW)) continue;
    if ((memmap.flags[p]! & PG_HWPOISON) === 0) {
      ctx.reporter.badPage(
        op,
        p,
        pageBadReason(memmap, p, PAGE_FLAGS_CHECK_AT_PREP) ?? "PAGE_FLAGS_CHECK_AT_PREP flag(s) set",
      );
    }
    ctx.leakBlock(pfn, order);
    return true;
  }
  return false;
}

/** rmqueue() with its check_new_pages() retry loop; -1 when nothing is free. */
function rmqueue(ctx: Ctx, op: string, order: number): number {
  const zone = ctx.zone;
  const pindex = zone.pcp ? zone.pcpIndex[order]! : -1;
  for (;;) {
    let pfn = pindex >= 0 ? rmqueuePcplist(zone, order, pindex) : -1;
    if (pfn < 0) pfn = rmqueueSmallest(zone, order);
    if (pfn < 0) return -1;
    if (ctx.config.debugVm && checkNewPages(ctx, op, pfn, order)) continue;
    return pfn;
  }
}

/**
 * prep_compound_page() after its per-tail part (prep_compound_tail(): mapping = TAIL_MAPPING,
 * set_compound_head(), private 0), which allocPages() runs in its one pass over the block:
 * PG_head, then prep_compound_head().
 */
function prepCompoundHead(ctx: Ctx, pfn: number, order: number): void {
  const memmap = ctx.zone.memmap;
  memmap.flags[pfn] = memmap.flags[pfn]! | PG_HEAD;
  // prep_compound_head(): folio_set_order() writes the order into _flags_1's
  // low byte; _large_mapcount/_nr_pages_mapped overlay page[1] word 2,
  // _entire_mapcount/_pincount page[1]->mapping, _deferred_list page[2]
  // words 2-3 (order > 1).
  memmap.flags[pfn + 1] = ((memmap.flags[pfn + 1]! & ~0xff) | order) >>> 0;
  memmap.prev[pfn + 1] = LINK_FOLIO_LARGE_MAPCOUNT_INIT;
  setULong32(memmap.mappingHalves, pfn + 1, MAPPING_FOLIO_ENTIRE_MAPCOUNT_INIT);
  if (order > 1) {
    memmap.prev[pfn + 2] = LINK_DEFERRED_LIST_EMPTY;
    setULong32(memmap.mappingHalves, pfn + 2, MAPPING_DEFERRED_LIST_EMPTY);
  }
}

/** MD017: a page handed out while an SVA-bound IOMMU may still cache walks of it. */
export function checkStaleIotlb(ctx: Ctx, op: string, pfn: number, order: number): void {
  const memmap = ctx.zone.memmap;
  for (let p = pfn, end = pfn + (1 << order); p < end; p++) {
    if ((memmap.state[p]! & S_STALE_IOTLB) === 0) continue;
    ctx.reporter.report({
      rule: "MD017",
      op,
      pfn: p,
      order,
      message: `pfn 0x${p.toString(16)} was a kernel page table, freed with no IOMMU invalidation (iommu_sva_invalidate_kva_range) since; the IOMMU may still walk it and write A/D bits into its new owner's data`,
      kernelReport: "none",
      outcome: "performed",
      where: "mm/pgtable-generic.c",
    });
    return;
  }
}

/** The MD017 check the general path runs, for a page the order-0 fast path handed out. */
export function checkStaleIotlbAfterFastAlloc(ctx: Ctx, op: string, pfn: number): void {
  if (!ctx.config.iommuSva || (ctx.zone.memmap.state[pfn]! & S_STALE_IOTLB) === 0) return;
  checkStaleIotlb(ctx, op, pfn, 0);
  ctx.reporter.flush(pfn);
}

/** The leak ledger's id for an allocation site (0: none, or sites are not tracked). */
export function siteIdOf(ctx: Ctx, site: string | undefined): number {
  return site !== undefined && ctx.zone.memmap.site ? ctx.reporter.siteId(site) : 0;
}

/** __alloc_frozen_pages(gfp, order): as __alloc_pages(), with refcount 0 (slab allocates this way). */
export function allocFrozenPagesOp(ctx: Ctx, op: string, gfp: number, order: number, site?: string): number {
  return allocPages(ctx, op, gfp, order, false, siteIdOf(ctx, site));
}

/** The machine's GFP bits for base flag names (include/linux/gfp_types.h). */
export function gfpMaskOf(names: Iterable<string>): number {
  let mask = 0;
  for (const name of names) {
    const value = (gfpFlags as Record<string, unknown>)[name];
    if (typeof value !== "number")
      throw new TypeError(`GFP flag ${name} has no value in include/linux/gfp_types.h`);
    mask |= value;
  }
  return mask;
}

/**
 * __alloc_pages / __alloc_frozen_pages: the first pfn of a naturally
 * aligned block of 2^order pages, or -1.
 */
export function allocPages(
  ctx: Ctx,
  op: string,
  gfp: number,
  order: number,
  refcounted: boolean,
  siteId: number,
): number {
  if (!Number.isInteger(order) || order < 0)
    throw new RangeError(`order ${order} is not a non-negative integer`);
  // alloc_order_allowed(): WARN_ON_ONCE_GFP(order > MAX_PAGE_ORDER) and fail.
  if (order > MAX_PAGE_ORDER) return -1;
  const zone = ctx.zone;
  let pfn = rmqueue(ctx, op, order);
  if (pfn < 0 && zone.pcpCount > 0) {
    drainPcp(zone);
    pfn = rmqueue(ctx, op, order);
  }
  if (pfn < 0) {
    ctx.reporter.flush();
    return -1;
  }
  const memmap = zone.memmap;
  const n = 1 << order;
  const lo = zone.encoder.miscLo(MISC_SUBTYPE_UNKNOWN, order);
  const compound = order !== 0 && (gfp & __GFP_COMP) !== 0;
  if (compound) {
    // One pass over the block: allocated, the memdesc word, and prep_compound_tail() on each tail.
    const { state, md, mappingHalves: mapping, next, privateHalves: priv } = memmap;
    const tail = compoundInfoOf(pfn);
    state[pfn] = S_ALLOC | (state[pfn]! & S_STALE_IOTLB);
    md[2 * pfn] = lo;
    md[2 * pfn + 1] = 0;
    for (let t = pfn + 1, end = pfn + n; t < end; t++) {
      state[t] = S_ALLOC | (state[t]! & S_STALE_IOTLB);
      md[2 * t] = lo;
      md[2 * t + 1] = 0;
      mapping[2 * t] = TAIL_MAPPING;
      mapping[2 * t + 1] = 0;
      next[t] = tail;
      priv[2 * t] = 0;
      priv[2 * t + 1] = 0;
    }
  } else {
    for (let p = pfn; p < pfn + n; p++) memmap.state[p] = S_ALLOC | (memmap.state[p]! & S_STALE_IOTLB);
    ctx.fillWord(pfn, n, lo, 0);
  }
  memmap.state[pfn] = memmap.state[pfn]! | S_HEAD;
  memmap.order[pfn] = order;
  setULong32(memmap.privateHalves, pfn, 0);
  memmap.refcount[pfn] = refcounted ? 1 : 0;
  if (compound) prepCompoundHead(ctx, pfn, order);
  if (memmap.site) memmap.site[pfn] = siteId;
  zone.nrAllocPages += n;
  if (ctx.config.iommuSva && zone.nrStaleIotlb !== 0) checkStaleIotlb(ctx, op, pfn, order);
  ctx.reporter.flush(pfn);
  return pfn;
}
