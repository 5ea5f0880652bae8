/**
 * Freeing, as mm/page_alloc.c (linux-mm/linux-mm @00cb34b0) and
 * include/linux/mm.h (@009857a2) do it:
 *
 *   __free_pages(page, order)   ___free_pages(): if put_page_testzero() frees
 *                               the block; otherwise, for a page that was not
 *                               a compound head, frees every part but the
 *                               first page (while (order-- > 0) …).
 *   free_frozen_pages()         __free_frozen_pages(): no refcount change.
 *   put_page() / folio_put()    __folio_put() frees folio_order() pages: 0
 *                               for a non-compound block, whatever its size.
 *   __free_pages(page, compound_order(page))   what __pagetable_free() does.
 *
 * and __free_pages_prepare() with its checks (free_page_is_bad,
 * free_tail_page_prepare, "nonzero private"), which run when
 * check_pages_enabled, i.e. with the machine's debugVm.
 */
import {
  PAGE_FLAG_MASK,
  PAGE_FLAGS_CHECK_AT_FREE,
  PAGE_FLAGS_CHECK_AT_PREP,
  PAGE_FLAGS_SECOND,
  PT_FLAGS,
} from "../../model/index.js";
import { freeOnePage } from "./buddy.js";
import { freeTailPageBadReason, pageBadReason, pageExpectedState } from "./checks.js";
import {
  FOLIO_MAPPING_ANON,
  LINK_NULL,
  MAX_PAGE_ORDER,
  MISC_ORDER_MASK,
  PGTY_MAPCOUNT_UNDERFLOW_WORD,
  PT_BUDDY,
  PT_UNTYPED,
  REFCOUNT_IGNORED_TOP,
  S_BUDDY,
  S_HEAD,
  S_OWNER_MASK,
  S_OWNER_SHIFT,
  S_STALE_IOTLB,
  TAIL_MAPPING,
} from "./constants.js";
import type { Ctx } from "./context.js";
import { invalidatedSinceRelease, isReachable, markStale } from "./iommu.js";
import {
  compound_head_pfn,
  compound_order,
  compoundInfoOf,
  PageHead,
  setULong32,
  ulongIsZero,
} from "./memmap.js";
import { freeFrozenPageCommit } from "./pcp.js";
import { PTDESC_CONSTRUCTED } from "./ptdesc-state.js";

const PG_MLOCKED = PAGE_FLAG_MASK.PG_mlocked;
const PG_HWPOISON = PAGE_FLAG_MASK.PG_hwpoison;
const PT_KERNEL = 1 << PT_FLAGS.PT_kernel;

/** bad_page(): report, and clear PageBuddy as the kernel does ("PageBuddy could make trouble"). */
function badPage(ctx: Ctx, op: string, pfn: number, reason: string): void {
  ctx.reporter.badPage(op, pfn, reason);
  const memmap = ctx.zone.memmap;
  if (memmap.pageType[pfn] === PT_BUDDY) memmap.pageType[pfn] = PT_UNTYPED;
}

/** free_tail_page_prepare(): 1 when the tail is bad. Always clears ->mapping and compound_info. */
function freeTailPagePrepare(ctx: Ctx, op: string, head: number, pfn: number): number {
  const memmap = ctx.zone.memmap;
  let ret = 0;
  if (ctx.config.debugVm) {
    const reason = freeTailPageBadReason(memmap, head, pfn, ctx.config.hugetlbPage);
    if (reason) {
      badPage(ctx, op, pfn, reason);
      ret = 1;
    }
  }
  setULong32(memmap.mappingHalves, pfn, 0);
  memmap.next[pfn] = LINK_NULL;
  return ret;
}

/**
 * __free_pages_prepare(): false when the block must not reach the allocator
 * (a bad page was reported, or an order-0 hwpoisoned page is kept away).
 * The caller has already checked PageTail and the compound order.
 */
