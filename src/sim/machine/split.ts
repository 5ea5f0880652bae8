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
import { PAGE_FLAG_MASK } from "../../model/index.js";
import { S_ALLOC, S_HEAD, S_STALE_IOTLB } from "./constants.js";
import type { Ctx } from "./context.js";
import { compound_head_pfn, PageTail } from "./memmap.js";

const PG_HEAD = PAGE_FLAG_MASK.PG_head;

export function splitPageOp(ctx: Ctx, op: string, pfn: number, order: number): void {
  if (!Number.isInteger(order) || order < 0)
    throw new RangeError(`order ${order} is not a non-negative integer`);
  const z = ctx.z;
  const m = z.m;
  if ((m.flags[pfn]! & PG_HEAD) !== 0 || PageTail(m, pfn)) {
    const head = compound_head_pfn(m, pfn);
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
  const a = m.order[pfn]!;
  if (order > a) {
    ctx.bug(
      "MD002",
      op,
      pfn,
      "order > allocation order",
      `block allocated at order ${a}, split at order ${order}`,
      "mm/page_alloc.c",
      { order, expected: `order ${a}`, got: `order ${order}` },
    );
    return;
  }
  if (m.refcount[pfn] === 0 && ctx.c.debugVm) {
    ctx.r.report({
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
  if (order < a) {
    ctx.r.report({
      rule: "MD002",
      op,
      pfn,
      order,
      expected: `order ${a}`,
      got: `order ${order}`,
      message: `block allocated at order ${a}, split at order ${order}: the pages past 2^${order} belong to nobody`,
      kernelReport: "none",
      outcome: "performed",
      where: "mm/page_alloc.c",
    });
    ctx.orphan(op, pfn, a, pfn + (1 << order), pfn + (1 << a));
  }
  // Each part becomes an order-0 allocation; a descriptor for the whole block goes back to its pool.
  ctx.releaseDescriptor(pfn);
  const lo0 = m.md[2 * pfn]!;
  const subtype = (lo0 & 0xf) === z.enc.miscType ? (lo0 >>> 4) & 0x7f : 2;
  const lo = z.enc.miscLo(subtype, 0);
  const site = m.site ? m.site[pfn]! : 0;
  for (let p = pfn, end = pfn + (1 << order); p < end; p++) {
    if (p !== pfn) m.refcount[p] = 1;
    m.state[p] = S_ALLOC | S_HEAD | (m.state[p]! & S_STALE_IOTLB);
    m.order[p] = 0;
    m.md[2 * p] = lo;
    m.md[2 * p + 1] = 0;
    if (m.site) m.site[p] = site;
  }
  ctx.r.flush();
}
