/**
 * The kernel configuration every layout assumes: a typical x86-64 distribution
 * build. Offsets that depend on a symbol name it in the field's `config`.
 * Decisions: docs/decisions/0301-layout-config.md.
 */

export interface ConfigAssumption {
  /** The Kconfig symbol or preprocessor condition as the kernel source writes it. */
  readonly symbol: string;
  /** "y"/"n" for Kconfig, "defined"/"undefined"/"0"/"1" for preprocessor conditions. */
  readonly value: string;
  /** What it changes in the layouts. */
  readonly effect: string;
}

export const LAYOUT_CONFIG = {
  arch: "x86_64",
  summary:
    "x86-64, CONFIG_64BIT, CONFIG_MEMCG, CONFIG_SLAB_OBJ_EXT, CONFIG_HUGETLB_PMD_PAGE_TABLE_SHARING, " +
    "no KMSAN, no WANT_PAGE_VIRTUAL, LAST_CPUPID in the flags word, ALLOC_SPLIT_PTLOCKS = 0",
  assumptions: [
    {
      symbol: "CONFIG_64BIT",
      value: "y",
      effect:
        "8-byte long and pointer; folio->_entire_mapcount and _pincount live in the second page; mm_id_t is unsigned int",
    },
    {
      symbol: "CONFIG_MEMCG",
      value: "y",
      effect:
        "page->memcg_data, folio->memcg_data, ptdesc->pt_memcg_data at 56; FOLIO_MATCH/SLAB_MATCH/TABLE_MATCH(memcg_data, …) apply",
    },
    {
      symbol: "CONFIG_SLAB_OBJ_EXT",
      value: "y",
      effect:
        "slab->obj_exts at 56; with CONFIG_MEMCG it defines NR_PAGES_IN_LARGE_FOLIO, so folio->_nr_pages exists",
    },
    {
      symbol: "CONFIG_KMSAN",
      value: "n",
      effect: "no page->kmsan_shadow / kmsan_origin: struct page stays 64 bytes",
    },
    {
      symbol: "WANT_PAGE_VIRTUAL",
      value: "undefined",
      effect: "no page->virtual (x86 does not define it)",
    },
    {
      symbol: "LAST_CPUPID_NOT_IN_PAGE_FLAGS",
      value: "undefined",
      effect: "_last_cpupid is kept in the flags word, not in a page->_last_cpupid member",
    },
    {
      symbol: "ALLOC_SPLIT_PTLOCKS",
      value: "0",
      effect:
        "SPINLOCK_SIZE <= sizeof(long) (no CONFIG_DEBUG_SPINLOCK / CONFIG_DEBUG_LOCK_ALLOC): ptdesc->ptl is an inline spinlock_t, not a spinlock_t * (include/linux/mm_types_task.h)",
    },
    {
      symbol: "CONFIG_HUGETLB_PMD_PAGE_TABLE_SHARING",
      value: "y",
      effect: "ptdesc->pt_share_count exists (x86 selects ARCH_WANT_HUGE_PMD_SHARE)",
    },
    {
      symbol: "CONFIG_HAVE_ALIGNED_STRUCT_PAGE",
      value: "y",
      effect:
        "struct page is 2 * sizeof(long) aligned, so system_has_freelist_aba stays defined and slab->freelist_counters (u128) exists",
    },
    {
      symbol: "CONFIG_HUGETLB_PAGE_OPTIMIZE_VMEMMAP",
      value: "y",
      effect:
        "default with HUGETLB_PAGE on x86-64; with a power-of-2 struct page, a tail's compound_info holds a mask, not head | 1 (compound_info_has_mask(), src/model/compound-info.ts)",
    },
    {
      symbol: "system_has_cmpxchg128",
      value: "defined",
      effect: "x86-64 cmpxchg16b: SLUB updates freelist and counters with one 128-bit cmpxchg",
    },
  ] satisfies readonly ConfigAssumption[],
} as const;