function freePagesPrepare(ctx: Ctx, op: string, pfn: number, order: number): boolean {
  const memmap = ctx.zone.memmap;
  const check = ctx.config.debugVm;
  const compound = PageHead(memmap, pfn);
  // folio_test_mlocked(): cleared and counted (UNEVICTABLE_PGCLEARED), not an error.
  memmap.flags[pfn] = memmap.flags[pfn]! & ~PG_MLOCKED;
  if ((memmap.flags[pfn]! & PG_HWPOISON) !== 0 && order === 0) return false;
  let bad = 0;
  if (order !== 0) {
    if (compound) memmap.flags[pfn + 1] = (memmap.flags[pfn + 1]! & ~PAGE_FLAGS_SECOND) >>> 0;
    // The columns each tail touches, read once: the loop below runs 2^order - 1 times.
    const { flags, mappingHalves: mapping, next, privateHalves: priv, pageType, refcount } = memmap;
    const tailInfo = compoundInfoOf(pfn);
    // Tails from here on are "default" in free_tail_page_prepare() (not the folio-field tails 1-2,
    // nor tail 3 when CONFIG_HUGETLB_PAGE skips its mapping check).
    const plainFrom = pfn + (ctx.config.hugetlbPage ? 4 : 3);
    for (let t = pfn + 1, end = pfn + (1 << order); t < end; t++) {
      // A good compound tail with checks on, in one pass: free_tail_page_prepare()'s checks
      // (mapping == TAIL_MAPPING, PageTail and compound_head == head are one read of word 1),
      // then free_page_is_bad()'s (mapping is NULL once the former cleared it), then the writes
      // both make. Any failed test takes the general path below, which reports it.
      if (
        compound &&
        check &&
        t >= plainFrom &&
        mapping[2 * t] === TAIL_MAPPING &&
        mapping[2 * t + 1] === 0 &&
        next[t] === tailInfo &&
        pageType[t] === PT_UNTYPED &&
        refcount[t] === 0 &&
        (flags[t]! & PAGE_FLAGS_CHECK_AT_FREE) === 0 &&
        (priv[2 * t]! | priv[2 * t + 1]!) === 0
      ) {
        mapping[2 * t] = 0;
        next[t] = LINK_NULL;
        flags[t] = (flags[t]! & ~PAGE_FLAGS_CHECK_AT_PREP) >>> 0;
        continue;
      }
      if (compound) bad += freeTailPagePrepare(ctx, op, pfn, t);
      if (check) {
        if (!pageExpectedState(memmap, t, PAGE_FLAGS_CHECK_AT_FREE)) {
          badPage(ctx, op, t, pageBadReason(memmap, t, PAGE_FLAGS_CHECK_AT_FREE)!);
          bad++;
          continue;
        }
        if (!ulongIsZero(memmap.privateHalves, t)) {
          badPage(ctx, op, t, "nonzero private");
          bad++;
          continue;
        }
      }
      memmap.flags[t] = (memmap.flags[t]! & ~PAGE_FLAGS_CHECK_AT_PREP) >>> 0;
    }
  }
  // folio_test_anon(): folio->mapping = NULL.
  if ((memmap.mappingHalves[2 * pfn]! & FOLIO_MAPPING_ANON) !== 0) setULong32(memmap.mappingHalves, pfn, 0);
  // page_has_type(): the allocator resets the head's page_type, so owners need not.
  if ((memmap.pageType[pfn]! | 0) < (PGTY_MAPCOUNT_UNDERFLOW_WORD | 0)) memmap.pageType[pfn] = PT_UNTYPED;
  if (check) {
    if (!pageExpectedState(memmap, pfn, PAGE_FLAGS_CHECK_AT_FREE)) {
      badPage(ctx, op, pfn, pageBadReason(memmap, pfn, PAGE_FLAGS_CHECK_AT_FREE)!);
      bad++;
    }
    if (bad) return false;
  }
  memmap.flags[pfn] = (memmap.flags[pfn]! & ~PAGE_FLAGS_CHECK_AT_PREP) >>> 0;
  setULong32(memmap.privateHalves, pfn, 0);
  return true;
}

/**
 * The page-table half of the one prepare step every path that gives pages
 * back runs (DESIGN.md principle 7), for a block whose ptdesc lifecycle bits
 * are set: the rules ask the page's state, not the function that freed it.
 *
 * - Still constructed (pagetable_*_ctor() without pagetable_dtor()): MD012.
 *   The kernel frees it and says nothing; the split ptlock and the
 *   NR_PAGETABLE count leak (include/linux/mm.h pagetable_dtor()).
 * - PT_kernel still set and no IOMMU invalidation since kernel code
 *   released the table (queued it, or this give-back): it did not go
 *   through a kernel-aware path (pagetable_free()'s
 *   ptdesc_clear_kernel() + pagetable_free_kernel(), or a worker that
 *   invalidates before it frees): MD013, and with an IOMMU the table, if
 *   it may have been reachable, is stale (MD017 on reuse).
 */
