/**
 * The separately allocated descriptors, shared by every stage after `today`
 * (interim32, interim16, final): each comes from its own slab cache with
 * 16-byte alignment (the memdesc word keeps its type in the low 4 bits), so
 * its size is a multiple of 16 (https://kernelnewbies.org/MatthewWilcox/Memdescs).
 *
 * - struct folio is DERIVED from today's struct folio by the same rule
 *   (decision 0303, amending 0302): the Path page's 2025 member list
 *   (https://kernelnewbies.org/MatthewWilcox/Memdescs/Path?action=raw) names no
 *   large-folio member, but the plan's own
 *   allocation page (FOLIO_ALLOC below) has the slab-allocated folio
 *   initialise, for order > 0, _entire_mapcount, _nr_pages_mapped and
 *   _deferred_split_list, so the separate folio keeps today's members that
 *   hold the folio's own data (the large-folio members of the second to
 *   fourth page included) and drops only what overlays struct page: the
 *   embedded struct pages, the per-page copies (_flags_N, _head_N,
 *   _mapcount_1, _refcount_1), the _usable_1 padding and __filler ("Avoid
 *   compound_info"); it adds pfn and order, which FolioAlloc sets.
 * - struct ptdesc, struct slab, struct zpdesc are DERIVED: no published plan
 *   lists their separately allocated fields. The rule
 *   (docs/decisions/0302-interim-and-final-layouts.md): start from today's
 *   overlay; drop the members that exist only to line up with struct page
 *   (the kernel's own comments say so: __page_mapping, _pt_pad_1, _pt_pad_2,
 *   __page_type); drop __page_refcount where the descriptor has no get/put
 *   API; add `pfn` (and `order` for multi-page descriptors), because a
 *   descriptor that is no longer the struct page cannot find its memory by a
 *   cast — exactly why the plan's folio gains `pfn`. deriveSeparate()
 *   (derive.ts) executes the rule; the lines below are its arguments.
 */
import { deriveSeparate } from "./derive.js";
import { MM_TYPES_H, TODAY } from "./today.js";

/** The Path page's 2025 text (folio member list; its own 32-byte page is an alternative). */
export const PATH_2025 = "https://kernelnewbies.org/MatthewWilcox/Memdescs/Path?action=raw (2025)";
/** The source of the interim 32-byte struct page. */
export const PAGEMOVABLE_2025 =
  "Wilcox, 'A plan for supporting PageMovable in 2025', linux-mm, 17 Mar 2025 (message Z9hVE-SzM-IuS-6B@casper.infradead.org): 'The current proposed layout for struct page'";

/** The plan's folio allocation page: the slab-allocated folio's folio_alloc(). */
export const FOLIO_ALLOC =
  "https://kernelnewbies.org/MatthewWilcox/FolioAlloc?action=raw (last edited 2024-05-15)";

const PFN_NOTE =
  "Derived addition: a separately allocated descriptor records the memory it describes, as the plan's struct folio does with pfn";
const ORDER_NOTE =
  "Derived addition: the allocation order, which today comes from folio_order() of the overlaid compound page";

const PFN = { name: "pfn", size: 8, ctype: "unsigned long", ts: "ulong", note: PFN_NOTE } as const;
const ORDER = { name: "order", size: 1, ctype: "unsigned char", ts: "uchar", note: ORDER_NOTE } as const;

export const SEPARATE_PTDESC = deriveSeparate(TODAY.ptdesc, {
  drop: ["_pt_pad_1", "__page_mapping", "_pt_pad_2", "__page_type", "__page_refcount"],
  // order fills the hole after the 4-byte ptl (rule 5); pfn follows it.
  add: [
    { after: "ptl", member: ORDER },
    { after: "order", member: PFN },
  ],
  source: "include/linux/mm_types.h struct ptdesc (linux-mm/linux-mm @0199209e47e0), separated by the model",
  derived:
    "no plan lists the separate ptdesc: today's members minus the struct page aliases (_pt_pad_1, __page_mapping, _pt_pad_2, __page_type, __page_refcount), plus order and pfn; 56 bytes of members, 64 as a 16-byte-aligned slab object",
  notes: {
    pt_flags: "PT_kernel, PT_reserved; zone/node/section",
    pmd_huge_pte:
      "_pt_pad_1 only kept it off page->compound_info; without the overlay it moves to the union's start",
  },
});

