/**
 * The page allocator's per-page checks as pure functions over the memory
 * map, with the kernel's reason strings (mm/page_alloc.c @00cb34b0:
 * page_expected_state, page_bad_reason, free_tail_page_prepare). They decide;
 * the machine reports (report.ts) and applies the consequence.
 *
 * Not modelled, so never reported: memcg_data ("page still charged to
 * cgroup"), page_pool pages ("page_pool leak"), the folio's
 * _mm_id_mapcount[0/1] ("nonzero mm mapcount 0/1", page 1's ->index slot),
 * _nr_pages_mapped (CONFIG_PAGE_MAPCOUNT).
 */
import { PAGE_FLAGS_CHECK_AT_PREP } from "../../model/index.js";
import {
  LINK_DEFERRED_LIST_EMPTY,
  LINK_FOLIO_LARGE_MAPCOUNT_INIT,
  MAPPING_FOLIO_ENTIRE_MAPCOUNT_INIT,
  PT_UNTYPED,
  TAIL_MAPPING,
} from "./constants.js";
import type { MemMap } from "./memmap.js";
import { compound_head_pfn, PageTail, ulongIs, ulongIsZero } from "./memmap.js";

/** page_expected_state(page, check_flags) */
export function pageExpectedState(memmap: MemMap, pfn: number, checkFlags: number): boolean {
  return (
    memmap.pageType[pfn] === PT_UNTYPED &&
    ulongIsZero(memmap.mappingHalves, pfn) &&
    memmap.refcount[pfn] === 0 &&
    (memmap.flags[pfn]! & checkFlags) === 0
  );
}

/**
 * page_bad_reason(page, flags): every test assigns, so the last failing one
 * names the page (a page with a nonzero mapcount and a nonzero refcount is
 * reported as "nonzero _refcount").
 */
export function pageBadReason(memmap: MemMap, pfn: number, flags: number): string | null {
  let reason: string | null = null;
  if (memmap.pageType[pfn] !== PT_UNTYPED) reason = "nonzero mapcount";
  if (!ulongIsZero(memmap.mappingHalves, pfn)) reason = "non-NULL mapping";
  if (memmap.refcount[pfn] !== 0) reason = "nonzero _refcount";
  if ((memmap.flags[pfn]! & flags) !== 0) {
    reason =
      flags === PAGE_FLAGS_CHECK_AT_PREP
        ? "PAGE_FLAGS_CHECK_AT_PREP flag(s) set"
        : "PAGE_FLAGS_CHECK_AT_FREE flag(s) set";
  }
  return reason;
}

/**
 * The checks of free_tail_page_prepare(head, page) when check_pages_enabled,
 * in the kernel's order; null when the tail page is fine. `hugetlbPage` is
 * CONFIG_HUGETLB_PAGE: the third tail's ->mapping slot then holds
 * _hugetlb_cgroup and is not checked.
 *
 * The first two tails overlay folio fields on word 2 and ->mapping; the
 * machine keeps the values prep_compound_head() wrote there
 * (LINK_FOLIO_LARGE_MAPCOUNT_INIT, MAPPING_FOLIO_ENTIRE_MAPCOUNT_INIT,
 * LINK_DEFERRED_LIST_EMPTY), so an owner who uses those tails' lru or
 * mapping is caught as the kernel would catch it.
 */
export function freeTailPageBadReason(
  memmap: MemMap,
  head: number,
  pfn: number,
  hugetlbPage: boolean,
): string | null {
  switch (pfn - head) {
    case 1:
      // folio_large_mapcount() reads _large_mapcount (word 2) + 1.
      if (memmap.prev[pfn] !== LINK_FOLIO_LARGE_MAPCOUNT_INIT) return "nonzero large_mapcount";
      // On 64-bit _entire_mapcount (low half) and _pincount (high half) overlay ->mapping.
      if (!ulongIs(memmap.mappingHalves, pfn, MAPPING_FOLIO_ENTIRE_MAPCOUNT_INIT))
        return "nonzero entire_mapcount";
      break;
    case 2:
      // _deferred_list.next overlays word 2.
      if (memmap.prev[pfn] !== LINK_DEFERRED_LIST_EMPTY) return "on deferred list";
      break;
    case 3:
      if (hugetlbPage) break;
      if (!ulongIs(memmap.mappingHalves, pfn, TAIL_MAPPING)) return "corrupted mapping in tail page";
      break;
    default:
      if (!ulongIs(memmap.mappingHalves, pfn, TAIL_MAPPING)) return "corrupted mapping in tail page";
  }
  if (!PageTail(memmap, pfn)) return "PageTail not set";
  if (compound_head_pfn(memmap, pfn) !== head) return "compound_head not consistent";
  return null;
}
