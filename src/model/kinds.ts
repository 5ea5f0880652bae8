/**
 * Memdesc kinds: what kind of memory a page belongs to once `struct page` is
 * one word, and what each kind costs in the final stage. Shared code asks this
 * table rather than branching on a kind's name.
 *
 * Descriptor sizes (bytes, each a multiple of 16 because descriptors come
 * from slab caches with 16-byte alignment — kernelnewbies Memdescs):
 * - folio / anon_folio: 80, the sum of the fields the Memdescs/Path page
 *   (2025) proposes for a separately allocated folio (flags 8, lru 16,
 *   mapping 8, index 8, private 8, _refcount 4, _mapcount 4, pincount 4,
 *   order 1 + 3 spare, pfn 8, memcg 8) —
 *   kernelnewbies.org/MatthewWilcox/Memdescs/Path?action=print, derived.
 * - folio, slab, ptdesc, zpdesc: the size of the struct's final-stage layout
 *   (src/model/layouts, decision 0302): folio 80 (the Path plan's fields),
 *   ptdesc 64, slab 80, zpdesc 64 (today's fields minus those that exist only
 *   to line up with struct page, plus pfn/order — derived, no plan lists them).
 * - ksm, netpool, hwpoison, pcpudesc: no size in any source ("TBD"); 64,
 *   the size of the struct page they replace, as an upper bound.
 * - misc, buddy, vmalloc: 0 — their data is inline in the word (Memdescs
 *   wiki source: Misc and Buddy need no allocation).
 * All are parameters of the census savings model (`--descriptor KIND=BYTES`).
 */
import { LAYOUTS } from "./layouts/index.js";
import type { MemdescKindName } from "./memdesc-word.js";

/** The final-stage size of a descriptor struct with a layout. */
const finalSize = (struct: "folio" | "ptdesc" | "slab" | "zpdesc"): number => LAYOUTS.final[struct].size;

export interface MemdescKindInfo {
  readonly kind: MemdescKindName;
  /** The C struct of the descriptor at the final stage (null when inline). */
  readonly struct: string | null;
  /** Default size of one separately allocated descriptor, bytes (0 when inline). */
  readonly descriptorBytes: number;
  /** Where the default size comes from. */
  readonly sizeSource: string;
  /** Whether pages of this kind carry a refcount (Misc memory has none: Memdescs wiki). */
  readonly refcounted: boolean;
  readonly description: string;
}

export const MEMDESC_KINDS: Readonly<Record<MemdescKindName, MemdescKindInfo>> = {
  misc: {
    kind: "misc",
    struct: null,
    descriptorBytes: 0,
    sizeSource: "inline (Memdescs wiki: Misc)",
    refcounted: false,
    description:
      "memory that needs no extra data: reserved, zero page, driver, vmalloc, guard, offline, large kmalloc",
  },
  buddy: {
    kind: "buddy",
    struct: null,
    descriptorBytes: 0,
    sizeSource: "embedded (Wilcox, linux-mm, Jan 2024)",
    refcounted: false,
    description: "a free page of the buddy allocator",
  },
  folio: {
    kind: "folio",
    struct: "struct folio",
    descriptorBytes: finalSize("folio"),
    sizeSource: "struct folio at the final stage (Memdescs/Path 2025 fields; docs/reference/layouts.md)",
    refcounted: true,
    description: "page cache (file) memory",
  },
  anon_folio: {
    kind: "anon_folio",
    struct: "struct anon_folio",
    descriptorBytes: finalSize("folio"),
    sizeSource: "as struct folio at the final stage (Memdescs/Path 2025)",
    refcounted: true,
    description: "anonymous memory",
  },
  ksm: {
    kind: "ksm",
    struct: "struct ksm",
    descriptorBytes: 64,
    sizeSource: "no source; 64 = the struct page it replaces",
    refcounted: true,
    description: "KSM-merged anonymous memory",
  },
  slab: {
    kind: "slab",
    struct: "struct slab",
    descriptorBytes: finalSize("slab"),
    sizeSource: "struct slab at the final stage (derived from mm/slab.h; docs/reference/layouts.md)",
    refcounted: false,
    description: "slab allocator memory",
  },
  movable: {
    kind: "movable",
    struct: "struct movable",
    descriptorBytes: 64,
    sizeSource: "no source; 64 = the struct page it replaces",
    refcounted: true,
    description: "movable_ops memory (balloon, zsmalloc)",
  },
  zpdesc: {
    kind: "zpdesc",
    struct: "struct zpdesc",
    descriptorBytes: finalSize("zpdesc"),
    sizeSource: "struct zpdesc at the final stage (derived from mm/zpdesc.h; docs/reference/layouts.md)",
    refcounted: true,
    description: "zsmalloc memory",
  },
  ptdesc: {
    kind: "ptdesc",
    struct: "struct ptdesc",
    descriptorBytes: 64,
    sizeSource:
      "today's overlay bound, mm_types.h static_assert(sizeof(struct ptdesc) <= sizeof(struct page))",
    refcounted: true,
    description: "page tables",
  },
  netpool: {
    kind: "netpool",
    struct: "struct netpool",
    descriptorBytes: 64,
    sizeSource: "no source; 64 = the struct page it replaces",
    refcounted: true,
    description: "network page_pool memory",
  },
  hwpoison: {
    kind: "hwpoison",
    struct: "struct hwpoison",
    descriptorBytes: 64,
    sizeSource: "no source; 64 = the struct page it replaces",
    refcounted: false,
    description: "hardware-poisoned memory",
  },
  pcpudesc: {
    kind: "pcpudesc",
    struct: "struct pcpudesc",
    descriptorBytes: 64,
    sizeSource: "no source; 64 = the struct page it replaces",
    refcounted: false,
    description: "per-CPU allocator memory",
  },
  vmalloc: {
    kind: "vmalloc",
    struct: null,
    descriptorBytes: 0,
    sizeSource: "inline (wiki page view: VmallocMappable has no pointer)",
    refcounted: false,
    description: "vmalloc memory that may be mapped to user space",
  },
};

export const MEMDESC_KIND_NAMES = Object.keys(MEMDESC_KINDS) as MemdescKindName[];
