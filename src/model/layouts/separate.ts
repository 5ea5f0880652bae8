/**
 * The separately allocated descriptors, shared by every stage after `today`
 * (interim32, interim16, final): each comes from its own slab cache with
 * 16-byte alignment (the memdesc word keeps its type in the low 4 bits), so
 * its size is a multiple of 16 (https://kernelnewbies.org/MatthewWilcox/Memdescs).
 *
 * - struct folio is quoted from https://kernelnewbies.org/MatthewWilcox/Memdescs/Path?action=raw
 *   (2025): flags, lru, mapping, index, private, _refcount, _mapcount,
 *   pincount, pfn, memcg. `order` is the model's own: neither that text nor
 *   Wilcox's PageMovable mail (message Z9hVE-SzM-IuS-6B@casper.infradead.org)
 *   lists it; the model adds it by the same rule as for ptdesc and slab below
 *   (a separately allocated descriptor of several pages must record its
 *   order). 80 bytes, the model's arithmetic.
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
import { TODAY } from "./today.js";

/** The Path page's 2025 text (folio member list; its own 32-byte page is an alternative). */
export const PATH_2025 = "https://kernelnewbies.org/MatthewWilcox/Memdescs/Path?action=raw (2025)";
/** The source of the interim 32-byte struct page. */
export const PAGEMOVABLE_2025 =
  "Wilcox, 'A plan for supporting PageMovable in 2025', linux-mm, 17 Mar 2025 (message Z9hVE-SzM-IuS-6B@casper.infradead.org): 'The current proposed layout for struct page'";

const PFN_NOTE =
  "Derived addition: a separately allocated descriptor records the memory it describes, as the plan's struct folio does with pfn";
const ORDER_NOTE =
  "Derived addition: the allocation order, which today comes from folio_order() of the overlaid compound page";

export const SEPARATE_FOLIO = {
  struct: "folio",
  size: 80,
  overlays: false,
  source: `${PATH_2025}: struct folio's members; order is the model's own`,
  derived:
    "offsets and the 80-byte size are the model's arithmetic over the plan's member list plus the model's own order",
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
      note: "the model's own (in no plan: Path ?action=raw and the PageMovable mail list none); today the low byte of folio->_flags_1",
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
