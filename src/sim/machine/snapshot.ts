/**
 * Page snapshots: what a report carries about a page, copied at the moment
 * of the report (like snapshot_page() in mm/util.c, which dump_page() uses
 * so a page changing under the dump cannot produce nonsense).
 */
import { decodeMemdesc, hex64, type PageFlagEra, type PageTypeEra } from "../../model/index.js";
import {
  PGTY_MAPCOUNT_UNDERFLOW_WORD,
  S_ALLOC,
  S_HEAD,
  S_LEAKED,
  S_ORPHAN,
  S_PCP,
  S_WHERE,
} from "./constants.js";
import { compound_head_pfn, readULong } from "./memmap.js";
import { type StructPageConfig, structPageConfig, structPageWords } from "./struct-page.js";
import type { Zone } from "./zone.js";

/** Where a page is, as the machine knows it. */
export type PageStateName = "buddy" | "pcp" | "allocated" | "orphan" | "leaked";

export interface PageSnapshot {
  readonly pfn: number;
  /** The PG_* bits of the flags word (node/zone bits not included). */
  readonly flags: number;
  readonly refcount: number;
  /** The raw page_type/_mapcount word (top-byte PGTY encoding). */
  readonly pageType: number;
  /** _mapcount + 1 as dump_page() prints it: 0 when the word holds a page type. */
  readonly mapcount: number;
  readonly private: number | bigint;
  /** The mapping column value (constants.ts: MAPPING_NULL, TAIL_MAPPING, owner ids). */
  readonly mapping: number | bigint;
  readonly state: PageStateName;
  /** Whether this page is the first page of its block (free block, pcp block, allocation). */
  readonly blockHead: boolean;
  /** The block's order when this page is a block head: buddy order, pcp order or allocation order. */
  readonly order: number | null;
  /** compound_head(page): the head pfn for a tail page, else the page itself. */
  readonly compoundHead: number;
  readonly memdesc: bigint;
  /** The memdesc word decoded under the machine's table, in one line. */
  readonly memdescText: string;
  /** The eight words of today's struct page, in the chosen kernel's encodings. */
  readonly words: readonly bigint[];
  /** The page flags era word 0's bits follow (absent: the newest); dump_page() names them by it. */
  readonly flagEra?: PageFlagEra;
}

/** The folio a page belongs to when it is part of a compound page ("large folio"). */
export interface FolioSnapshot {
  readonly order: number;
  readonly head: PageSnapshot;
  readonly second: PageSnapshot;
}

export function pageStateName(state: number): PageStateName {
  switch (state & S_WHERE) {
    case S_ALLOC:
      return state & S_ORPHAN ? "orphan" : "allocated";
    case S_PCP:
      return "pcp";
    case S_LEAKED:
      return "leaked";
    default:
      return "buddy";
  }
}

/** A memdesc word in one line: `PageTable → struct ptdesc at 0xffff…`, `Misc unknown order 2`, `Buddy order 3`. */
export function describeMemdesc(word: bigint, zone: Zone): string {
  try {
    const d = decodeMemdesc(word, zone.encoder.table);
    switch (d.payload) {
      case "pointer":
        return `${d.entry.name} → ${d.entry.struct ?? "descriptor"} at ${hex64(d.address)}`;
      case "misc":
        return `${d.entry.name} ${d.subtypeName ?? `subtype ${d.subtype}`} order ${d.order}${d.userMappable ? " user-mappable" : ""}`;
      case "buddy":
        return `${d.entry.name} order ${d.order}`;
      case "none":
        return `${d.entry.name}`;
    }
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * snapshot_page(): the page as a report carries it. `view` is the machine's
 * configuration (MachineConfig is a StructPageConfig); a bare PageTypeEra
 * builds the words with the newest tree's flags and HVO on.
 */
export function snapshotPage(
  zone: Zone,
  view: PageTypeEra | StructPageConfig,
  pfn: number,
  secondOfCompound = false,
): PageSnapshot {
  const config = structPageConfig(view);
  const memmap = zone.memmap;
  const state = memmap.state[pfn]!;
  const word = memmap.pageType[pfn]! >>> 0;
  const signed = word | 0;
  const mapcount = signed < (PGTY_MAPCOUNT_UNDERFLOW_WORD | 0) ? 0 : signed + 1;
  const head = (state & S_HEAD) !== 0;
  let order: number | null = null;
  if (head) {
    const where = state & S_WHERE;
    order = where === 0 ? memmap.privateHalves[2 * pfn]! : memmap.order[pfn]!;
  }
  const memdesc = (BigInt(memmap.md[2 * pfn + 1]!) << 32n) | BigInt(memmap.md[2 * pfn]!);
  return {
    pfn,
    flags: memmap.flags[pfn]!,
    refcount: memmap.refcount[pfn]!,
    pageType: word,
    mapcount,
    private: readULong(memmap.privateHalves, pfn),
    mapping: readULong(memmap.mappingHalves, pfn),
    state: pageStateName(state),
    blockHead: head,
    order,
    compoundHead: compound_head_pfn(memmap, pfn),
    memdesc,
    memdescText: describeMemdesc(memdesc, zone),
    words: structPageWords(memmap, pfn, config, secondOfCompound),
    flagEra: config.pageFlagEra,
  };
}
