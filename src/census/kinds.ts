/**
 * Census kinds: what one /proc/kpageflags word says a page frame is, by the
 * first rule that matches (docs/census.md, docs/decisions/0100). The rules,
 * the memdesc kind each census kind maps to and how its pages are accounted
 * are data; the classifier compiles them to 32-bit masks and never branches
 * on a kind's name.
 */
import { KPF, type KpfName, type MemdescKindName } from "../model/index.js";

export const CENSUS_KINDS = [
  "nopage",
  "flagless",
  "buddy",
  "slab",
  "pagetable",
  "hugetlb",
  "offline",
  "zero",
  "ksm",
  "anon",
  "file",
  "reserved",
  "other",
] as const;
export type CensusKind = (typeof CENSUS_KINDS)[number];

/**
 * How a kind's pages count:
 * - `allocation`: in use; a compound head starts an allocation its tails
 *   join, any other page is an order-0 allocation;
 * - `free`: free memory of the buddy allocator, split into free blocks;
 * - `none`: neither (no memmap, or nothing kpageflags can say).
 */
export type CensusAccounting = "allocation" | "free" | "none";

/** A rule on the raw 64-bit word. Every listed condition must hold. */
export interface CensusRule {
  /** The word is 0. */
  readonly zero?: true;
  /** All of these bits are set. */
  readonly all?: readonly KpfName[];
  /** At least one of these bits is set. */
  readonly any?: readonly KpfName[];
  /** None of these bits is set. */
  readonly none?: readonly KpfName[];
}

/** A per-kind sub-count: the pages of the kind whose word also matches `rule`. */
export interface CensusSubCount {
  readonly name: string;
  readonly rule: CensusRule;
  readonly why: string;
}

export interface CensusKindInfo {
  readonly kind: CensusKind;
  readonly rule: CensusRule;
  /** The rule as a kernel developer would say it. */
  readonly ruleText: string;
  /** The memdesc kind these pages become (src/model/kinds.ts); null: no descriptor can be named. */
  readonly memdesc: MemdescKindName | null;
  readonly accounting: CensusAccounting;
  /** Whether such a PFN has a struct page today (KPF_NOPAGE: it has none, so it costs no memmap). */
  readonly hasMemmap: boolean;
  /**
   * Whether /proc/kpagecount means something for these pages: user-mappable
   * folios. For others _mapcount is a page type or stale (a zeroed, never
   * initialised memmap reads as mapped once), so their mapcounts are not shown.
   */
  readonly mappable: boolean;
  readonly subCounts: readonly CensusSubCount[];
  readonly description: string;
}

const FILE_BITS: readonly KpfName[] = [
  "KPF_LRU",
  "KPF_MMAP",
  "KPF_UPTODATE",
  "KPF_DIRTY",
  "KPF_WRITEBACK",
  "KPF_UNEVICTABLE",
  "KPF_MLOCKED",
  "KPF_SWAPBACKED",
];

