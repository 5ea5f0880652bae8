/**
 * page-types' default summary (tools/mm/page-types.c, torvalds/linux
 * @02e1960aafac): every word goes through `well_known_flags()` and is counted
 * per distinct value; `show_summary()` prints one row per value in the order
 * of its 8192-slot hash table, then a total row. memdesc reproduces the counts
 * and the row order, so `page-types -F FILE` output can be diffed against ours.
 */
import {
  hex64,
  pageTypesLongNames,
  pageTypesSymbolic,
  pageTypesUnknownBits,
  pageTypesWellKnown,
} from "../model/index.js";

export interface PageTypesRow {
  /** The well-known flags value, as page-types prints it (`0x%016llx`). */
  readonly flags: string;
  readonly pages: number;
  /** `pages2mb()`: (pages * page_size) >> 20. */
  readonly mb: number;
  readonly symbolic: string;
  readonly names: string;
  /** Set bits page-types has no name for (it would stop with "unknown flag bit"). */
  readonly unknownBits: number[];
}

/** page-types' HASH_SHIFT 13. */
const HASH_SIZE = 1 << 13;
const HASH_MASK = BigInt(HASH_SIZE - 1);

/**
 * The slot order of page-types' `hash_slot()`: flags 0 owns slot 0; any other
 * value probes linearly from `flags & HASH_MASK`, skipping slot 0, and takes
 * the first free slot. Values are inserted in the order page-types first meets
 * them (ascending PFN). Returns the values in slot order, or null when the
 * table would overflow (page-types dies "hash table full").
 */
export function pageTypesSlotOrder(valuesInFirstSeenOrder: readonly bigint[]): bigint[] | null {
  const slots: (bigint | undefined)[] = new Array(HASH_SIZE);
  for (const v of valuesInFirstSeenOrder) {
    if (v === 0n) {
      slots[0] = 0n;
      continue;
    }
    let k = Number(v & HASH_MASK);
    let placed = false;
    for (let i = 1; i < HASH_SIZE; i++, k++) {
      if (!k || k >= HASH_SIZE) k = 1;
      const s = slots[k];
      if (s === undefined) {
        slots[k] = v;
        placed = true;
        break;
      }
      if (s === v) {
        placed = true;
        break;
      }
    }
    if (!placed) return null;
  }
  return slots.filter((s): s is bigint => s !== undefined);
}

export function pageTypesMb(pages: number, pageSize: number): number {
  return Math.floor((pages * pageSize) / 2 ** 20);
}

export function pageTypesRow(flags: bigint, pages: number, pageSize: number): PageTypesRow {
  return {
    flags: hex64(flags),
    pages,
    mb: pageTypesMb(pages, pageSize),
    symbolic: pageTypesSymbolic(flags),
    names: pageTypesLongNames(flags),
    unknownBits: pageTypesUnknownBits(flags),
  };
}

/**
 * Build the summary from per-raw-word counts given in first-seen order: apply
 * `well_known_flags()`, merge, order as page-types does.
 */
export function pageTypesSummary(
  rawCounts: ReadonlyArray<readonly [word: bigint, pages: number]>,
  pageSize: number,
): PageTypesRow[] {
  const merged = new Map<bigint, number>();
  for (const [word, pages] of rawCounts) {
    const wk = pageTypesWellKnown(word);
    merged.set(wk, (merged.get(wk) ?? 0) + pages);
  }
  const order = pageTypesSlotOrder([...merged.keys()]) ?? [...merged.keys()].sort((a, b) => (a < b ? -1 : 1));
  return order.map((flags) => pageTypesRow(flags, merged.get(flags) ?? 0, pageSize));
}

/** `show_summary()` verbatim: header, rows, total. */
export function formatPageTypesSummary(rows: readonly PageTypesRow[], pageSize: number): string {
  const pad = (n: number, w: number) => String(n).padStart(w);
  const lines = ["             flags\tpage-count       MB  symbolic-flags\t\t\tlong-symbolic-flags"];
  let total = 0;
  for (const r of rows) {
    total += r.pages;
    lines.push(`${r.flags}\t${pad(r.pages, 10)} ${pad(r.mb, 8)}  ${r.symbolic}\t${r.names}`);
  }
  lines.push(`             total\t${pad(total, 10)} ${pad(pageTypesMb(total, pageSize), 8)}`);
  return `${lines.join("\n")}\n`;
}
