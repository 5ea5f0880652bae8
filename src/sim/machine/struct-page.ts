/**
 * The "today" view: a page's 64-byte struct page as eight 64-bit words,
 * rebuilt from the columns (include/linux/mm_types.h, x86-64, CONFIG_MEMCG,
 * no KMSAN), under the model's flags layout (src/model/flags-layout.ts
 * FLAGS_LAYOUT_CONFIG) and the machine's configuration (StructPageConfig:
 * the chosen kernel's page_type encoding and enum pageflags numbering, and
 * HVO on or off for compound_info):
 *
 *   word 0  flags         flag bits | node << 54 | zone << 51 | last_cpupid << 30
 *                         (page-flags-layout.h: NUMA_BALANCING puts LAST_CPUPID in the
 *                         word; page_cpupid_reset_last() leaves it all ones)
 *   word 1  lru.next / buddy_list.next / pcp_list.next / compound_info
 *   word 2  lru.prev / buddy_list.prev / pcp_list.prev
 *   word 3  mapping
 *   word 4  __folio_index
 *   word 5  private
 *   word 6  page_type (low half) | _refcount (high half)
 *   word 7  memcg_data
 *
 * Pointers are rebuilt as the kernel would hold them: &page->lru is
 * vmemmap + 64 pfn + 8, compound_info is set_compound_head()'s word (with
 * CONFIG_HUGETLB_PAGE_OPTIMIZE_VMEMMAP and a 64-byte struct page the mask
 * GENMASK(63, order + 6) | 1, else the head's struct page | 1), the
 * list_del() poisons and TAIL_MAPPING carry POISON_POINTER_DELTA. Owners'
 * mapping ids become direct-map addresses (MAPPING_OWNER_BASE + id, keeping
 * the FOLIO_MAPPING_* bits). Only node 0, ZONE_NORMAL is modelled.
 */
import {
  COMPOUND_INFO_CONFIG,
  type CompoundInfoConfig,
  encodePageType,
  FLAGS_LAYOUT_CONFIG,
  flagsForEra,
  flagsLayout,
  PAGE_FLAG_ERAS,
  PAGE_FLAG_MASK,
  PAGE_TYPES,
  type PageFlagEra,
  type PageTypeEra,
  tailCompoundInfo,
} from "../../model/index.js";
import {
  LINK_DEFERRED_LIST_EMPTY,
  LINK_FOLIO_LARGE_MAPCOUNT_INIT,
  LINK_NULL,
  LIST_HEAD_BASE,
  LIST_POISON1,
  LIST_POISON2,
  MAPPING_DEFERRED_LIST_EMPTY,
  MAPPING_FOLIO_ENTIRE_MAPCOUNT_INIT,
  POISON_POINTER_DELTA,
  STRUCT_PAGE_BYTES,
  TAIL_MAPPING,
  VMEMMAP_START,
} from "./constants.js";
import type { MemMap } from "./memmap.js";
import { compoundInfoHead, folioLargeOrder, isCompoundInfo, ulongWord } from "./memmap.js";

/** ZONE_NORMAL with ZONE_DMA and ZONE_DMA32 configured (x86-64). */
export const ZONE_NORMAL = 2;
/** The upper fields of the flags word under the model's configuration (page-flags-layout.h). */
export const FLAGS_LAYOUT = flagsLayout(FLAGS_LAYOUT_CONFIG);
const fieldOf = (name: string) => FLAGS_LAYOUT.fields.find((f) => f.name === name);
/** ZONES_PGSHIFT / NODES_PGSHIFT (51 / 54: NODES_SHIFT 10, ZONES_SHIFT 3 with ZONE_DEVICE). */
export const ZONES_PGSHIFT = BigInt(fieldOf("zone")!.shift);
export const NODES_PGSHIFT = BigInt(fieldOf("node")!.shift);
/** LAST_CPUPID_PGSHIFT and LAST_CPUPID_MASK when the field is in the flags word, else null. */
export const LAST_CPUPID_FIELD = fieldOf("lastcpupid") ?? null;
/**
 * The upper fields of every page's flags word: node 0, ZONE_NORMAL, and
 * last_cpupid all ones (page_cpupid_reset_last(), which __init_single_page()
 * and __free_pages_prepare() call). LRU generation bits stay 0: no page is on an LRU.
 */
export const FLAGS_NODE_ZONE =
  (BigInt(ZONE_NORMAL) << ZONES_PGSHIFT) |
  (LAST_CPUPID_FIELD
    ? ((1n << BigInt(LAST_CPUPID_FIELD.width)) - 1n) << BigInt(LAST_CPUPID_FIELD.shift)
    : 0n);
/** Where list heads that are not pages are shown to live (kernel data, e.g. &zone->free_area[o]). */
export const LIST_HEAD_ADDRESS_BASE = 0xffff_ffff_8a00_0000n;
/** Owners' mapping ids, shown as pointers into the direct map. */
export const MAPPING_OWNER_BASE = 0xffff_8890_0000_0000n;

const U64 = (1n << 64n) - 1n;

/** The address of pfn's struct page in the vmemmap. */
export function pageAddress(pfn: number): bigint {
  return VMEMMAP_START + BigInt(pfn) * BigInt(STRUCT_PAGE_BYTES);
}

