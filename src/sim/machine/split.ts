/**
 * split_page(page, order) (mm/page_alloc.c @00cb34b0): a non-compound
 * high-order block becomes 2^order order-0 pages, each with its own
 * refcount, each freed on its own.
 *
 * The newest tree checks VM_WARN_ON_PAGE(!page_count(page)) and, in
 * __split_page(), VM_WARN_ON_PAGE(PageCompound(page)); older trees had
 * VM_BUG_ON_PAGE for both. On a compound page the split never gets that far
 * with CONFIG_DEBUG_VM: set_page_refcounted(page + 1) hits
 * VM_BUG_ON_PAGE(PageTail(page)) first. So the machine stops on a compound
 * page (MD010) and warns but splits on a refcount of 0 (MD010).
 */
import { S_ALLOC, S_HEAD, S_STALE_IOTLB } from "./constants.js";
import type { Ctx } from "./context.js";
import { compound_head_pfn, PageHead, PageTail } from "./memmap.js";

/** split_page(page, order): a non-compound block becomes 2^order order-0 allocations. */
export function splitPageOp(ctx: Ctx, op: string, pfn: number, order: number): void {
  if (!Number.isInteger(order) || order < 0)
    throw new RangeError(`order ${order} is not a non-negative integer`);
  const zone = ctx.zone;
  const memmap = zone.memmap;
  if (PageHead(memmap, pfn) || PageTail(memmap, pfn)) {
    const head = compound_head_pfn(memmap, pfn);
    ctx.bug(
      "MD010",
      op,
      pfn,
      "PageTail(page)",
      `pfn 0x${pfn.toString(16)} is part of the compound page at 0x${head.toString(16)}: split_page() takes non-compound blocks only (use split_folio() for folios)`,
      "mm/internal.h",
    );
    return;
  }
  if (!ctx.checkFreeTarget(op, pfn, false)) return;
  const allocOrder = memmap.order[pfn]!;
  if (order > allocOrder) {
    ctx.orderMismatch(op, pfn, allocOrder, order, { reason: "order > allocation order", did: "split" });
    return;
  }
  if (memmap.refcount[pfn] === 0 && ctx.config.debugVm) {
    ctx.reporter.report({
      rule: "MD010",
      op,
      pfn,
      order,
      reason: "!page_count(page)",
      message: `pfn 0x${pfn.toString(16)} has refcount 0; split_page() needs a refcounted block`,
      kernelReport: "VM_WARN_ON_PAGE",
      outcome: "performed",
      where: "mm/page_alloc.c",
    });
  }
  if (order < allocOrder) {
    ctx.orderMismatch(op, pfn, allocOrder, order, {
      did: "split",
      detail: `: the pages past 2^${order} belong to nobody`,
    });
    ctx.orphan(op, pfn, allocOrder, pfn + (1 << order), pfn + (1 << allocOrder));
  }
  // Each part becomes an order-0 allocation; a descriptor for the whole block goes back to its pool.
  ctx.releaseDescriptor(pfn);
  const lo0 = memmap.md[2 * pfn]!;
  const subtype = (lo0 & 0xf) === zone.encoder.miscType ? (lo0 >>> 4) & 0x7f : 2;
  const lo = zone.encoder.miscLo(subtype, 0);
  const site = memmap.site ? memmap.site[pfn]! : 0;
  for (let p = pfn, end = pfn + (1 << order); p < end; p++) {
    if (p !== pfn) memmap.refcount[p] = 1;
    memmap.state[p] = S_ALLOC | S_HEAD | (memmap.state[p]! & S_STALE_IOTLB);
    memmap.order[p] = 0;
    memmap.md[2 * p] = lo;
    memmap.md[2 * p + 1] = 0;
    if (memmap.site) memmap.site[p] = site;
  }
  ctx.reporter.flush();
}
