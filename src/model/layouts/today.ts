/**
 * Stage `today`: the 64-byte `struct page` and the descriptors that overlay
 * it, as the newest tree lays them out on x86-64 (LAYOUT_CONFIG).
 *
 * Verified against (linux-mm/linux-mm, the mm development tree, 7.3-rc era):
 * - include/linux/mm_types.h @0199209e47e064512580102d613bffeff390b214:
 *   struct page, struct folio and its FOLIO_MATCH blocks (+0, +1, +2, +3 ×
 *   sizeof(struct page)), struct ptdesc, TABLE_MATCH and
 *   static_assert(sizeof(struct ptdesc) <= sizeof(struct page)).
 *   (The older stored copy @9fa391b4 still says compound_head where this one
 *   says compound_info, and its folio has no migrate_info.)
 * - mm/slab.h @129c35f1a42eba79ed19b8178245c7567b3ea3b9: struct slab,
 *   struct freelist_counters, SLAB_MATCH, static_assert(sizeof(struct slab) <=
 *   sizeof(struct page)) and the freelist alignment assert.
 * - mm/zpdesc.h @5a9d2b558f05c94acd2bdbc5501955ae58740aff: struct zpdesc,
 *   ZPDESC_MATCH, static_assert(sizeof(struct zpdesc) <= sizeof(struct page)).
 *
 * Offsets are the model's arithmetic over those declarations (natural
 * alignment, 8-byte long), checked against the kernel's own *_MATCH asserts
 * (matches.ts).
 */
import { member, type StageLayouts } from "./types.js";

export const MM_TYPES_H = "include/linux/mm_types.h (linux-mm/linux-mm @0199209e47e0)";
export const SLAB_H = "mm/slab.h (linux-mm/linux-mm @129c35f1a42e)";
export const ZPDESC_H = "mm/zpdesc.h (linux-mm/linux-mm @5a9d2b558f05)";