function givePageTableBack(ctx: Ctx, op: string, pfn: number, order: number): void {
  const memmap = ctx.zone.memmap;
  if ((memmap.state[pfn]! & S_OWNER_MASK) >>> S_OWNER_SHIFT === PTDESC_CONSTRUCTED) {
    ctx.reporter.report({
      rule: "MD012",
      op,
      pfn,
      expected: "destructed",
      got: "constructed",
      message: `pfn 0x${pfn.toString(16)} is still a constructed page table (pagetable_dtor() was not called)`,
      kernelReport: "none",
      outcome: "performed",
      where: "include/linux/mm.h",
    });
  }
  if ((memmap.flags[pfn]! & PT_KERNEL) !== 0 && !invalidatedSinceRelease(ctx, pfn)) {
    ctx.reporter.report({
      rule: "MD013",
      op,
      pfn,
      expected: "pagetable_free()",
      got: op,
      message: `pfn 0x${pfn.toString(16)} is a kernel page table (PT_kernel) given back with no IOMMU invalidation since it was released: free it with pagetable_free()`,
      kernelReport: "none",
      outcome: "performed",
      where: "include/linux/mm.h",
    });
    if (ctx.config.iommuSva && isReachable(ctx, pfn)) markStale(ctx, pfn, 1 << order);
  }
}

/**
 * __free_frozen_pages(): prepare, then the pcp list (pcp_allowed_order) or
 * the buddy (free_one_page; its split_large_buddy() into pageblock-sized
 * pieces merges back to the same blocks with one migratetype, so the
 * machine frees the block whole). A block that fails the checks is leaked
 * with its descriptor, as bad_page() leaves the page alone.
 */
export function freeFrozenBlock(ctx: Ctx, op: string, pfn: number, order: number): void {
  const zone = ctx.zone;
  const memmap = zone.memmap;
  if ((memmap.state[pfn]! & S_OWNER_MASK) !== 0) givePageTableBack(ctx, op, pfn, order);
  if (!freePagesPrepare(ctx, op, pfn, order)) {
    ctx.leakBlock(pfn, order);
    return;
  }
  if ((memmap.state[pfn]! & S_HEAD) !== 0) ctx.releaseDescriptor(pfn);
  const n = 1 << order;
  const lo = zone.encoder.buddyLo(0);
  const { state, md } = memmap;
  for (let p = pfn; p < pfn + n; p++) {
    state[p] = S_BUDDY | (state[p]! & S_STALE_IOTLB);
    md[2 * p] = lo;
    md[2 * p + 1] = 0;
  }
  zone.nrAllocPages -= n;
  const pindex = zone.pcp ? zone.pcpIndex[order]! : -1;
  if (pindex >= 0) freeFrozenPageCommit(zone, pfn, order, pindex);
  else freeOnePage(zone, pfn, order, false);
}

/**
 * The allocation at `head` gives up the pages past 2^order (a free at a
 * smaller order than the allocation's): they stay allocated with no owner.
 */
function shrinkAllocation(ctx: Ctx, op: string, head: number, order: number): void {
  const memmap = ctx.zone.memmap;
  const allocOrder = memmap.order[head]!;
  if (order >= allocOrder) return;
  ctx.orphan(op, head, allocOrder, head + (1 << order), head + (1 << allocOrder));
  memmap.order[head] = order;
}

/** The compound-page consistency every compound free relies on: _flags_1 still holds the allocation order. */
function checkCompoundOrder(ctx: Ctx, op: string, pfn: number): number {
  const memmap = ctx.zone.memmap;
  const recordedOrder = compound_order(memmap, pfn);
  const allocOrder = memmap.order[pfn]!;
  if (recordedOrder === allocOrder) return recordedOrder;
  ctx.bug(
    "MD002",
    op,
    pfn,
    "compound_order(page) != order",
    `compound_order() reads ${recordedOrder} from page[1]'s flags (_flags_1), but the compound page was allocated at order ${allocOrder}: page[1]'s low flag byte was overwritten`,
    "mm/page_alloc.c",
    { expected: `order ${allocOrder}`, got: `order ${recordedOrder}` },
  );
  return -1;
}

