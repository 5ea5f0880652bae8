/**
 * The census proper: one pass over kpageflags words that classifies every
 * page frame, reconstructs allocations (compound heads and their tails) and
 * free blocks (runs of KPF_BUDDY pages), and counts raw words for the
 * page-types summary. Words arrive in chunks (a live read, a gzip stream) as
 * Uint32Array pairs — index 2i holds bits 0–31 of PFN i, 2i+1 bits 32–63 — so
 * the hot loop never touches a BigInt. Runs of identical words, which
 * dominate real memory maps, are handled once per run.
 */
import { inputError, KPF, type KpfSemantics } from "../model/index.js";
import { CENSUS_MAX_ORDER, splitFreeRun } from "./free-blocks.js";
import {
  CENSUS_KIND_INFO,
  CENSUS_KINDS,
  type CensusKind,
  classifyHalves,
  compileRule,
  ruleMatches,
} from "./kinds.js";
import { type PageTypesRow, pageTypesSummary } from "./page-types.js";

export interface CensusKindCount {
  readonly pages: number;
  readonly allocations: number;
  /** The kind's sub-counts (CENSUS_KIND_INFO[kind].subCounts), e.g. pagetable.kernelPages. */
  readonly sub: Readonly<Record<string, number>>;
  /** With kpagecount: pages whose mapcount is not 0, and the sum of their mapcounts. */
  readonly mappedPages: number | null;
  readonly mappings: number | null;
}

/** A coarse map of the PFN space for pictures: the pages of each kind per cell. */
export interface CensusMap {
  readonly pfnsPerCell: number;
  readonly cells: number;
  /** cells × CENSUS_KINDS.length page counts, cell-major. */
  readonly pages: Float64Array;
}

export interface CensusResult {
  readonly pfns: number;
  readonly pageSize: number;
  readonly semantics: KpfSemantics["name"];
  /** Compound tails take their head's kind (eras whose tail words lack folio state). */
  readonly tailsTakeHeadKind: boolean;
  readonly kinds: Readonly<Record<CensusKind, CensusKindCount>>;
  /** Free blocks per order 0–10. */
  readonly freeBlocks: number[];
  /** Compound tails with no head before them (started an allocation of their own). */
  readonly orphanTails: number;
  /** page-types' default summary of the same words. */
  readonly summary: PageTypesRow[];
  /** Distinct raw words, first seen first, with their page counts. */
  readonly rawWords: number;
  readonly map: CensusMap;
}

/**
 * The most distinct raw kpageflags words a census keeps (decision 0503). A
 * real machine has a few thousand; page-types' own table holds 8192 and stops
 * with "hash table full" (tools/mm/page-types.c hash_slot()). Past this bound
 * the input is not a kpageflags file, and the census stops with an input
 * error instead of growing a Map until V8 gives up.
 */
export const MAX_DISTINCT_WORDS = 1 << 20;

export interface CensusOptions {
  readonly semantics: KpfSemantics;
  readonly pageSize: number;
  /** Cells of the PFN map before they are merged pairwise (default 65536). */
  readonly maxMapCells?: number;
}

const NK = CENSUS_KINDS.length;
const HEAD_LO = 1 << KPF.KPF_COMPOUND_HEAD;
const TAIL_LO = 1 << KPF.KPF_COMPOUND_TAIL;
const ACCOUNTING = CENSUS_KINDS.map((k) => CENSUS_KIND_INFO[k].accounting);
const SUBS = CENSUS_KINDS.map((k) =>
  CENSUS_KIND_INFO[k].subCounts.map((s) => ({ name: s.name, rule: compileRule(s.rule) })),
);
/** Pages per map cell to start with: one pageblock of 4 KiB pages (2 MiB). */
const FIRST_CELL_PFNS = 512;
const TWO32 = 2 ** 32;

interface WordEntry {
  readonly word: bigint;
  /** Index into CENSUS_KINDS of the word's own kind. */
  readonly kind: number;
  pages: number;
}

export class CensusBuilder {
  readonly #pageSize: number;
  readonly #semantics: KpfSemantics;
  readonly #tailsTakeHeadKind: boolean;
  readonly #maxCells: number;

  #pfn = 0;
  readonly #pages = new Float64Array(NK);
  readonly #allocs = new Float64Array(NK);
  readonly #sub: Float64Array[] = SUBS.map((s) => new Float64Array(s.length));
  readonly #mapped = new Float64Array(NK);
  readonly #mappings = new Float64Array(NK);
  #haveCounts: boolean | null = null;
  readonly #free = new Float64Array(CENSUS_MAX_ORDER + 1);
  #orphanTails = 0;

  /** Start PFN of the current run of free pages, or -1. */
  #freeStart = -1;
  /** Whether the page before the current one belongs to an allocation a tail may join. */
  #open = false;
  #headLo = 0;
  #headHi = 0;
  #headKind = 0;

