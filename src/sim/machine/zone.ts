/**
 * One zone of one node, as the machine models it: the memory map, the
 * buddy free lists (free_area[order], one migratetype), the per-CPU lists of
 * one CPU, the descriptor pools, and the counters /proc/buddyinfo and
 * /proc/zoneinfo would show. The allocator functions in buddy.ts and pcp.ts
 * work on it.
 */
import { NR_PAGE_ORDERS, NR_PCP_LISTS, PCP_ORDERS } from "./constants.js";
import { DescriptorPools } from "./descriptors.js";
import { SYSTEM_LIST_HEADS } from "./list-debug.js";
import type { MemdescEncoder } from "./memdesc.js";
import { MemMap } from "./memmap.js";

export interface PcpConfig {
  /** pcp->batch: pages moved between the buddy and a pcp list at a time. */
  readonly batch: number;
  /** pcp->high: a free that brings the pcp count to this drains a batch back to the buddy. */
  readonly high: number;
}

/**
 * zone_batchsize() (mm/page_alloc.c): about a thousandth of the zone, at most
 * 1 MiB, divided by 4 and clamped to 2^n - 1; at least 1 (the pageset
 * update clamps to 1). For a 16 GiB zone that is 63.
 */
export function zoneBatchsize(managedPages: number): number {
  let batch = Math.min(Math.floor(managedPages / 1024), 256);
  batch = Math.floor(batch / 4);
  if (batch < 1) batch = 1;
  batch = 2 ** Math.floor(Math.log2(batch + Math.floor(batch / 2))) - 1;
  return Math.max(1, batch);
}

/**
 * The pcp defaults: batch from zone_batchsize(), high = batch << 2, the
 * floor zone_highsize() puts under the watermark-derived value. The
 * watermark part (low_wmark_pages / CPUs) is not modelled.
 */
export function defaultPcpConfig(managedPages: number): PcpConfig {
  const batch = zoneBatchsize(managedPages);
  return { batch, high: batch << 2 };
}

export class Zone {
  readonly memmap: MemMap;
  readonly encoder: MemdescEncoder;
  readonly pools = new DescriptorPools();
  /** free_area[order].free_list[MIGRATE_UNMOVABLE] (one migratetype; see docs). */
  readonly freeHead: Int32Array;
  /** free_area[order].nr_free */
  readonly nrFree: Int32Array;
  /** NR_FREE_PAGES: pages in the buddy free lists (pcp pages are not counted, as in the kernel). */
  nrFreeBuddyPages = 0;
  /** pcp->lists[pindex] for PCP_ORDERS[pindex]. */
  readonly pcpHead: Int32Array;
  /** order → pindex, -1 where pcp_allowed_order() is false. */
  readonly pcpIndex: Int8Array;
  /** pcp->count: pages on the pcp lists. */
  pcpCount = 0;
  readonly pcp: PcpConfig | null;
  /** Pages in state S_ALLOC (owned, orphaned) and S_LEAKED. */
  nrAllocPages = 0;
  nrLeakedPages = 0;
  /** Pages carrying S_STALE_IOTLB: lets the allocation path skip the MD017 check when 0. */
  nrStaleIotlb = 0;
  /** The words the order-0 fast paths write: Misc "unknown" order 0, Buddy order 0. */
  readonly miscLo0: number;
  readonly buddyLo0: number;
  /** pcpHead[0] and pcp->high, as plain fields for the fast paths. */
  readonly pcpHead0: number;
  readonly pcpHigh: number;
  /** Bit t set when memdesc type t carries a descriptor pointer (encoder.pointerType as a mask). */
  readonly pointerTypes: number;

  constructor(pages: number, encoder: MemdescEncoder, pcp: PcpConfig | null, trackSites: boolean) {
    this.memmap = new MemMap(pages, trackSites);
    this.encoder = encoder;
    this.freeHead = new Int32Array(NR_PAGE_ORDERS);
    this.nrFree = new Int32Array(NR_PAGE_ORDERS);
    for (let o = 0; o < NR_PAGE_ORDERS; o++) this.freeHead[o] = this.memmap.newListHead();
    this.pcpHead = new Int32Array(NR_PCP_LISTS);
    for (let i = 0; i < NR_PCP_LISTS; i++) this.pcpHead[i] = this.memmap.newListHead();
    // The rest of the SYSTEM_LIST_HEADS are reserved, so callers' heads start after them.
    while (this.memmap.nHeads < SYSTEM_LIST_HEADS) this.memmap.newListHead();
    this.pcpIndex = new Int8Array(NR_PAGE_ORDERS).fill(-1);
    PCP_ORDERS.forEach((order, i) => {
      this.pcpIndex[order] = i;
    });
    this.pcp = pcp;
    this.pcpHead0 = this.pcpHead[0]!;
    this.pcpHigh = pcp ? pcp.high : 0x3fff_ffff; // a small integer either way, so the field stays a Smi
    let mask = 0;
    for (let t = 0; t < 16; t++) if (encoder.pointerType[t] === 1) mask |= 1 << t;
    this.pointerTypes = mask;
    this.miscLo0 = encoder.miscLo(2, 0);
    this.buddyLo0 = encoder.buddyLo(0);
  }
}