/** The pointer a link value stands for, as found in word 1 or word 2 of page `pfn`. */
export function linkWord(v: number, pfn: number): bigint {
  if (v >= 0) return pageAddress(v) + 8n;
  if (isCompoundInfo(v)) return pageAddress(compoundInfoHead(v)) | 1n;
  switch (v) {
    case LINK_NULL:
      return 0n;
    case LIST_POISON1:
      return POISON_POINTER_DELTA + 0x100n;
    case LIST_POISON2:
      return POISON_POINTER_DELTA + 0x122n;
    case LINK_FOLIO_LARGE_MAPCOUNT_INIT:
      // _large_mapcount = -1 in the low half, _nr_pages_mapped = 0 in the high half.
      return 0xffff_ffffn;
    case LINK_DEFERRED_LIST_EMPTY:
      return pageAddress(pfn) + 16n;
  }
  return LIST_HEAD_ADDRESS_BASE + BigInt(LIST_HEAD_BASE - v) * 16n;
}

/**
 * A tail page's compound_info as set_compound_head(tail, head, order) wrote it
 * (include/linux/page-flags.h @03e0599d): the order is the head's folio order
 * (page[1]'s low flag byte).
 */
function compoundInfoWord(memmap: MemMap, v: number, config: CompoundInfoConfig): bigint {
  const head = compoundInfoHead(v);
  const order = folioLargeOrder(memmap, head);
  return tailCompoundInfo(pageAddress(head), order, config);
}

/**
 * The pointer a mapping value stands for. A value above 2^32 is a pointer
 * kernel code stored (page->mapping = inode->i_mapping) and is shown as it
 * is; below, the machine's own values (owner ids, TAIL_MAPPING, the folio
 * fields prep_compound_head() writes) are rebuilt as the kernel holds them.
 */
export function mappingWord(v: number, hi: number, pfn: number): bigint {
  if (hi !== 0) return (BigInt(hi) << 32n) | BigInt(v);
  if (v === 0) return 0n;
  if (v === TAIL_MAPPING) return POISON_POINTER_DELTA + BigInt(TAIL_MAPPING);
  if (v === MAPPING_FOLIO_ENTIRE_MAPCOUNT_INIT) return 0xffff_ffffn;
  if (v === MAPPING_DEFERRED_LIST_EMPTY) return pageAddress(pfn) + 16n;
  return MAPPING_OWNER_BASE + BigInt(v);
}

/**
 * A newest-kernel (top-byte) page_type word in another era's encoding, when
 * that era has the type; otherwise the word unchanged.
 */
export function pageTypeForEra(word: number, era: PageTypeEra): number {
  if (era.encoding.style === "top-byte") return word >>> 0;
  const top = word >>> 24;
  if (word >>> 0 === 0xffff_ffff || top < 0xf0) return word >>> 0;
  const t = PAGE_TYPES.find((x) => x.pgty === top);
  if (!t || era.encoding.bits[t.name] === undefined) return word >>> 0;
  return encodePageType(t.name, era);
}

/**
 * The configuration the words are built under; MachineConfig carries it
 * (options.ts). A bare PageTypeEra means the newest tree's flags and the
 * model's COMPOUND_INFO_CONFIG (HVO on).
 */
export interface StructPageConfig {
  readonly pageTypeEra: PageTypeEra;
  readonly pageFlagEra: PageFlagEra;
  readonly compoundInfo: CompoundInfoConfig;
}

const NEWEST_FLAG_ERA = PAGE_FLAG_ERAS.at(-1)!;
const PG_HEAD = PAGE_FLAG_MASK.PG_head;

export function structPageConfig(c: PageTypeEra | StructPageConfig): StructPageConfig {
  return "pageTypeEra" in c
    ? c
    : { pageTypeEra: c, pageFlagEra: NEWEST_FLAG_ERA, compoundInfo: COMPOUND_INFO_CONFIG };
}

/**
 * The eight words of struct page for `pfn`. `secondOfCompound` marks page[1]
 * of a compound page, whose ->index slot holds _mm_id_mapcount[0..1] = -1
 * after prep_compound_head() (CONFIG_MM_ID) and whose memcg_data slot holds
 * _nr_pages (NR_PAGES_IN_LARGE_FOLIO, with CONFIG_MEMCG): 1 << order while
 * the order byte is set, 0 once __free_pages_prepare() cleared both.
 */
export function structPageWords(
  memmap: MemMap,
  pfn: number,
  view: PageTypeEra | StructPageConfig,
  secondOfCompound: boolean,
): bigint[] {
  const config = structPageConfig(view);
  const pageType = BigInt(pageTypeForEra(memmap.pageType[pfn]! >>> 0, config.pageTypeEra));
  const refcount = BigInt(memmap.refcount[pfn]! >>> 0);
  const next = memmap.next[pfn]!;
  // The flag bits in the chosen kernel's numbering (flagsForEra, by name). page[1]'s low
  // byte is the folio order, not flags, and is kept as it is.
  const second =
    secondOfCompound ||
    (pfn > 0 &&
      (memmap.flags[pfn - 1]! & PG_HEAD) !== 0 &&
      isCompoundInfo(next) &&
      compoundInfoHead(next) === pfn - 1);
  const flags =
    config.pageFlagEra === NEWEST_FLAG_ERA
      ? memmap.flags[pfn]!
      : flagsForEra(memmap.flags[pfn]!, config.pageFlagEra, undefined, second);
  return [
    FLAGS_NODE_ZONE | BigInt(flags >>> 0),
    isCompoundInfo(next) ? compoundInfoWord(memmap, next, config.compoundInfo) : linkWord(next, pfn),
    linkWord(memmap.prev[pfn]!, pfn),
    mappingWord(memmap.mappingHalves[2 * pfn]!, memmap.mappingHalves[2 * pfn + 1]!, pfn),
    secondOfCompound ? U64 : 0n,
    ulongWord(memmap.privateHalves, pfn),
    pageType | (refcount << 32n),
    secondOfCompound && (memmap.flags[pfn]! & 0xff) !== 0 ? 1n << BigInt(memmap.flags[pfn]! & 0xff) : 0n,
  ];
}
