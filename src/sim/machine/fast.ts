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
export function allocOrder0Fast(z: Zone, m: HotView, check: boolean, rc: number, siteId: number): number {
  const w = m.w;
  const head = z.pcpHead0;
  const h = LIST_HEAD_BASE - head;
  const headNext = m.headNext;
  const p = headNext[h]!;
  if (p === head) return -1;
  if (
    check &&
    (w[m.oPageType + p] !== PT_UNTYPED ||
      w[m.oMapping + p] !== 0 ||
      w[m.oRefcount + p] !== 0 ||
      (w[m.oFlags + p]! & CHECK_NEW) !== 0)
  ) {
    return -1;
  }
  const oNext = m.oNext;
  const oPrev = m.oPrev;
  const nxt = w[oNext + p]!;
  headNext[h] = nxt;
  if (nxt >= 0) w[oPrev + nxt] = head;
  else m.headPrev[LIST_HEAD_BASE - nxt] = head;
  w[oNext + p] = LIST_POISON1;
  w[oPrev + p] = LIST_POISON2;
  z.pcpCount--;
  const b = m.b;
  const si = m.oState + p;
  b[si] = S_ALLOC_HEAD | (b[si]! & S_STALE_IOTLB);
  // Already true of every page on the order-0 pcp list, so not rewritten:
  // order 0 (set when it joined the list), private 0 (__free_pages_prepare
  // or __del_page_from_free_list cleared it), memdesc high half 0 (a Buddy word).
  w[m.oRefcount + p] = rc;
  w[m.oMd + 2 * p] = z.miscLo0;
  const site = m.site;
  if (site !== null) site[p] = siteId;
  z.nrAllocPages++;
  return p;
}

/**
 * __free_pages(page, 0) for a plain order-0 allocation holding its last
 * reference and passing the free-time checks, when the pcp list has room
 * (__free_pages_prepare() and free_frozen_page_commit()); false: use the
 * general path.
 */
export function freeOrder0Fast(z: Zone, m: HotView, check: boolean, p: number): boolean {
  const w = m.w;
  const b = m.b;
  const si = m.oState + p;
  const st = b[si]!;
  const ri = m.oRefcount + p;
  if ((st & S_KIND_MASK) !== S_ALLOC_HEAD || b[m.oOrder + p] !== 0 || w[ri] !== 1) return false;
  if (z.pcpCount + 1 >= z.pcpHigh) return false;
  const fi = m.oFlags + p;
  const f = w[fi]!;
  const ni = m.oNext + p;
  if ((f & (PG_HEAD | PG_HWPOISON)) !== 0 || isCompoundInfo(w[ni]!)) return false;
  const mdi = m.oMd + 2 * p;
  if (((z.pointerTypes >>> (w[mdi]! & 0xf)) & 1) !== 0) return false;
  const mi = m.oMapping + p;
  let mp = w[mi]!;
  if ((mp & FOLIO_MAPPING_ANON) !== 0) mp = 0;
  const ti = m.oPageType + p;
  let pt = w[ti]!;
  if (pt < UNDERFLOW) pt = PT_UNTYPED;
  if (check && (pt !== PT_UNTYPED || mp !== 0 || (f & CHECK_FREE) !== 0)) return false;
  w[ri] = 0;
  w[mi] = mp;
  w[ti] = pt;
  w[fi] = f & KEEP_AT_FREE;
  w[m.oPriv + p] = 0;
  b[si] = S_PCP | S_HEAD | (st & S_STALE_IOTLB);
  // order is 0 (checked above) and the high half of a Misc word is 0.
  w[mdi] = z.buddyLo0;
  z.nrAllocPages--;
  const head = z.pcpHead0;
  const h = LIST_HEAD_BASE - head;
  const headNext = m.headNext;
  const first = headNext[h]!;
  const oPrev = m.oPrev;
  w[ni] = first;
  w[oPrev + p] = head;
  if (first >= 0) w[oPrev + first] = p;
  else m.headPrev[LIST_HEAD_BASE - first] = p;
  headNext[h] = p;
  z.pcpCount++;
  return true;
}
