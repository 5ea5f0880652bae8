/**
 * The separately allocated descriptors, shared by every stage after `today`
 * (interim32, interim16, final): each comes from its own slab cache with
 * 16-byte alignment (the memdesc word keeps its type in the low 4 bits), so
 * its size is a multiple of 16 (kernelnewbies Memdescs).
 *
 * - struct folio is quoted from kernelnewbies.org/MatthewWilcox/Memdescs/Path,
 *   newest stored revision (?action=print): flags … order, "3 bytes available
 *   here", pfn, memcg; 80 bytes. "Large folios will store more information
 *   here": the plan lists none, so neither does the model.
 * - struct ptdesc, struct slab, struct zpdesc are DERIVED: no published plan
 *   lists their separately allocated fields. The rule
 *   (docs/decisions/0302-interim-and-final-layouts.md): start from today's
 *   overlay; drop the members that exist only to line up with struct page
 *   (the kernel's own comments say so: __page_mapping, _pt_pad_1, _pt_pad_2,
 *   __page_type); drop __page_refcount where the descriptor has no get/put
 *   API; add `pfn` (and `order` for multi-page descriptors), because a
 *   descriptor that is no longer the struct page cannot find its memory by a
 *   cast — exactly why the plan's folio gains `pfn` and `order`.
 */

export const PATH_2025 =
  "kernelnewbies.org/MatthewWilcox/Memdescs/Path (2025, newest stored revision, ?action=print)";

const PFN_NOTE =
  "Derived addition: a separately allocated descriptor records the memory it describes, as the plan's struct folio does with pfn";
const ORDER_NOTE =
  "Derived addition: the allocation order, which today comes from folio_order() of the overlaid compound page";

export const SEPARATE_FOLIO = {
  struct: "folio",
  size: 80,
  overlays: false,
  source: PATH_2025,
  derived: "offsets and the 80-byte size are the model's arithmetic over the plan's member list",
  unions: [],
  fields: [
    {
      name: "flags",
      offset: 0,
      size: 8,
      ctype: "unsigned long",
      ts: "flags",
      note: "The plan copies page->flags of the first page into the folio (memdesc_flags_t in today's kernel)",
    },
    { name: "lru", offset: 8, size: 16, ctype: "struct list_head", ts: "list_head" },
    { name: "mapping", offset: 24, size: 8, ctype: "struct address_space *", ts: "pointer" },
    { name: "index", offset: 32, size: 8, ctype: "pgoff_t", ts: "ulong" },
    { name: "private", offset: 40, size: 8, ctype: "void *", ts: "pointer" },
    {
      name: "_refcount",
      offset: 48,
      size: 4,
      ctype: "unsigned int",
      ts: "atomic",
      note: "The plan writes unsigned int; the page allocator's refcount rules (page_ref.h) apply",
    },
    { name: "_mapcount", offset: 52, size: 4, ctype: "unsigned int", ts: "atomic" },
    {
      name: "pincount",
      offset: 56,
      size: 4,
      ctype: "unsigned int",
      ts: "atomic",
      note: "today's folio->_pincount",
    },
    {
      name: "order",
      offset: 60,
      size: 1,
      ctype: "unsigned char",
      ts: "uchar",
      note: "3 bytes available here (Path); today the low byte of folio->_flags_1",
    },
    {
      name: "pfn",
      offset: 64,
      size: 8,
      ctype: "unsigned long",
      ts: "ulong",
      note: "The first page frame of the folio",
    },
    {
      name: "memcg",
      offset: 72,
      size: 8,
      ctype: "struct mem_cgroup *",
      ts: "pointer",
      note: "today's memcg_data",
    },
  ],
} as const;

export const SEPARATE_PTDESC = {
  struct: "ptdesc",
  size: 64,
  overlays: false,
  source: "include/linux/mm_types.h struct ptdesc (linux-mm/linux-mm @0199209e47e0), separated by the model",
  derived:
    "no plan lists the separate ptdesc: today's members minus the struct page aliases (_pt_pad_1, __page_mapping, _pt_pad_2, __page_type, __page_refcount), plus order and pfn; 56 bytes of members, 64 as a 16-byte-aligned slab object",
  unions: [
    { id: "rcu", offset: 8, size: 16 },
    { id: "index", offset: 24, size: 8 },
  ],
  fields: [
    {
      name: "pt_flags",
      offset: 0,
      size: 8,
      ctype: "memdesc_flags_t",
      ts: "flags",
      note: "PT_kernel, PT_reserved; zone/node/section",
    },
    { name: "pt_rcu_head", offset: 8, size: 16, ctype: "struct rcu_head", ts: "rcu_head", union: "rcu" },
    { name: "pt_list", offset: 8, size: 16, ctype: "struct list_head", ts: "list_head", union: "rcu" },
    {
      name: "pmd_huge_pte",
      offset: 8,
      size: 8,
      ctype: "pgtable_t",
      ts: "pointer",
      union: "rcu",
      note: "_pt_pad_1 only kept it off page->compound_info; without the overlay it moves to the union's start",
    },
    { name: "pt_index", offset: 24, size: 8, ctype: "pgoff_t", ts: "ulong", union: "index" },
    { name: "pt_mm", offset: 24, size: 8, ctype: "struct mm_struct *", ts: "pointer", union: "index" },
    { name: "pt_frag_refcount", offset: 24, size: 4, ctype: "atomic_t", ts: "atomic", union: "index" },
    {
      name: "pt_share_count",
      offset: 24,
      size: 4,
      ctype: "atomic_t",
      ts: "atomic",
      union: "index",
      config: "CONFIG_HUGETLB_PMD_PAGE_TABLE_SHARING",
    },
    { name: "ptl", offset: 32, size: 4, ctype: "spinlock_t", ts: "spinlock", config: "!ALLOC_SPLIT_PTLOCKS" },
    { name: "order", offset: 36, size: 1, ctype: "unsigned char", ts: "uchar", note: ORDER_NOTE },
    { name: "pfn", offset: 40, size: 8, ctype: "unsigned long", ts: "ulong", note: PFN_NOTE },
    {
      name: "pt_memcg_data",
      offset: 48,
      size: 8,
      ctype: "unsigned long",
      ts: "ulong",
      config: "CONFIG_MEMCG",
    },
  ],
} as const;