export const SEPARATE_SLAB = deriveSeparate(TODAY.slab, {
  drop: ["__page_type", "__page_refcount"],
  add: [
    { after: "obj_exts", member: PFN },
    { after: "pfn", member: ORDER },
  ],
  source: "mm/slab.h struct slab (linux-mm/linux-mm @129c35f1a42e), separated by the model",
  derived:
    "no plan lists the separate slab: today's members minus __page_type and __page_refcount, plus order and pfn; freelist stays 16-byte aligned for cmpxchg128, so the struct is 16-byte aligned and 65 bytes of members round up to 80",
});

export const SEPARATE_ZPDESC = deriveSeparate(TODAY.zpdesc, {
  drop: [],
  add: [{ after: "_refcount", member: PFN }],
  source: "mm/zpdesc.h struct zpdesc (linux-mm/linux-mm @5a9d2b558f05), separated by the model",
  derived:
    "no plan lists the separate zpdesc: today's members (each describes one page of a zspage, so no order), plus pfn; 64 bytes",
  notes: {
    first_obj_offset: "The type moves to the memdesc word, so all 32 bits are the offset",
    _refcount: "Kept: zsmalloc takes references (zpdesc_get()/zpdesc_put())",
  },
});

export const SEPARATE_FOLIO = deriveSeparate(TODAY.folio, {
  drop: [
    "__filler",
    "page",
    "_flags_1",
    "_head_1",
    "_usable_1",
    "_mapcount_1",
    "_refcount_1",
    "__page_1",
    "_flags_2",
    "_head_2",
    "__page_2",
    "_flags_3",
    "_head_3",
    "__page_3",
  ],
  // order fills the 4-byte hole after _nr_pages (rule 5); pfn goes at the end.
  add: [
    {
      after: "_nr_pages",
      member: {
        name: "order",
        size: 1,
        ctype: "unsigned char",
        ts: "uchar",
        note: `FolioAlloc sets folio->order = order (${FOLIO_ALLOC}); today the low byte of _flags_1`,
      },
    },
    {
      after: "hugetlb_hwpoison",
      member: {
        name: "pfn",
        size: 8,
        ctype: "unsigned long",
        ts: "ulong",
        note: "The first page frame: FolioAlloc sets folio->pfn = page_to_pfn(page); Path's 2025 folio lists pfn",
      },
    },
  ],
  source: `${MM_TYPES_H} struct folio, separated by the model; ${FOLIO_ALLOC}; ${PATH_2025}`,
  derived:
    "today's members minus what overlays struct page (page, __page_1..3, _flags_1..3, _head_1..3, _mapcount_1, _refcount_1, _usable_1, __filler), plus order and pfn, as FolioAlloc's folio_alloc() initialises them; 160 bytes of members, a 16-byte multiple",
  notes: {
    flags:
      "The plan copies page->flags of the first page into the folio (Path ?action=raw); FolioAlloc: pfn_flags(folio->pfn)",
    mlock_count:
      "__filler only kept it off page->compound_info; without the overlay it moves to the union's start",
    _refcount:
      "FolioAlloc: atomic_set(&folio->_refcount, 1); the page allocator's refcount rules (page_ref.h) apply",
    _entire_mapcount: "FolioAlloc initialises it for order > 0",
    _nr_pages_mapped: "FolioAlloc initialises it for order > 0",
    _pincount: "The Path page's 2025 folio calls it pincount",
    memcg_data: "The Path page's 2025 folio calls it memcg; FolioAlloc: folio->memcg_data = 0",
    _deferred_list:
      "FolioAlloc initialises it for order > 0 as _deferred_split_list; the model keeps today's name, as code writes it",
  },
});
