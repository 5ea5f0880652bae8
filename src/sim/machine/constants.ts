/**
 * Constants of the simulated machine: the page allocator's limits, the
 * encodings of the per-page columns, and the kernel values they stand for.
 *
 * Kernel sources: mm/page_alloc.c and include/linux/mmzone.h (MAX_PAGE_ORDER,
 * PAGE_ALLOC_COSTLY_ORDER, pcp_allowed_order), include/linux/poison.h
 * (LIST_POISON1/2, TAIL_MAPPING), include/linux/page-flags.h
 * (FOLIO_MAPPING_ANON, FOLIO_MAPPING_ANON_KSM).
 */
import { MISC_FIELDS } from "../../model/memdesc-word.js";
import { PAGE_TYPES } from "../../model/page-type.js";

/** MAX_PAGE_ORDER (include/linux/mmzone.h, default CONFIG_ARCH_FORCE_MAX_ORDER 10). */
export const MAX_PAGE_ORDER = 10;
/** NR_PAGE_ORDERS = MAX_PAGE_ORDER + 1. */
export const NR_PAGE_ORDERS = MAX_PAGE_ORDER + 1;
/** PAGE_ALLOC_COSTLY_ORDER (include/linux/mmzone.h): pcp lists cover orders 0..3. */
export const PAGE_ALLOC_COSTLY_ORDER = 3;
/**
 * HPAGE_PMD_ORDER on x86-64 (PMD_SHIFT 21 - PAGE_SHIFT 12). With
 * CONFIG_TRANSPARENT_HUGEPAGE pcp_allowed_order() also admits it.
 */
export const HPAGE_PMD_ORDER = 9;
/** The machine's pcp list orders, in pindex order (order_to_pindex with one migratetype). */
export const PCP_ORDERS: readonly number[] = [0, 1, 2, 3, HPAGE_PMD_ORDER];
export const NR_PCP_LISTS = PCP_ORDERS.length;
/** The largest machine the column encodings allow (pfns fit in 30 bits; see LINK_TAIL_BIAS). */
export const MAX_MACHINE_PAGES = 2 ** 30;

/** sizeof(struct page) on x86-64, for the vmemmap addresses in the today view. */
export const STRUCT_PAGE_BYTES = 64;
/** x86-64 vmemmap base (4-level paging, no KASLR): struct page of pfn N is at VMEMMAP_START + 64 N. */
export const VMEMMAP_START = 0xffff_ea00_0000_0000n;
/** x86-64 direct map base (page_offset_base without KASLR). */
export const PAGE_OFFSET = 0xffff_8880_0000_0000n;
/** POISON_POINTER_DELTA on x86-64 (CONFIG_ILLEGAL_POINTER_VALUE 0xdead000000000000). */
export const POISON_POINTER_DELTA = 0xdead_0000_0000_0000n;

// --- the word-1 / word-2 link columns -------------------------------------
//
// struct page overlays lru, buddy_list, pcp_list (and, in the descriptors,
// pt_list, slab_list, _deferred_list, ...) on words 1 and 2, and
// compound_info (head | 1 on tail pages) on word 1. The machine keeps one
// Int32Array per word and encodes every value the kernel can find there:
//
//   v >= 0                     a pointer to page v's list_head (&page->lru)
//   LINK_NULL                  NULL (what clear_compound_head() writes)
//   LIST_POISON1/LIST_POISON2  what list_del() leaves behind
//   LIST_HEAD_BASE - h         a list head that is not a page (a free_area
//                              list, a pcp list, or one the caller created)
//   <= LINK_TAIL_BIAS          word 1 only: compound_info of a tail page,
//                              head pfn = LINK_TAIL_BIAS - v
//
// so PageTail(page) is one comparison, as the kernel's bit-0 test is one AND.

export const LINK_NULL = -1;
/** list_del() poison for ->next: LIST_POISON1 = 0x100 + POISON_POINTER_DELTA. */
export const LIST_POISON1 = -2;
/** list_del() poison for ->prev: LIST_POISON2 = 0x122 + POISON_POINTER_DELTA. */
export const LIST_POISON2 = -3;
/**
 * Word 2 of a compound head's first tail after prep_compound_head(): the
 * folio's _large_mapcount (-1) and _nr_pages_mapped (0) overlay it.
 */
export const LINK_FOLIO_LARGE_MAPCOUNT_INIT = -4;
/**
 * Word 2 of a compound head's second tail (order > 1) after
 * prep_compound_head(): INIT_LIST_HEAD(&folio->_deferred_list) makes
 * _deferred_list.next point at itself.
 */
export const LINK_DEFERRED_LIST_EMPTY = -5;
/** List heads that are not pages: head h is LIST_HEAD_BASE - h. */
export const LIST_HEAD_BASE = -16;
/** compound_info of a tail page: LINK_TAIL_BIAS - head. */
export const LINK_TAIL_BIAS = -(2 ** 30);
/** The number of list heads that fit between LIST_HEAD_BASE and LINK_TAIL_BIAS. */
export const MAX_LIST_HEADS = LIST_HEAD_BASE - LINK_TAIL_BIAS;

// --- the mapping column -----------------------------------------------------

