/**
 * Order-0 fast paths through the pcp list: the common case of allocPages()
 * and freePages(), for speed (docs/sim-machine.md, "Performance"). Each
 * does exactly what the general path would in the normal case and gives up
 * — returning -1 / false before changing anything — as soon as anything is
 * unusual (an empty pcp list, a page the checks would report, a descriptor
 * to return, a compound or hwpoisoned page, a pcp list at its high mark);
 * the general path then redoes the operation and reports.
 *
 * They reach the columns through one Int32Array and one Uint8Array over the
 * memory map's buffer plus each column's offset, so the compiled code keeps
 * two base pointers instead of reloading one per column: about 3× faster
 * than indexing ten typed arrays through the memory-map object.
 */
import { PAGE_FLAG_MASK, PAGE_FLAGS_CHECK_AT_FREE, PAGE_FLAGS_CHECK_AT_PREP } from "../../model/index.js";
import * as C from "./constants.js";
import type { HotView } from "./memmap.js";
import { isCompoundInfo } from "./memmap.js";
import type { Zone } from "./zone.js";

// Module-local copies: V8 folds a module's own constants into compiled code, not imported bindings.
const FOLIO_MAPPING_ANON = C.FOLIO_MAPPING_ANON;
const LIST_HEAD_BASE = C.LIST_HEAD_BASE;
const LIST_POISON1 = C.LIST_POISON1;
const LIST_POISON2 = C.LIST_POISON2;
const PGTY_MAPCOUNT_UNDERFLOW_WORD = C.PGTY_MAPCOUNT_UNDERFLOW_WORD;
const PT_UNTYPED = C.PT_UNTYPED;
const S_ALLOC_HEAD = C.S_ALLOC_HEAD;
const S_HEAD = C.S_HEAD;
const S_KIND_MASK = C.S_KIND_MASK;
const S_OWNER_MASK = C.S_OWNER_MASK;
const S_PCP = C.S_PCP;
const S_STALE_IOTLB = C.S_STALE_IOTLB;

const PG_HEAD = PAGE_FLAG_MASK.PG_head;
const PG_HWPOISON = PAGE_FLAG_MASK.PG_hwpoison;
const PG_MLOCKED = PAGE_FLAG_MASK.PG_mlocked;
const CHECK_NEW = (PAGE_FLAGS_CHECK_AT_PREP | PG_HWPOISON) >>> 0;
/** What free_page_is_bad() tests on the flags after PG_mlocked was cleared. */
const CHECK_FREE = (PAGE_FLAGS_CHECK_AT_FREE & ~PG_MLOCKED) >>> 0;
const KEEP_AT_FREE = ~PAGE_FLAGS_CHECK_AT_PREP >>> 0;
const UNDERFLOW = PGTY_MAPCOUNT_UNDERFLOW_WORD | 0;

/**
 * rmqueue_pcplist() + check_new_pages() + prep_new_page() for order 0 when
 * the order-0 pcp list has a page that passes the checks; -1: use the
 * general path. The caller handles a stale-IOTLB mark (still in the state).
 */
export function allocOrder0Fast(
  zone: Zone,
  hot: HotView,
  check: boolean,
  rc: number,
  siteId: number,
): number {
  const columns32 = hot.columns32;
  const head = zone.pcpHead0;
  const h = LIST_HEAD_BASE - head;
  const headNext = hot.headNext;
  const p = headNext[h]!;
  if (p === head) return -1;
  if (
    check &&
    (columns32[hot.oPageType + p] !== PT_UNTYPED ||
      (columns32[hot.oMapping + 2 * p]! | columns32[hot.oMapping + 2 * p + 1]!) !== 0 ||
      columns32[hot.oRefcount + p] !== 0 ||
      (columns32[hot.oFlags + p]! & CHECK_NEW) !== 0)
  ) {
    return -1;
  }
  const oNext = hot.oNext;
  const oPrev = hot.oPrev;
  const nxt = columns32[oNext + p]!;
  headNext[h] = nxt;
  if (nxt >= 0) columns32[oPrev + nxt] = head;
  else hot.headPrev[LIST_HEAD_BASE - nxt] = head;
  columns32[oNext + p] = LIST_POISON1;
  columns32[oPrev + p] = LIST_POISON2;
  zone.pcpCount--;
  const columns8 = hot.columns8;
  const si = hot.oState + p;
  columns8[si] = S_ALLOC_HEAD | (columns8[si]! & S_STALE_IOTLB);
  // Already true of every page on the order-0 pcp list, so not rewritten:
  // order 0 (set when it joined the list), private 0 (__free_pages_prepare
  // or __del_page_from_free_list cleared it), memdesc high half 0 (a Buddy word).
  columns32[hot.oRefcount + p] = rc;
  columns32[hot.oMd + 2 * p] = zone.miscLo0;
  const site = hot.site;
  if (site !== null) site[p] = siteId;
  zone.nrAllocPages++;
  return p;
}

