/**
 * Reference counting on the _refcount column, as include/linux/mm.h and
 * include/linux/page_ref.h do it: get_page() on the folio's head,
 * page_ref_freeze()/page_ref_unfreeze() on one page. put_page() frees, so it
 * lives with the free paths (free.ts).
 */
import { REFCOUNT_IGNORED_TOP } from "./constants.js";
import type { Ctx } from "./context.js";
import { checkPfn, compound_head_pfn, type MemMap } from "./memmap.js";

/** page_ref_count(page): this page's own _refcount. */
export function pageRefCount(memmap: MemMap, pfn: number): number {
  return memmap.refcount[pfn]!;
}

/** page_count(page): folio_ref_count(page_folio(page)), the head's _refcount. */
export function pageCount(memmap: MemMap, pfn: number): number {
  const head = compound_head_pfn(memmap, pfn);
  checkPfn(memmap, head);
  return memmap.refcount[head]!;
}

/**
 * get_page(page): folio_get(page_folio(page)). Pages whose page type the
 * table marks refcountIgnored (slab, large kmalloc) are left alone, as the
 * kernel WARNs and returns.
 */
export function getPageOp(ctx: Ctx, op: string, pfn: number): void {
  const memmap = ctx.zone.memmap;
  const head = compound_head_pfn(memmap, pfn);
  if (!ctx.checkLive(op, head)) return;
  if (REFCOUNT_IGNORED_TOP[memmap.pageType[head]! >>> 24] === 1) return;
  const refcount = memmap.refcount[head]!;
  // folio_ref_zero_or_close_to_overflow(): (unsigned)count + 127 <= 127.
  if (ctx.config.debugVm && (refcount + 127) >>> 0 <= 127) {
    ctx.bug(
      "MD015",
      op,
      head,
      "folio_ref_zero_or_close_to_overflow(folio)",
      `pfn 0x${head.toString(16)} has refcount ${refcount}: get_page() needs a reference already held`,
      "include/linux/mm.h",
    );
    return;
  }
  memmap.refcount[head] = refcount + 1;
}

/** page_ref_freeze(page, count): refcount count → 0 if it is count. */
export function pageRefFreezeOp(ctx: Ctx, op: string, pfn: number, count: number): boolean {
  if (!ctx.checkLive(op, pfn)) return false;
  const memmap = ctx.zone.memmap;
  if (memmap.refcount[pfn] !== count) return false;
  memmap.refcount[pfn] = 0;
  return true;
}

/** page_ref_unfreeze(page, count) */
export function pageRefUnfreezeOp(ctx: Ctx, op: string, pfn: number, count: number): void {
  if (!ctx.checkLive(op, pfn)) return;
  ctx.zone.memmap.refcount[pfn] = count;
}

/** set_page_count(page, count): this page's own _refcount becomes count (include/linux/page_ref.h). */
export function setPageRefCountOp(ctx: Ctx, op: string, pfn: number, count: number): void {
  if (!ctx.checkLive(op, pfn)) return;
  ctx.zone.memmap.refcount[pfn] = count;
}