  /** Distinct raw words: key hi·2^32+lo when exact (hi < 2^21), else a BigInt. */
  readonly #words = new Map<number, WordEntry>();
  readonly #wideWords = new Map<bigint, WordEntry>();
  /** Every entry, first seen first (page-types' row order depends on it). */
  readonly #order: WordEntry[] = [];

  #cellPfns = FIRST_CELL_PFNS;
  #cellPages = new Float64Array(1024 * NK);

  constructor(options: CensusOptions) {
    this.#pageSize = options.pageSize;
    this.#semantics = options.semantics;
    // When a tail's word lacks the folio's flags or page type, its own word
    // cannot name its kind: it takes the kind of the head it follows.
    this.#tailsTakeHeadKind = !(options.semantics.tailHasFolioFlags && options.semantics.tailHasPageTypes);
    this.#maxCells = options.maxMapCells ?? 65536;
  }

  get pfns(): number {
    return this.#pfn;
  }

  /**
   * Consume the next PFNs. `words` holds two 32-bit halves per PFN (low
   * first); `counts`, if given, holds the same PFNs of /proc/kpagecount the
   * same way.
   */
  push(words: Uint32Array, counts?: Uint32Array): void {
    const n = words.length >>> 1;
    if (counts !== undefined && counts.length !== words.length) {
      throw new RangeError("kpagecount chunk does not match kpageflags chunk");
    }
    const withCounts = counts !== undefined;
    if (this.#haveCounts === null) this.#haveCounts = withCounts;
    else if (this.#haveCounts !== withCounts) throw new RangeError("kpagecount given for only some chunks");
    let i = 0;
    while (i < n) {
      const lo = words[2 * i]!;
      const hi = words[2 * i + 1]!;
      let j = i + 1;
      while (j < n && words[2 * j] === lo && words[2 * j + 1] === hi) j++;
      this.#run(lo | 0, hi | 0, j - i, withCounts ? counts.subarray(2 * i, 2 * j) : undefined);
      i = j;
    }
  }

  /** The entry of a raw word, classified the first time it is seen. */
  #entry(lo: number, hi: number): WordEntry {
    const h = hi >>> 0;
    if (this.#order.length >= MAX_DISTINCT_WORDS) return this.#bounded(lo, hi);
    if (h < 0x20_0000) {
      const key = h * TWO32 + (lo >>> 0);
      let e = this.#words.get(key);
      if (e === undefined) {
        e = { word: BigInt(key), kind: classifyHalves(lo, hi), pages: 0 };
        this.#words.set(key, e);
        this.#order.push(e);
      }
      return e;
    }
    const key = (BigInt(h) << 32n) | BigInt(lo >>> 0);
    let e = this.#wideWords.get(key);
    if (e === undefined) {
      e = { word: key, kind: classifyHalves(lo, hi), pages: 0 };
      this.#wideWords.set(key, e);
      this.#order.push(e);
    }
    return e;
  }

  /** At the bound: a word already seen is counted; a new one ends the census. */
  #bounded(lo: number, hi: number): WordEntry {
    const h = hi >>> 0;
    const e =
      h < 0x20_0000
        ? this.#words.get(h * TWO32 + (lo >>> 0))
        : this.#wideWords.get((BigInt(h) << 32n) | BigInt(lo >>> 0));
    if (e !== undefined) return e;
    return inputError(
      `more than ${MAX_DISTINCT_WORDS} distinct flag words (a real machine has a few thousand; page-types stops at 8192): not kpageflags data`,
    );
  }

  /** A run of `len` PFNs starting at this.#pfn, all with the word (lo, hi). */
  #run(lo: number, hi: number, len: number, counts: Uint32Array | undefined): void {
    const start = this.#pfn;
    const entry = this.#entry(lo, hi);
    entry.pages += len;

    let kind = entry.kind;
    let effLo = lo;
    let effHi = hi;
    const tail = (lo & TAIL_LO) !== 0;

    if (tail && this.#open) {
      // Joins the allocation its head started.
      if (this.#tailsTakeHeadKind) {
        kind = this.#headKind;
        effLo = this.#headLo;
        effHi = this.#headHi;
      }
    } else if (ACCOUNTING[kind] === "allocation") {
      if (tail) {
        // A tail with no head before it: count it as the start of an allocation.
        this.#orphanTails++;
        this.#allocs[kind]! += 1;
        this.#open = true;
        this.#headKind = kind;
        this.#headLo = lo;
        this.#headHi = hi;
      } else {
        this.#allocs[kind]! += len;
        this.#open = (lo & HEAD_LO) !== 0;
        this.#headKind = kind;
        this.#headLo = lo;
        this.#headHi = hi;
      }
    } else {
      this.#open = false;
    }

    this.#pages[kind]! += len;
    const subs = SUBS[kind]!;
    for (let s = 0; s < subs.length; s++) {
      if (ruleMatches(subs[s]!.rule, effLo, effHi)) this.#sub[kind]![s]! += len;
    }

    if (ACCOUNTING[kind] === "free") {
      if (this.#freeStart < 0) this.#freeStart = start;
    } else if (this.#freeStart >= 0) {
      splitFreeRun(this.#freeStart, start, this.#free);
      this.#freeStart = -1;
    }

    if (counts !== undefined) {
      let mapped = 0;
      let sum = 0;
      for (let i = 0; i < len; i++) {
        // kpagecount is a u64; mapcounts beyond 2^32 do not occur, the high half is kept exact anyway.
        const c = counts[2 * i]! + counts[2 * i + 1]! * TWO32;
        if (c !== 0) {
          mapped++;
          sum += c;
        }
      }
      this.#mapped[kind]! += mapped;
      this.#mappings[kind]! += sum;
    }

    this.#mapAdd(start, len, kind);
    this.#pfn = start + len;
  }

  #mapAdd(start: number, len: number, kind: number): void {
    let pfn = start;
    const end = start + len;
    while (pfn < end) {
      let cell = Math.floor(pfn / this.#cellPfns);
      while (cell >= this.#maxCells) {
        this.#coarsen();
        cell = Math.floor(pfn / this.#cellPfns);
      }
      if ((cell + 1) * NK > this.#cellPages.length) {
        const grown = new Float64Array(Math.max(this.#cellPages.length * 2, (cell + 1) * NK));
        grown.set(this.#cellPages);
        this.#cellPages = grown;
      }
      const cellEnd = Math.min(end, (cell + 1) * this.#cellPfns);
      this.#cellPages[cell * NK + kind]! += cellEnd - pfn;
      pfn = cellEnd;
    }
  }

  /** Merge map cells pairwise: twice the PFNs per cell, half the cells. */
  #coarsen(): void {
    const cells = this.#cellPages.length / NK;
    const half = Math.ceil(cells / 2);
    const out = new Float64Array(Math.max(half, 1) * NK);
    for (let c = 0; c < cells; c++) {
      for (let k = 0; k < NK; k++) out[(c >> 1) * NK + k]! += this.#cellPages[c * NK + k]!;
    }
    this.#cellPages = out;
    this.#cellPfns *= 2;
  }

  finish(): CensusResult {
    if (this.#freeStart >= 0) {
      splitFreeRun(this.#freeStart, this.#pfn, this.#free);
      this.#freeStart = -1;
    }
    const kinds = {} as Record<CensusKind, CensusKindCount>;
    CENSUS_KINDS.forEach((k, i) => {
      const sub: Record<string, number> = {};
      SUBS[i]!.forEach((s, j) => {
        sub[s.name] = this.#sub[i]![j]!;
      });
      kinds[k] = {
        pages: this.#pages[i]!,
        allocations: this.#allocs[i]!,
        sub,
        mappedPages: this.#haveCounts ? this.#mapped[i]! : null,
        mappings: this.#haveCounts ? this.#mappings[i]! : null,
      };
    });
    const raw: [bigint, number][] = this.#order.map((e) => [e.word, e.pages]);
    const cells = Math.ceil(this.#pfn / this.#cellPfns);
    return {
      pfns: this.#pfn,
      pageSize: this.#pageSize,
      semantics: this.#semantics.name,
      tailsTakeHeadKind: this.#tailsTakeHeadKind,
      kinds,
      freeBlocks: [...this.#free],
      orphanTails: this.#orphanTails,
      summary: pageTypesSummary(raw, this.#pageSize),
      rawWords: raw.length,
      map: { pfnsPerCell: this.#cellPfns, cells, pages: this.#cellPages.slice(0, cells * NK) },
    };
  }
}

/** Split 64-bit words into the Uint32Array pairs CensusBuilder.push takes. */
export function wordsToHalves(words: readonly bigint[] | BigUint64Array): Uint32Array {
  const out = new Uint32Array(words.length * 2);
  for (let i = 0; i < words.length; i++) {
    const w = BigInt.asUintN(64, words[i]!);
    out[2 * i] = Number(w & 0xffff_ffffn);
    out[2 * i + 1] = Number(w >> 32n);
  }
  return out;
}

/** The census of a whole array of words at once. */
export function censusOfWords(
  words: readonly bigint[] | BigUint64Array | Uint32Array,
  options: CensusOptions,
  counts?: readonly bigint[] | BigUint64Array,
): CensusResult {
  const b = new CensusBuilder(options);
  const halves = words instanceof Uint32Array ? words : wordsToHalves(words);
  b.push(halves, counts === undefined ? undefined : wordsToHalves(counts));
  return b.finish();
}