export const SEPARATE_SLAB = {
  struct: "slab",
  size: 80,
  overlays: false,
  source: "mm/slab.h struct slab (linux-mm/linux-mm @129c35f1a42e), separated by the model",
  derived:
    "no plan lists the separate slab: today's members minus __page_type and __page_refcount, plus order and pfn; freelist stays 16-byte aligned for cmpxchg128, so the struct is 16-byte aligned and 65 bytes of members round up to 80",
  unions: [
    { id: "lists", offset: 16, size: 32 },
    { id: "freelist_counters", offset: 32, size: 16, parent: "lists", alt: "partial" },
    { id: "counters", offset: 40, size: 8, parent: "freelist_counters", alt: "words" },
  ],
  fields: [
    { name: "flags", offset: 0, size: 8, ctype: "memdesc_flags_t", ts: "flags" },
    { name: "slab_cache", offset: 8, size: 8, ctype: "struct kmem_cache *", ts: "pointer" },
    {
      name: "slab_list",
      offset: 16,
      size: 16,
      ctype: "struct list_head",
      ts: "list_head",
      union: "lists",
      alt: "partial",
    },
    {
      name: "freelist",
      offset: 32,
      size: 8,
      ctype: "void *",
      ts: "pointer",
      union: "freelist_counters",
      alt: "words",
    },
    { name: "counters", offset: 40, size: 8, ctype: "unsigned long", ts: "ulong", union: "counters" },
    {
      name: "inuse",
      offset: 40,
      size: 4,
      bits: { shift: 0, width: 16 },
      ctype: "unsigned",
      ts: "uint",
      union: "counters",
      alt: "bits",
    },
    {
      name: "objects",
      offset: 40,
      size: 4,
      bits: { shift: 16, width: 15 },
      ctype: "unsigned",
      ts: "uint",
      union: "counters",
      alt: "bits",
    },
    {
      name: "frozen",
      offset: 40,
      size: 4,
      bits: { shift: 31, width: 1 },
      ctype: "unsigned",
      ts: "uint",
      union: "counters",
      alt: "bits",
    },
    {
      name: "stride",
      offset: 44,
      size: 4,
      ctype: "unsigned int",
      ts: "uint",
      union: "counters",
      alt: "bits",
      config: "CONFIG_64BIT",
    },
    {
      name: "freelist_counters",
      offset: 32,
      size: 16,
      ctype: "freelist_full_t",
      ts: "u128",
      union: "freelist_counters",
      config: "system_has_freelist_aba",
    },
    { name: "rcu_head", offset: 16, size: 16, ctype: "struct rcu_head", ts: "rcu_head", union: "lists" },
    {
      name: "obj_exts",
      offset: 48,
      size: 8,
      ctype: "unsigned long",
      ts: "ulong",
      config: "CONFIG_SLAB_OBJ_EXT",
    },
    { name: "pfn", offset: 56, size: 8, ctype: "unsigned long", ts: "ulong", note: PFN_NOTE },
    { name: "order", offset: 64, size: 1, ctype: "unsigned char", ts: "uchar", note: ORDER_NOTE },
  ],
} as const;

export const SEPARATE_ZPDESC = {
  struct: "zpdesc",
  size: 64,
  overlays: false,
  source: "mm/zpdesc.h struct zpdesc (linux-mm/linux-mm @5a9d2b558f05), separated by the model",
  derived:
    "no plan lists the separate zpdesc: today's members (each describes one page of a zspage, so no order), plus pfn; 64 bytes",
  unions: [{ id: "next", offset: 32, size: 8 }],
  fields: [
    { name: "flags", offset: 0, size: 8, ctype: "unsigned long", ts: "flags" },
    { name: "lru", offset: 8, size: 16, ctype: "struct list_head", ts: "list_head" },
    { name: "movable_ops", offset: 24, size: 8, ctype: "unsigned long", ts: "ulong" },
    { name: "next", offset: 32, size: 8, ctype: "struct zpdesc *", ts: "pointer", union: "next" },
    { name: "handle", offset: 32, size: 8, ctype: "unsigned long", ts: "ulong", union: "next" },
    { name: "zspage", offset: 40, size: 8, ctype: "struct zspage *", ts: "pointer" },
    {
      name: "first_obj_offset",
      offset: 48,
      size: 4,
      ctype: "unsigned int",
      ts: "uint",
      note: "The type moves to the memdesc word, so all 32 bits are the offset",
    },
    {
      name: "_refcount",
      offset: 52,
      size: 4,
      ctype: "atomic_t",
      ts: "atomic",
      note: "Kept: zsmalloc takes references (zpdesc_get()/zpdesc_put())",
    },
    { name: "pfn", offset: 56, size: 8, ctype: "unsigned long", ts: "ulong", note: PFN_NOTE },
  ],
} as const;