export const MAPPING_NULL = 0;
/** FOLIO_MAPPING_ANON (include/linux/page-flags.h): bit 0 of ->mapping marks an anon_vma. */
export const FOLIO_MAPPING_ANON = 0x1;
/** FOLIO_MAPPING_ANON_KSM (include/linux/page-flags.h): with ANON, a KSM stable node. */
export const FOLIO_MAPPING_ANON_KSM = 0x2;
/** FOLIO_MAPPING_KSM = FOLIO_MAPPING_ANON | FOLIO_MAPPING_ANON_KSM. */
export const FOLIO_MAPPING_KSM = FOLIO_MAPPING_ANON | FOLIO_MAPPING_ANON_KSM;
export const FOLIO_MAPPING_FLAGS = FOLIO_MAPPING_ANON | FOLIO_MAPPING_ANON_KSM;
/** TAIL_MAPPING = (void *)0x400 + POISON_POINTER_DELTA (include/linux/poison.h); stored without the delta. */
export const TAIL_MAPPING = 0x400;
/**
 * Mapping values from here up are the machine's own: owners use
 * {@link mappingOf} below them.
 */
export const MAPPING_RESERVED_MIN = 0xffff_0000;
/**
 * The ->mapping slot of a compound head's first tail after
 * prep_compound_head(): on 64-bit, _entire_mapcount (-1) and _pincount (0)
 * overlay it.
 */
export const MAPPING_FOLIO_ENTIRE_MAPCOUNT_INIT = 0xffff_ffff;
/** The ->mapping slot of the second tail: _deferred_list.prev pointing at itself. */
export const MAPPING_DEFERRED_LIST_EMPTY = 0xffff_fffe;

/**
 * A mapping value for an owner: `owner` is an opaque id the caller chooses
 * (an address_space, an anon_vma, a movable_ops …), `flags` the kernel's
 * FOLIO_MAPPING_* low bits. The today view shows it as a direct-map pointer.
 */
export function mappingOf(owner: number, flags = 0): number {
  if (!Number.isInteger(owner) || owner < 1 || owner * 4 >= MAPPING_RESERVED_MIN) {
    throw new RangeError(`mapping owner id ${owner} is not in 1..${MAPPING_RESERVED_MIN / 4 - 1}`);
  }
  if ((flags & ~FOLIO_MAPPING_FLAGS) !== 0)
    throw new RangeError(`mapping flags ${flags} are not FOLIO_MAPPING_*`);
  const v = owner * 4 + flags;
  if (v === TAIL_MAPPING) throw new RangeError("mapping owner id 256 would read as TAIL_MAPPING");
  return v;
}

// --- the page_type column ---------------------------------------------------

/** page_type of an untyped page: UINT_MAX (_mapcount == -1). */
export const PAGE_TYPE_UNTYPED = 0xffff_ffff;
/** The order field of a Misc memdesc word (bits 12–17, MISC_FIELDS.order). */
export const MISC_ORDER_MASK = ((1 << MISC_FIELDS.order.width) - 1) << MISC_FIELDS.order.shift;

/** PGTY_buddy << 24: the page_type set_buddy_order() writes. */
export const PAGE_TYPE_BUDDY = 0xf000_0000;
/**
 * The page_type column is an Int32Array (the word read as _mapcount), so the
 * hot paths compare small integers: these are UINT_MAX and PGTY_buddy << 24
 * as signed values.
 */
export const PT_UNTYPED = -1;
export const PT_BUDDY = PAGE_TYPE_BUDDY | 0;
/** page_type_has_type(): t < (PGTY_mapcount_underflow << 24) as an int. */
export const PGTY_MAPCOUNT_UNDERFLOW_WORD = 0xff00_0000;

/** PageTypeInfo.refcountIgnored by top byte: get_page()/put_page() return early on these pages. */
export const REFCOUNT_IGNORED_TOP: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (const p of PAGE_TYPES) if (p.refcountIgnored) t[p.pgty] = 1;
  return t;
})();

// --- the state column (machine bookkeeping, not a kernel field) -----------

/** Where a page is: bits 0–1 of the state byte. */
export const S_WHERE = 0x03;
/** Free, inside a block on a buddy free list (only the block's first page is PageBuddy). */
export const S_BUDDY = 0x00;
/** Free, inside a block on a per-CPU list (not PageBuddy, as in the kernel). */
export const S_PCP = 0x01;
/** Allocated. */
export const S_ALLOC = 0x02;
/** Neither free nor owned: leaked by bad_page(), or a hwpoisoned page kept from the allocator. */
export const S_LEAKED = 0x03;
/** The first page of a block: a free block, a pcp block, an allocation, a leaked block. */
export const S_HEAD = 0x04;
/** Allocated, but the allocation it belonged to was freed without it (MD018). */
export const S_ORPHAN = 0x08;
/** Two bits the caller may use for its own lifecycle (a ptdesc's ctor/dtor state). */
export const S_OWNER_SHIFT = 4;
export const S_OWNER_MASK = 0x30;
/**
 * A page table that may be reachable from the kernel's page tables (installed, or its address
 * escaped where the model does not follow): only a table without it is provably never installed,
 * and no IOMMU can have walked it (MD017). Cleared at allocation, so a new table is never installed.
 */
export const S_PGTABLE_REACHABLE = 0x40;
/** A freed kernel page-table page that no IOMMU invalidation has covered yet (MD017). */
export const S_STALE_IOTLB = 0x80;

/** An allocation's first page, as the free paths expect it (owner and IOTLB bits masked off). */
export const S_ALLOC_HEAD = S_ALLOC | S_HEAD;
/** The bits that say what a page is (not the caller's or the IOMMU's). */
export const S_KIND_MASK = S_WHERE | S_HEAD | S_ORPHAN;
