/**
 * Free blocks from runs of KPF_BUDDY pages. The buddy allocator keeps each
 * free block naturally aligned to its size and merges a block with its buddy
 * whenever both are free (mm/page_alloc.c __free_one_page), so a run of free
 * pages decomposes into the largest naturally aligned power-of-two blocks that
 * fit, capped at MAX_PAGE_ORDER. The counts per order should agree with
 * /proc/buddyinfo taken at the same moment; where they do not, something kept
 * blocks from merging (migratetype or pageblock isolation, a read that raced
 * with the allocator) and the census reports the difference.
 */

/** MAX_PAGE_ORDER on x86-64 and the default elsewhere (include/linux/mmzone.h): orders 0–10. */
export const CENSUS_MAX_ORDER = 10;

/**
 * Add the blocks of the free run [start, end) to `counts` (indexed by order).
 * Largest first: at each PFN, the highest order that is both aligned there and
 * fits before `end`. PFNs may exceed 2^32, so this uses arithmetic, not bit
 * operations.
 */
export function splitFreeRun(start: number, end: number, counts: Float64Array | number[]): void {
  let pfn = start;
  while (pfn < end) {
    let order = 0;
    let size = 1;
    while (order < CENSUS_MAX_ORDER && pfn % (size * 2) === 0 && pfn + size * 2 <= end) {
      order++;
      size *= 2;
    }
    counts[order] = (counts[order] ?? 0) + 1;
    pfn += size;
  }
}