/** The rules in the order they are tried: the first that matches names the kind. */
export const CENSUS_KIND_INFO: Readonly<Record<CensusKind, CensusKindInfo>> = {
  nopage: {
    kind: "nopage",
    rule: { all: ["KPF_NOPAGE"] },
    ruleText: "KPF_NOPAGE",
    memdesc: null,
    accounting: "none",
    hasMemmap: false,
    mappable: false,
    subCounts: [],
    description: "no memmap at this PFN (a hole, as older kernels report it)",
  },
  flagless: {
    kind: "flagless",
    rule: { zero: true },
    ruleText: "the word is 0",
    memdesc: null,
    accounting: "none",
    hasMemmap: true,
    mappable: false,
    subCounts: [],
    description:
      "no flags: a PFN without online memmap (new kernels), a free page on a per-CPU list, " +
      "an uninitialised memmap, or a kernel allocation that carries no flags — kpageflags cannot tell which",
  },
  buddy: {
    kind: "buddy",
    rule: { all: ["KPF_BUDDY"] },
    ruleText: "KPF_BUDDY",
    memdesc: "buddy",
    accounting: "free",
    hasMemmap: true,
    mappable: false,
    subCounts: [],
    description: "free memory in the buddy allocator (every page of a free block has KPF_BUDDY)",
  },
  slab: {
    kind: "slab",
    rule: { all: ["KPF_SLAB"] },
    ruleText: "KPF_SLAB",
    memdesc: "slab",
    accounting: "allocation",
    hasMemmap: true,
    mappable: false,
    subCounts: [],
    description: "slab allocator pages",
  },
  pagetable: {
    kind: "pagetable",
    rule: { all: ["KPF_PGTABLE"] },
    ruleText: "KPF_PGTABLE",
    memdesc: "ptdesc",
    accounting: "allocation",
    hasMemmap: true,
    mappable: false,
    subCounts: [
      {
        name: "kernelPages",
        rule: { all: ["KPF_REFERENCED"] },
        why: "PT_kernel is PG_referenced, and stable_page_flags() copies PG_referenced to KPF_REFERENCED",
      },
    ],
    description: "page tables (PageTable / PGTY_table)",
  },
  hugetlb: {
    kind: "hugetlb",
    rule: { all: ["KPF_HUGE"] },
    ruleText: "KPF_HUGE",
    memdesc: "folio",
    accounting: "allocation",
    hasMemmap: true,
    mappable: true,
    subCounts: [],
    description: "hugetlbfs folios",
  },
  offline: {
    kind: "offline",
    rule: { all: ["KPF_OFFLINE"] },
    ruleText: "KPF_OFFLINE",
    memdesc: "misc",
    accounting: "allocation",
    hasMemmap: true,
    mappable: false,
    subCounts: [],
    description: "logically offline pages (balloon, virtio-mem, memory hot(un)plug)",
  },
  zero: {
    kind: "zero",
    rule: { all: ["KPF_ZERO_PAGE"] },
    ruleText: "KPF_ZERO_PAGE",
    memdesc: "misc",
    accounting: "allocation",
    hasMemmap: true,
    mappable: true,
    subCounts: [],
    description: "the shared zero page and the huge zero folio",
  },
  ksm: {
    kind: "ksm",
    rule: { all: ["KPF_KSM"] },
    ruleText: "KPF_KSM",
    memdesc: "ksm",
    accounting: "allocation",
    hasMemmap: true,
    mappable: true,
    subCounts: [],
    description: "KSM-merged pages",
  },
  anon: {
    kind: "anon",
    rule: { all: ["KPF_ANON"] },
    ruleText: "KPF_ANON",
    memdesc: "anon_folio",
    accounting: "allocation",
    hasMemmap: true,
    mappable: true,
    subCounts: [],
    description: "anonymous memory (including anonymous THPs and swap cache)",
  },
  file: {
    kind: "file",
    rule: { any: FILE_BITS, none: ["KPF_ANON"] },
    ruleText:
      "not KPF_ANON, and any of LRU, MMAP, UPTODATE, DIRTY, WRITEBACK, UNEVICTABLE, MLOCKED, SWAPBACKED",
    memdesc: "folio",
    accounting: "allocation",
    hasMemmap: true,
    mappable: true,
    subCounts: [],
    description: "page cache (file and shmem folios)",
  },
  reserved: {
    kind: "reserved",
    rule: { all: ["KPF_RESERVED"] },
    ruleText: "KPF_RESERVED (bit 32)",
    memdesc: "misc",
    accounting: "allocation",
    hasMemmap: true,
    mappable: false,
    subCounts: [],
    description: "PG_reserved: memblock reservations, the kernel image, firmware, vDSO",
  },
  other: {
    kind: "other",
    rule: {},
    ruleText: "anything else",
    memdesc: null,
    accounting: "allocation",
    hasMemmap: true,
    mappable: false,
    subCounts: [],
    description:
      "allocated memory kpageflags does not name: large kmalloc, vmalloc, zsmalloc, page_pool, driver and " +
      "non-compound high-order pages (their page types are not exported)",
  },
};

/** A rule compiled to masks on the low and high 32-bit halves of the word. */
export interface CompiledRule {
  readonly zero: boolean;
  readonly allLo: number;
  readonly allHi: number;
  readonly anyLo: number;
  readonly anyHi: number;
  readonly noneLo: number;
  readonly noneHi: number;
}

function masks(names: readonly KpfName[] | undefined): [number, number] {
  let lo = 0;
  let hi = 0;
  for (const n of names ?? []) {
    const bit = KPF[n];
    if (bit < 32) lo |= 1 << bit;
    else hi |= 1 << (bit - 32);
  }
  return [lo, hi];
}

export function compileRule(rule: CensusRule): CompiledRule {
  const [allLo, allHi] = masks(rule.all);
  const [anyLo, anyHi] = masks(rule.any);
  const [noneLo, noneHi] = masks(rule.none);
  return { zero: rule.zero === true, allLo, allHi, anyLo, anyHi, noneLo, noneHi };
}

/** Whether the word (lo = bits 0–31, hi = bits 32–63) matches. */
export function ruleMatches(r: CompiledRule, lo: number, hi: number): boolean {
  if (r.zero && (lo | hi) !== 0) return false;
  if ((lo & r.allLo) !== r.allLo || (hi & r.allHi) !== r.allHi) return false;
  if ((r.anyLo | r.anyHi) !== 0 && ((lo & r.anyLo) | (hi & r.anyHi)) === 0) return false;
  return ((lo & r.noneLo) | (hi & r.noneHi)) === 0;
}

const COMPILED = CENSUS_KINDS.map((k) => compileRule(CENSUS_KIND_INFO[k].rule));

/** The index into CENSUS_KINDS of the first rule that matches the word. */
export function classifyHalves(lo: number, hi: number): number {
  for (let i = 0; i < COMPILED.length; i++) {
    if (ruleMatches(COMPILED[i]!, lo, hi)) return i;
  }
  return CENSUS_KINDS.length - 1;
}

/** The census kind of one raw kpageflags word. */
export function classifyWord(word: bigint): CensusKind {
  const lo = Number(word & 0xffff_ffffn);
  const hi = Number((word >> 32n) & 0xffff_ffffn);
  return CENSUS_KINDS[classifyHalves(lo | 0, hi | 0)]!;
}
