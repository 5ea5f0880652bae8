/**
 * The per-CPU page lists of one CPU (mm/page_alloc.c @00cb34b0:
 * rmqueue_pcplist, __rmqueue_pcplist, nr_pcp_alloc, rmqueue_bulk,
 * free_frozen_page_commit, free_pcppages_bulk, drain_pages_zone).
 *
 * pcp_allowed_order(): orders 0..PAGE_ALLOC_COSTLY_ORDER and, with THP,
 * HPAGE_PMD_ORDER. Pages on a pcp list are free but not PageBuddy; they are
 * linked through pcp_list, which overlays lru and buddy_list in words 1/2.
 * Only the block's first page moves between the buddy and a pcp list, so a
 * pcp round trip is O(1).
 *
 * Not modelled: alloc_factor/free_count scaling (nr_pcp_alloc grows the
 * order-0 batch after consecutive allocations, nr_pcp_free grows the drain
 * after consecutive frees), the free_high heuristic for high-order frees,
 * decay_pcp_high. Allocation refills `batch` blocks (order 0, capped as in
 * nr_pcp_alloc) or max(batch >> order, 2); a free that reaches `high` drains
 * `batch` pages. See docs/sim-machine.md.
 */

import { freeOnePage, rmqueueSmallest } from "./buddy.js";
import { LIST_HEAD_BASE, NR_PCP_LISTS, PCP_ORDERS, S_BUDDY, S_HEAD, S_PCP } from "./constants.js";
import { listAdd, listAddTail, listDel } from "./lists.js";
import type { Zone } from "./zone.js";

/** nr_pcp_alloc() without alloc_factor: how many blocks rmqueue_bulk() takes. */
function nrPcpAlloc(zone: Zone, order: number): number {
  const pcp = zone.pcp!;
  let batch = pcp.batch;
  if (pcp.high < batch) return 1;
  if (order === 0) batch = Math.min(batch, Math.max(pcp.high - zone.pcpCount - pcp.batch, pcp.batch));
  if (batch > 1) batch = Math.max(batch >> order, 2);
  return batch;
}

/**
 * __rmqueue_pcplist(): take the first block of the order's pcp list,
 * refilling it from the buddy (rmqueue_bulk, list_add_tail in physical
 * order) when empty. Returns -1 when the buddy has nothing either.
 */
export function rmqueuePcplist(zone: Zone, order: number, pindex: number): number {
  const memmap = zone.memmap;
  const head = zone.pcpHead[pindex]!;
  const h = LIST_HEAD_BASE - head;
  let pfn = memmap.headNext[h]!;
  if (pfn === head) {
    const count = nrPcpAlloc(zone, order);
    for (let i = 0; i < count; i++) {
      const p = rmqueueSmallest(zone, order);
      if (p < 0) break;
      memmap.state[p] = S_PCP | S_HEAD | (memmap.state[p]! & 0x80);
      memmap.order[p] = order;
      memmap.md[2 * p] = zone.encoder.buddyLo(order);
      listAddTail(memmap, p, head);
      zone.pcpCount += 1 << order;
    }
    pfn = memmap.headNext[h]!;
    if (pfn === head) return -1;
  }
  listDel(memmap, pfn);
  zone.pcpCount -= 1 << order;
  return pfn;
}

/**
 * free_pcppages_bulk(): give `count` pages back to the buddy, round-robin
 * over the lists starting after `pindex` (the list just freed to is drained
 * first), each list from its tail.
 */
export function freePcppagesBulk(zone: Zone, count: number, pindex: number): void {
  const memmap = zone.memmap;
  count = Math.min(zone.pcpCount, count);
  pindex = pindex - 1;
  while (count > 0) {
    let head: number;
    do {
      if (++pindex > NR_PCP_LISTS - 1) pindex = 0;
      head = zone.pcpHead[pindex]!;
    } while (memmap.headNext[LIST_HEAD_BASE - head] === head);
    const order = PCP_ORDERS[pindex]!;
    const nr = 1 << order;
    do {
      const pfn = memmap.headPrev[LIST_HEAD_BASE - head]!;
      listDel(memmap, pfn);
      count -= nr;
      zone.pcpCount -= nr;
      memmap.state[pfn] = S_BUDDY | (memmap.state[pfn]! & 0x80);
      freeOnePage(zone, pfn, order, false);
    } while (count > 0 && memmap.headNext[LIST_HEAD_BASE - head] !== head);
  }
}

/**
 * free_frozen_page_commit(): a prepared block goes to the head of its pcp
 * list; when the count reaches high, a batch goes back to the buddy.
 */
export function freeFrozenPageCommit(zone: Zone, pfn: number, order: number, pindex: number): void {
  const memmap = zone.memmap;
  const pcp = zone.pcp!;
  memmap.state[pfn] = S_PCP | S_HEAD | (memmap.state[pfn]! & 0x80);
  memmap.order[pfn] = order;
  memmap.md[2 * pfn] = zone.encoder.buddyLo(order);
  memmap.md[2 * pfn + 1] = 0;
  listAdd(memmap, pfn, zone.pcpHead[pindex]!);
  zone.pcpCount += 1 << order;
  if (zone.pcpCount >= pcp.high) freePcppagesBulk(zone, pcp.batch, pindex);
}

/** drain_pages_zone(): everything on the pcp lists back to the buddy. */
export function drainPcp(zone: Zone): void {
  while (zone.pcpCount > 0) freePcppagesBulk(zone, zone.pcpCount, 0);
}
