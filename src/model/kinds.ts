/**
 * Memdesc kinds: what kind of memory a page belongs to once `struct page` is
 * one word, and what each kind costs in the final stage. Shared code asks this
 * table rather than branching on a kind's name.
 *
 * Descriptor sizes (bytes, each a multiple of 16 because descriptors come
 * from slab caches with 16-byte alignment — https://kernelnewbies.org/MatthewWilcox/Memdescs):
 * - folio / anon_folio, slab, ptdesc, zpdesc: the size of the struct's
 *   final-stage layout (src/model/layouts, decisions 0302 and 0303), all
 *   derived from today's struct minus what only lines up with struct page,
 *   plus pfn/order: folio 160 (today's folio members, large-folio ones
 *   included, as https://kernelnewbies.org/MatthewWilcox/FolioAlloc?action=raw
 *   initialises them), ptdesc 64, slab 80, zpdesc 64. anon_folio has no
 *   layout of its own and costs as much as struct folio.
 * - ksm, netpool, hwpoison, pcpudesc: no size in any source ("TBD"); 64,
 *   the size of the struct page they replace, as an upper bound.
 * - vmalloc: 64 as well — the page view calls VmallocMappable a struct
 *   pointer but names no struct and no size.
 * - misc, buddy: 0 — their data is inline in the word (Memdescs
 *   wiki source: Misc and Buddy need no allocation).
 * All are parameters of the census savings model (`--descriptor KIND=BYTES`).
 */
import { LAYOUTS } from "./layouts/index.js";
import type { MemdescKindName } from "./memdesc-word.js";

/** The final-stage size of a descriptor struct with a layout. */
const finalSize = (struct: "folio" | "ptdesc" | "slab" | "zpdesc"): number => LAYOUTS.final[struct].size;

/**
 * What page_folio() finds for a page of a kind (decision 0320):
 * - `folio`: the descriptor is a folio. File memory is `struct folio`;
 *   anonymous and KSM memory are folios today (include/linux/page-flags.h,
 *   linux-mm/linux-mm 03e0599da9e1: folio_test_anon() and folio_test_ksm()
 *   take a `struct folio *`; "A KSM page … It's a PageAnon page"), and the
 *   Memdescs/Path interim table points Anon at a `struct folio`.
 * - `none`: another descriptor (slab, ptdesc, zpdesc, movable, netpool,
 *   hwpoison, pcpudesc). In the memdesc world page_folio() of memory that is
 *   not a folio returns NULL (Wilcox, linux-mm, Jan 2025, message Z37pxbkHPbLYnDKn@casper.infradead.org): MD006 here.
 *   Today's kernel marks slab, page-table, zsmalloc and page_pool memory with
 *   page types, not folio types (page-flags.h PAGE_TYPE_OPS Slab, Table,
 *   Zsmalloc, Netpp), and Memdescs/Path splits the page_pool allocator out of
 *   struct page "as has been done for, eg, slab and ptdesc".
 * - `head`: no folio descriptor (misc, buddy: inline in the word; vmalloc:
 *   a struct no source names). memdesc keeps today's answer, the compound head, as page_folio()
 *   of alloc_pages() memory gives it (page-flags.h: `_compound_head(p)`).
 */
export type PageFolio = "folio" | "none" | "head";

export interface MemdescKindInfo {
  readonly kind: MemdescKindName;
  /** The C struct of the descriptor at the final stage (null when inline). */
  readonly struct: string | null;
  /** Default size of one separately allocated descriptor, bytes (0 when inline). */
  readonly descriptorBytes: number;
  /** Where the default size comes from. */
  readonly sizeSource: string;
  /** Whether pages of this kind carry a refcount (Misc memory has none: https://kernelnewbies.org/MatthewWilcox/Memdescs). */
  readonly refcounted: boolean;
  /**
   * What page_folio() finds for a page of this kind once descriptors are
   * separately allocated (see PageFolio).
   */
  readonly pageFolio: PageFolio;
  /**
   * Plain pages: memory allocated without a descriptor (alloc_pages(), a
   * Misc memdesc), which findings name as such rather than by kind.
   */
  readonly plainPages: boolean;
  readonly description: string;
}