export const TODAY = {
  page: {
    struct: "page",
    stage: "today",
    size: 64,
    overlays: false,
    source: MM_TYPES_H,
    unions: [
      { id: "words", offset: 8, size: 40, note: "Five words (20/40 bytes) are available in this union" },
      { id: "lru", offset: 8, size: 16, parent: "words", alt: "pagecache" },
      { id: "index", offset: 32, size: 8, parent: "words", alt: "pagecache" },
      { id: "type", offset: 48, size: 4, note: "This union is 4 bytes in size" },
    ],
    // biome-ignore format: one line per member, as mm_types.h declares them
    fields: [
      member("flags", 0, 8, "memdesc_flags_t", "flags", { note: "Atomic flags: PG_* bits at the bottom, section/node/zone (and LAST_CPUPID) at the top" }),
      member("lru", 8, 16, "struct list_head", "list_head", { union: "lru", note: "Pageout list, e.g. active_list protected by lruvec->lru_lock" }),
      member("buddy_list", 8, 16, "struct list_head", "list_head", { union: "lru", note: "Free page on a buddy free list; its order is in private" }),
      member("pcp_list", 8, 16, "struct list_head", "list_head", { union: "lru" }),
      member("pcp_llist", 8, 8, "struct llist_node", "llist_node", { union: "lru" }),
      member("mapping", 24, 8, "struct address_space *", "pointer", { union: "words", alt: "pagecache", note: "Low bits FOLIO_MAPPING_ANON (0x1) / FOLIO_MAPPING_ANON_KSM (0x2) mark anon_vma pointers" }),
      member("__folio_index", 32, 8, "pgoff_t", "ulong", { union: "index", note: "Our offset within mapping (renamed from index)" }),
      member("share", 32, 8, "unsigned long", "ulong", { union: "index", note: "fsdax" }),
      member("private", 40, 8, "unsigned long", "ulong", { union: "words", alt: "pagecache", note: "buffer_heads if PagePrivate; swp_entry_t in the swap cache; the buddy order if PageBuddy or on pcp_llist" }),
      member("pp_magic", 8, 8, "unsigned long", "ulong", { union: "words", alt: "page_pool" }),
      member("pp", 16, 8, "struct page_pool *", "pointer", { union: "words", alt: "page_pool" }),
      member("_pp_mapping_pad", 24, 8, "unsigned long", "pad", { union: "words", alt: "page_pool" }),
      member("dma_addr", 32, 8, "unsigned long", "ulong", { union: "words", alt: "page_pool" }),
      member("pp_ref_count", 40, 8, "atomic_long_t", "atomic_long", { union: "words", alt: "page_pool" }),
      member("compound_info", 8, 8, "unsigned long", "ulong", { union: "words", alt: "tail", note: "Tail pages: bit zero is set (PageTail). Called compound_head before the 2026 removal of fake heads" }),
      member("_unused_pgmap_compound_info", 8, 8, "void *", "pointer", { union: "words", alt: "zone_device" }),
      member("zone_device_data", 16, 8, "void *", "pointer", { union: "words", alt: "zone_device" }),
      member("rcu_head", 8, 16, "struct rcu_head", "rcu_head", { union: "words", note: "You can use this to free a page by RCU" }),
      member("page_type", 48, 4, "unsigned int", "uint", { union: "type", note: "Head pages of typed folios: PGTY_* in the top byte" }),
      member("_mapcount", 48, 4, "atomic_t", "atomic", { union: "type", note: "Starts at -1 (page_type == _mapcount == -1 means no type)" }),
      member("_refcount", 52, 4, "atomic_t", "atomic", { note: "See page_ref.h" }),
      member("memcg_data", 56, 8, "unsigned long", "ulong", { config: "CONFIG_MEMCG", note: "_unused_slab_obj_exts instead when !CONFIG_MEMCG && CONFIG_SLAB_OBJ_EXT" }),
    ],
  },

  folio: {
    struct: "folio",
    stage: "today",
    size: 256,
    overlays: true,
    source: MM_TYPES_H,
    unions: [
      { id: "page0", offset: 0, size: 64, note: "first page; the union with struct page is transitional" },
      { id: "lru", offset: 8, size: 16, parent: "page0", alt: "fields" },
      { id: "index", offset: 32, size: 8, parent: "page0", alt: "fields" },
      { id: "private", offset: 40, size: 8, parent: "page0", alt: "fields" },
      { id: "page1", offset: 64, size: 64, note: "second page" },
      { id: "usable1", offset: 80, size: 32, parent: "page1", alt: "fields1" },
      { id: "mm_id", offset: 104, size: 8, parent: "usable1", alt: "mapcounts" },
      { id: "page2", offset: 128, size: 64, note: "third page" },
      { id: "page3", offset: 192, size: 64, note: "fourth page" },
    ],
    // biome-ignore format: one line per member, as mm_types.h declares them
    fields: [
      member("flags", 0, 8, "memdesc_flags_t", "flags", { union: "page0", alt: "fields", matches: "flags" }),
      member("lru", 8, 16, "struct list_head", "list_head", { union: "lru", matches: "lru", note: "Also FOLIO_MATCH(compound_info, lru): bit 0 of lru.next must stay clear" }),
      member("__filler", 8, 8, "void *", "pad", { union: "lru", alt: "unevictable", note: "Avoid compound_info" }),
      member("mlock_count", 16, 4, "unsigned int", "uint", { union: "lru", alt: "unevictable", note: "For the Unevictable 'LRU list' slot" }),
      member("pgmap", 8, 8, "struct dev_pagemap *", "pointer", { union: "lru" }),
      member("mapping", 24, 8, "struct address_space *", "pointer", { union: "page0", alt: "fields", matches: "mapping" }),
      member("index", 32, 8, "pgoff_t", "ulong", { union: "index", matches: "__folio_index" }),
      member("share", 32, 8, "unsigned long", "ulong", { union: "index" }),
      member("private", 40, 8, "void *", "pointer", { union: "private", matches: "private" }),
      member("swap", 40, 8, "swp_entry_t", "swp_entry", { union: "private" }),
      member("migrate_info", 40, 8, "unsigned long", "ulong", { union: "private" }),
      member("_mapcount", 48, 4, "atomic_t", "atomic", { union: "page0", alt: "fields", matches: "_mapcount" }),
      member("_refcount", 52, 4, "atomic_t", "atomic", { union: "page0", alt: "fields", matches: "_refcount" }),
      member("memcg_data", 56, 8, "unsigned long", "ulong", { union: "page0", alt: "fields", matches: "memcg_data", config: "CONFIG_MEMCG" }),
      member("page", 0, 64, "struct page", "page", { union: "page0" }),
      member("_flags_1", 64, 8, "unsigned long", "flags", { union: "page1", alt: "fields1", matches: "page[1].flags", note: "Low byte = folio order (FOLIO_ORDER_MASK); PAGE_FLAGS_SECOND flags" }),
      member("_head_1", 72, 8, "unsigned long", "ulong", { union: "page1", alt: "fields1", matches: "page[1].compound_info" }),
      member("_large_mapcount", 80, 4, "atomic_t", "atomic", { union: "usable1", alt: "mapcounts" }),
      member("_nr_pages_mapped", 84, 4, "atomic_t", "atomic", { union: "usable1", alt: "mapcounts" }),
      member("_entire_mapcount", 88, 4, "atomic_t", "atomic", { union: "usable1", alt: "mapcounts", config: "CONFIG_64BIT", note: "32-bit builds keep it in the third page" }),
      member("_pincount", 92, 4, "atomic_t", "atomic", { union: "usable1", alt: "mapcounts", config: "CONFIG_64BIT", note: "32-bit builds keep it in the third page" }),
      member("_mm_id_mapcount", 96, 8, "mm_id_mapcount_t", "int", { union: "usable1", alt: "mapcounts", count: 2, note: "int on 64-bit" }),
      member("_mm_id", 104, 8, "mm_id_t", "uint", { union: "mm_id", count: 2, note: "unsigned int on 64-bit; the top bit of each id is a flag" }),
      member("_mm_ids", 104, 8, "unsigned long", "ulong", { union: "mm_id", note: "for bit_spin_lock()" }),
      member("_usable_1", 80, 32, "unsigned long", "pad", { union: "usable1", count: 4 }),
      member("_mapcount_1", 112, 4, "atomic_t", "atomic", { union: "page1", alt: "fields1", matches: "page[1]._mapcount" }),
      member("_refcount_1", 116, 4, "atomic_t", "atomic", { union: "page1", alt: "fields1", matches: "page[1]._refcount" }),
      member("_nr_pages", 120, 4, "unsigned int", "uint", { union: "page1", alt: "fields1", config: "NR_PAGES_IN_LARGE_FOLIO", note: "defined when CONFIG_MEMCG || CONFIG_SLAB_OBJ_EXT: room after the refcount in tail pages" }),
      member("__page_1", 64, 64, "struct page", "page", { union: "page1" }),
      member("_flags_2", 128, 8, "unsigned long", "flags", { union: "page2", alt: "fields2", matches: "page[2].flags" }),
      member("_head_2", 136, 8, "unsigned long", "ulong", { union: "page2", alt: "fields2", matches: "page[2].compound_info" }),
      member("_deferred_list", 144, 16, "struct list_head", "list_head", { union: "page2", alt: "fields2", note: "Folios to be split under memory pressure" }),
      member("__page_2", 128, 64, "struct page", "page", { union: "page2" }),
      member("_flags_3", 192, 8, "unsigned long", "flags", { union: "page3", alt: "fields3", matches: "page[3].flags" }),
      member("_head_3", 200, 8, "unsigned long", "ulong", { union: "page3", alt: "fields3", matches: "page[3].compound_info" }),
      member("_hugetlb_subpool", 208, 8, "void *", "pointer", { union: "page3", alt: "fields3" }),
      member("_hugetlb_cgroup", 216, 8, "void *", "pointer", { union: "page3", alt: "fields3" }),
      member("_hugetlb_cgroup_rsvd", 224, 8, "void *", "pointer", { union: "page3", alt: "fields3" }),
      member("hugetlb_hwpoison", 232, 8, "struct llist_head", "llist_head", { union: "page3", alt: "fields3", note: "Raw error pages, see struct raw_hwp_page" }),
      member("__page_3", 192, 64, "struct page", "page", { union: "page3" }),
    ],
  },

  ptdesc: {
    struct: "ptdesc",
    stage: "today",
    size: 64,
    overlays: true,
    source: MM_TYPES_H,
    unions: [
      { id: "rcu", offset: 8, size: 16 },
      { id: "index", offset: 32, size: 8 },
      { id: "ptl", offset: 40, size: 8 },
    ],
    // biome-ignore format: one line per member, as mm_types.h declares them
    fields: [
      member("pt_flags", 0, 8, "memdesc_flags_t", "flags", { matches: "flags", note: "enum pt_flags (PT_kernel = PG_referenced, PT_reserved = PG_reserved) plus zone/node/section" }),
      member("pt_rcu_head", 8, 16, "struct rcu_head", "rcu_head", { union: "rcu", matches: "rcu_head", note: "For freeing page table pages" }),
      member("pt_list", 8, 16, "struct list_head", "list_head", { union: "rcu", matches: "compound_info", note: "s390 gmap shadow pages, x86 pgds, the deferred kernel page-table free list" }),
      member("_pt_pad_1", 8, 8, "unsigned long", "pad", { union: "rcu", alt: "thp", matches: "compound_info", note: "Padding that aliases with page's compound head" }),
      member("pmd_huge_pte", 16, 8, "pgtable_t", "pointer", { union: "rcu", alt: "thp", note: "Protected by ptdesc->ptl, used for THPs; pgtable_t is struct page * on x86" }),
      member("__page_mapping", 24, 8, "unsigned long", "pad", { matches: "mapping", note: "Aliases with page->mapping. Unused for page tables" }),
      member("pt_index", 32, 8, "pgoff_t", "ulong", { union: "index", matches: "__folio_index", note: "Used for s390 gmap" }),
      member("pt_mm", 32, 8, "struct mm_struct *", "pointer", { union: "index", note: "Used for x86 pgds" }),
      member("pt_frag_refcount", 32, 4, "atomic_t", "atomic", { union: "index", note: "Powerpc only" }),
      member("pt_share_count", 32, 4, "atomic_t", "atomic", { union: "index", config: "CONFIG_HUGETLB_PMD_PAGE_TABLE_SHARING", note: "HugeTLB PMD page table share count" }),
      member("_pt_pad_2", 40, 8, "unsigned long", "pad", { union: "ptl" }),
      member("ptl", 40, 4, "spinlock_t", "spinlock", { union: "ptl", config: "!ALLOC_SPLIT_PTLOCKS", note: "With ALLOC_SPLIT_PTLOCKS (lock debugging) it is spinlock_t *ptl, 8 bytes, same offset" }),
      member("__page_type", 48, 4, "unsigned int", "uint", { matches: "page_type", note: "Same as page->page_type (PGTY_table)" }),
      member("__page_refcount", 52, 4, "atomic_t", "atomic", { matches: "_refcount", note: "Same as page refcount" }),
      member("pt_memcg_data", 56, 8, "unsigned long", "ulong", { matches: "memcg_data", config: "CONFIG_MEMCG", note: "Memcg data. Tracked for page tables here" }),
    ],
  },

  slab: {
    struct: "slab",
    stage: "today",
    size: 64,
    overlays: true,
    source: SLAB_H,
    unions: [
      { id: "lists", offset: 16, size: 32 },
      {
        id: "freelist_counters",
        offset: 32,
        size: 16,
        parent: "lists",
        alt: "partial",
        note: "the union inside the embedded anonymous struct freelist_counters",
      },
      { id: "counters", offset: 40, size: 8, parent: "freelist_counters", alt: "words" },
    ],
    // biome-ignore format: one line per member, as mm_types.h declares them
    fields: [
      member("flags", 0, 8, "memdesc_flags_t", "flags", { matches: "flags" }),
      member("slab_cache", 8, 8, "struct kmem_cache *", "pointer", { matches: "compound_info", note: "Ensure bit 0 is clear: a kmem_cache pointer never looks like PageTail" }),
      member("slab_list", 16, 16, "struct list_head", "list_head", { union: "lists", alt: "partial" }),
      member("freelist", 32, 8, "void *", "pointer", { union: "freelist_counters", alt: "words", note: "Double-word boundary: static_assert(IS_ALIGNED(offsetof(struct slab, freelist), sizeof(struct freelist_counters)))" }),
      member("counters", 40, 8, "unsigned long", "ulong", { union: "counters" }),
      member("inuse", 40, 4, "unsigned", "uint", { union: "counters", alt: "bits", bits: { shift: 0, width: 16 } }),
      member("objects", 40, 4, "unsigned", "uint", { union: "counters", alt: "bits", bits: { shift: 16, width: 15 } }),
      member("frozen", 40, 4, "unsigned", "uint", { union: "counters", alt: "bits", bits: { shift: 31, width: 1 }, note: "With slab debugging the frozen bit can mark a corrupted slab" }),
      member("stride", 44, 4, "unsigned int", "uint", { union: "counters", alt: "bits", config: "CONFIG_64BIT" }),
      member("freelist_counters", 32, 16, "freelist_full_t", "u128", { union: "freelist_counters", config: "system_has_freelist_aba", note: "u128 on 64-bit, for try_cmpxchg128" }),
      member("rcu_head", 16, 16, "struct rcu_head", "rcu_head", { union: "lists" }),
      member("__page_type", 48, 4, "unsigned int", "uint", { note: "No SLAB_MATCH, but page_slab() reads page->page_type (PGTY_slab) at the same offset" }),
      member("__page_refcount", 52, 4, "atomic_t", "atomic", { matches: "_refcount" }),
      member("obj_exts", 56, 8, "unsigned long", "ulong", { matches: "memcg_data", config: "CONFIG_SLAB_OBJ_EXT", note: "SLAB_MATCH(memcg_data, obj_exts) with CONFIG_MEMCG, else SLAB_MATCH(_unused_slab_obj_exts, obj_exts)" }),
    ],
  },

  zpdesc: {
    struct: "zpdesc",
    stage: "today",
    size: 56,
    overlays: true,
    source: ZPDESC_H,
    unions: [{ id: "next", offset: 32, size: 8 }],
    // biome-ignore format: one line per member, as mm_types.h declares them
    fields: [
      member("flags", 0, 8, "unsigned long", "flags", { matches: "flags", note: "Page flags, mostly unused: PG_private marks the first component page, PG_locked is used by migration" }),
      member("lru", 8, 16, "struct list_head", "list_head", { matches: "lru", note: "Indirectly used by page migration" }),
      member("movable_ops", 24, 8, "unsigned long", "ulong", { matches: "mapping", note: "Used by page migration" }),
      member("next", 32, 8, "struct zpdesc *", "pointer", { union: "next", note: "Next zpdesc in a zspage" }),
      member("handle", 32, 8, "unsigned long", "ulong", { union: "next", note: "For huge zspage" }),
      member("zspage", 40, 8, "struct zspage *", "pointer", { matches: "private" }),
      member("first_obj_offset", 48, 4, "unsigned int", "uint", { matches: "page_type", note: "Only the lower 24 bits: the upper 8 are PGTY_zsmalloc (limits a page to 16 MiB)" }),
      member("_refcount", 52, 4, "atomic_t", "atomic", { matches: "_refcount" }),
    ],
  },
} as const satisfies StageLayouts;