/** MD002 on a compound head: __free_pages_prepare()'s VM_BUG_ON_PAGE(compound && compound_order(page) != order). */
function compoundOrderMismatch(
  ctx: Ctx,
  op: string,
  pfn: number,
  order: number,
  recordedOrder: number,
): void {
  ctx.orderMismatch(op, pfn, recordedOrder, order, {
    reason: "compound && compound_order(page) != order",
    allocated: "compound page",
  });
}

/** MD002 on a non-compound block freed at a larger order than it was allocated at (the kernel has no record to check). */
function orderBeyondAllocation(
  ctx: Ctx,
  op: string,
  pfn: number,
  order: number,
  allocOrder: number,
  detail: string,
): void {
  ctx.orderMismatch(op, pfn, allocOrder, order, { reason: "order > allocation order", detail });
}

/**
 * ___free_pages(page, order) after the target was checked. `viaCompoundOrder`:
 * the order came from compound_order() and the caller reported MD009 already.
 */
function freePagesChecked(ctx: Ctx, op: string, pfn: number, order: number, viaCompoundOrder: boolean): void {
  const memmap = ctx.zone.memmap;
  const head = PageHead(memmap, pfn);
  const allocOrder = memmap.order[pfn]!;
  const refcount = memmap.refcount[pfn]!;
  if (head) {
    const recordedOrder = checkCompoundOrder(ctx, op, pfn);
    if (recordedOrder < 0) return;
    // __free_pages_prepare() (mm/page_alloc.c @00cb34b0) clears PG_mlocked and returns early for
    // an order-0 hwpoisoned page before VM_BUG_ON_PAGE(compound && compound_order(page) != order):
    // such a page is kept away, not reported.
    const keptAway = order === 0 && (memmap.flags[pfn]! & PG_HWPOISON) !== 0;
    if (refcount === 1 && order !== recordedOrder && !keptAway) {
      compoundOrderMismatch(ctx, op, pfn, order, recordedOrder);
      return;
    }
  } else if (order > allocOrder) {
    orderBeyondAllocation(ctx, op, pfn, order, allocOrder, ": the pages past the block are not the caller's");
    return;
  }
  if (refcount === 0 && ctx.config.debugVm) {
    ctx.bug(
      "MD014",
      op,
      pfn,
      "page_ref_count(page) == 0",
      `pfn 0x${pfn.toString(16)} has refcount 0: a frozen page, or one whose last reference is gone (use free_frozen_pages, or do not free it twice)`,
      "include/linux/mm.h",
    );
    return;
  }
  if (!head && order < allocOrder) {
    if (!viaCompoundOrder) {
      ctx.orderMismatch(op, pfn, allocOrder, order, {
        detail: `: pages 0x${(pfn + (1 << order)).toString(16)}-0x${(pfn + (1 << allocOrder) - 1).toString(16)} are never freed (the kernel does not notice)`,
      });
    }
    shrinkAllocation(ctx, op, pfn, order);
  }
  // put_page_testzero()
  memmap.refcount[pfn] = refcount - 1;
  if (refcount - 1 === 0) {
    freeFrozenBlock(ctx, op, pfn, order);
  } else if (!head && order > 0) {
    // Someone else holds a reference to the first page: free the rest now;
    // the last put_page() frees the first page at order 0.
    for (let o = order; o-- > 0; ) freeFrozenBlock(ctx, op, pfn + (1 << o), o);
    memmap.order[pfn] = 0;
    // The first page is now an order-0 allocation: its Misc word says so.
    const lo = memmap.md[2 * pfn]!;
    if ((lo & 0xf) === ctx.zone.encoder.miscType) memmap.md[2 * pfn] = (lo & ~MISC_ORDER_MASK) >>> 0;
  }
}

/** __free_pages(page, order), including the non-compound "first page still referenced" case. */
export function freePagesOp(ctx: Ctx, op: string, pfn: number, order: number): void {
  if (!Number.isInteger(order) || order < 0)
    throw new RangeError(`order ${order} is not a non-negative integer`);
  if (order > MAX_PAGE_ORDER) order = MAX_PAGE_ORDER + 1;
  if (ctx.checkFreeTarget(op, pfn)) freePagesChecked(ctx, op, pfn, order, false);
  ctx.reporter.flush();
}