export const MEMDESC_KINDS: Readonly<Record<MemdescKindName, MemdescKindInfo>> = {
  misc: {
    kind: "misc",
    struct: null,
    descriptorBytes: 0,
    sizeSource: "inline (https://kernelnewbies.org/MatthewWilcox/Memdescs: Misc)",
    refcounted: false,
    pageFolio: "head",
    plainPages: true,
    description:
      "memory that needs no extra data: reserved, zero page, driver, vmalloc, guard, offline, large kmalloc",
  },
  buddy: {
    kind: "buddy",
    struct: null,
    descriptorBytes: 0,
    sizeSource:
      "embedded (Wilcox, linux-mm, Jan 2024, https://www.spinics.net/lists/linux-mm/msg369183.html)",
    refcounted: false,
    pageFolio: "head",
    plainPages: false,
    description: "a free page of the buddy allocator",
  },
  folio: {
    kind: "folio",
    struct: "struct folio",
    descriptorBytes: finalSize("folio"),
    sizeSource:
      "struct folio at the final stage (today's folio members as https://kernelnewbies.org/MatthewWilcox/FolioAlloc?action=raw initialises them, decision 0303; docs/reference/layouts.md)",
    refcounted: true,
    pageFolio: "folio",
    plainPages: false,
    description: "page cache (file) memory",
  },
  anon_folio: {
    kind: "anon_folio",
    struct: "struct anon_folio",
    descriptorBytes: finalSize("folio"),
    sizeSource:
      "as struct folio at the final stage (decision 0303; https://kernelnewbies.org/MatthewWilcox/FolioAlloc?action=raw)",
    refcounted: true,
    pageFolio: "folio",
    plainPages: false,
    description: "anonymous memory",
  },
  ksm: {
    kind: "ksm",
    struct: "struct ksm",
    descriptorBytes: 64,
    sizeSource: "no source, the model's own: 64 = the struct page it replaces",
    refcounted: true,
    pageFolio: "folio",
    plainPages: false,
    description: "KSM-merged anonymous memory",
  },
  slab: {
    kind: "slab",
    struct: "struct slab",
    descriptorBytes: finalSize("slab"),
    sizeSource:
      "struct slab at the final stage (derived from mm/slab.h @129c35f1a42e; docs/reference/layouts.md)",
    refcounted: false,
    pageFolio: "none",
    plainPages: false,
    description: "slab allocator memory",
  },
  movable: {
    kind: "movable",
    struct: "struct movable",
    descriptorBytes: 64,
    sizeSource: "no source, the model's own: 64 = the struct page it replaces",
    refcounted: true,
    pageFolio: "none",
    plainPages: false,
    description: "movable_ops memory (balloon, zsmalloc)",
  },
  zpdesc: {
    kind: "zpdesc",
    struct: "struct zpdesc",
    descriptorBytes: finalSize("zpdesc"),
    sizeSource:
      "struct zpdesc at the final stage (derived from mm/zpdesc.h @5a9d2b558f05; docs/reference/layouts.md)",
    refcounted: true,
    pageFolio: "none",
    plainPages: false,
    description: "zsmalloc memory",
  },
  ptdesc: {
    kind: "ptdesc",
    struct: "struct ptdesc",
    descriptorBytes: 64,
    sizeSource:
      "today's overlay bound, include/linux/mm_types.h @0199209e47e0 static_assert(sizeof(struct ptdesc) <= sizeof(struct page))",
    refcounted: true,
    pageFolio: "none",
    plainPages: false,
    description: "page tables",
  },
  netpool: {
    kind: "netpool",
    struct: "struct netpool",
    descriptorBytes: 64,
    sizeSource: "no source, the model's own: 64 = the struct page it replaces",
    refcounted: true,
    pageFolio: "none",
    plainPages: false,
    description: "network page_pool memory",
  },
  hwpoison: {
    kind: "hwpoison",
    struct: "struct hwpoison",
    descriptorBytes: 64,
    sizeSource: "no source, the model's own: 64 = the struct page it replaces",
    refcounted: false,
    pageFolio: "none",
    plainPages: false,
    description: "hardware-poisoned memory",
  },
  pcpudesc: {
    kind: "pcpudesc",
    struct: "struct pcpudesc",
    descriptorBytes: 64,
    sizeSource: "no source, the model's own: 64 = the struct page it replaces",
    refcounted: false,
    pageFolio: "none",
    plainPages: false,
    description: "per-CPU allocator memory",
  },
  vmalloc: {
    kind: "vmalloc",
    struct: null,
    descriptorBytes: 64,
    sizeSource:
      "no source, the model's own: 64 = the struct page it replaces; the page view of https://kernelnewbies.org/MatthewWilcox/Memdescs lists 'VmallocMappable (struct pointer)' without naming or sizing the struct (the wiki source, ?action=Save, has no Vmalloc type)",
    refcounted: false,
    pageFolio: "head",
    plainPages: false,
    description: "vmalloc memory that may be mapped to user space",
  },
};

export const MEMDESC_KIND_NAMES = Object.keys(MEMDESC_KINDS) as MemdescKindName[];