/**
 * __free_pages(page, 0) for a plain order-0 allocation holding its last
 * reference and passing the free-time checks, when the pcp list has room
 * (__free_pages_prepare() and free_frozen_page_commit()); false: use the
 * general path.
 */
export function freeOrder0Fast(zone: Zone, hot: HotView, check: boolean, p: number): boolean {
  const columns32 = hot.columns32;
  const columns8 = hot.columns8;
  const si = hot.oState + p;
  const st = columns8[si]!;
  const ri = hot.oRefcount + p;
  // A page-table lifecycle (S_OWNER_MASK) takes the general path and its prepare step (free.ts).
  if (
    (st & (S_KIND_MASK | S_OWNER_MASK)) !== S_ALLOC_HEAD ||
    columns8[hot.oOrder + p] !== 0 ||
    columns32[ri] !== 1
  )
    return false;
  if (zone.pcpCount + 1 >= zone.pcpHigh) return false;
  const fi = hot.oFlags + p;
  const f = columns32[fi]!;
  const ni = hot.oNext + p;
  if ((f & (PG_HEAD | PG_HWPOISON)) !== 0 || isCompoundInfo(columns32[ni]!)) return false;
  const mdi = hot.oMd + 2 * p;
  if (((zone.pointerTypes >>> (columns32[mdi]! & 0xf)) & 1) !== 0) return false;
  // ->mapping is two halves (memmap.ts); an anon_vma pointer has FOLIO_MAPPING_ANON in the low one.
  const mi = hot.oMapping + 2 * p;
  let mappingLo = columns32[mi]!;
  let mappingHi = columns32[mi + 1]!;
  if ((mappingLo & FOLIO_MAPPING_ANON) !== 0) {
    mappingLo = 0;
    mappingHi = 0;
  }
  const ti = hot.oPageType + p;
  let pt = columns32[ti]!;
  if (pt < UNDERFLOW) pt = PT_UNTYPED;
  if (check && (pt !== PT_UNTYPED || (mappingLo | mappingHi) !== 0 || (f & CHECK_FREE) !== 0)) return false;
  columns32[ri] = 0;
  columns32[mi] = mappingLo;
  columns32[mi + 1] = mappingHi;
  columns32[ti] = pt;
  columns32[fi] = f & KEEP_AT_FREE;
  columns32[hot.oPriv + 2 * p] = 0;
  columns32[hot.oPriv + 2 * p + 1] = 0;
  columns8[si] = S_PCP | S_HEAD | (st & S_STALE_IOTLB);
  // order is 0 (checked above) and the high half of a Misc word is 0.
  columns32[mdi] = zone.buddyLo0;
  zone.nrAllocPages--;
  const head = zone.pcpHead0;
  const h = LIST_HEAD_BASE - head;
  const headNext = hot.headNext;
  const first = headNext[h]!;
  const oPrev = hot.oPrev;
  columns32[ni] = first;
  columns32[oPrev + p] = head;
  if (first >= 0) columns32[oPrev + first] = p;
  else hot.headPrev[LIST_HEAD_BASE - first] = p;
  headNext[h] = p;
  zone.pcpCount++;
  return true;
}