/**
 * __free_pages(page, compound_order(page)): __pagetable_free(), and any
 * caller that trusts compound_order(). On a non-compound block of order > 0
 * it frees the first page only (MD009).
 */
export function freeCompoundOrderOp(ctx: Ctx, op: string, pfn: number): void {
  if (ctx.checkFreeTarget(op, pfn)) {
    const memmap = ctx.zone.memmap;
    const order = compound_order(memmap, pfn);
    const allocOrder = memmap.order[pfn]!;
    if (!PageHead(memmap, pfn) && allocOrder > 0) {
      ctx.reporter.report({
        rule: "MD009",
        op,
        pfn,
        order: 0,
        expected: `order ${allocOrder}`,
        got: "compound_order() = 0",
        message: `frees compound_order(page) = 0 pages of a non-compound order-${allocOrder} block: ${(1 << allocOrder) - 1} tail pages leak`,
        kernelReport: "none",
        outcome: "performed",
        where: "include/linux/mm.h",
      });
    }
    freePagesChecked(ctx, op, pfn, order, true);
  }
  ctx.reporter.flush();
}

/** free_frozen_pages(page, order): the refcount is already 0 (or the check reports it). */
export function freeFrozenPagesOp(ctx: Ctx, op: string, pfn: number, order: number): void {
  if (!Number.isInteger(order) || order < 0)
    throw new RangeError(`order ${order} is not a non-negative integer`);
  if (ctx.checkFreeTarget(op, pfn)) {
    const memmap = ctx.zone.memmap;
    const allocOrder = memmap.order[pfn]!;
    if (PageHead(memmap, pfn)) {
      const recordedOrder = checkCompoundOrder(ctx, op, pfn);
      if (recordedOrder < 0) return;
      if (order !== recordedOrder) {
        compoundOrderMismatch(ctx, op, pfn, order, recordedOrder);
        return;
      }
    } else if (order > allocOrder) {
      orderBeyondAllocation(ctx, op, pfn, order, allocOrder, "");
      return;
    } else if (order < allocOrder) {
      ctx.orderMismatch(op, pfn, allocOrder, order, { detail: ": the rest is never freed" });
      shrinkAllocation(ctx, op, pfn, order);
    }
    freeFrozenBlock(ctx, op, pfn, order);
  }
  ctx.reporter.flush();
}

/**
 * put_page(page): folio_put(page_folio(page)). Slab and large-kmalloc pages
 * are ignored (include/linux/mm.h: put_page returns early for them). The
 * last reference frees folio_order() pages — only the first page of a
 * non-compound block, whose tails are orphaned (MD009, MD018).
 */
export function putPageOp(ctx: Ctx, op: string, pfn: number): void {
  const memmap = ctx.zone.memmap;
  const head = compound_head_pfn(memmap, pfn);
  if (!ctx.checkFreeTarget(op, head)) return;
  const top = memmap.pageType[head]! >>> 24;
  if (REFCOUNT_IGNORED_TOP[top] === 1) return;
  const refcount = memmap.refcount[head]!;
  if (refcount === 0 && ctx.config.debugVm) {
    ctx.bug(
      "MD014",
      op,
      head,
      "page_ref_count(page) == 0",
      `pfn 0x${head.toString(16)} has refcount 0: its last reference is already gone`,
      "include/linux/mm.h",
    );
    return;
  }
  if (refcount !== 1) {
    memmap.refcount[head] = refcount - 1;
    return;
  }
  let order = 0;
  if (PageHead(memmap, head)) {
    order = checkCompoundOrder(ctx, op, head);
    if (order < 0) return;
  } else {
    const allocOrder = memmap.order[head]!;
    if (allocOrder > 0) {
      ctx.reporter.report({
        rule: "MD009",
        op,
        pfn: head,
        order: 0,
        expected: `order ${allocOrder}`,
        got: "folio_order() = 0",
        message: `the last reference to a non-compound order-${allocOrder} block frees only its first page: ${(1 << allocOrder) - 1} tail pages leak (allocate with __GFP_COMP to free by refcount)`,
        kernelReport: "none",
        outcome: "performed",
        where: "include/linux/mm.h",
      });
      shrinkAllocation(ctx, op, head, 0);
    }
  }
  memmap.refcount[head] = 0;
  freeFrozenBlock(ctx, op, head, order);
  ctx.reporter.flush();
}
