/**
 * `/proc/kpageflags`: one u64 per page frame, built by `stable_page_flags()`
 * in fs/proc/page.c. This module is the KPF table — every bit with its kernel
 * name and the letter and long name `tools/mm/page-types` prints — plus how
 * each kernel era fills the word (`KPF_SEMANTICS`), which the census and
 * `memdesc decode` read instead of hard-coding bits.
 *
 * Sources (verified against the text, not from memory):
 * - include/uapi/linux/kernel-page-flags.h: bits 0–26 (KPF_PGTABLE = 26 since 4.18).
 * - include/linux/kernel-page-flags.h: the "kernel hacking" bits 32–42
 *   (KPF_ARCH_3 = 42 added). KPF_UNCACHED = 39 is still defined there (it sits
 *   next to KPF_ARCH_2/KPF_ARCH_3 in the patch that added KPF_ARCH_3); only
 *   stable_page_flags() stopped setting it when PG_uncached was removed.
 * - tools/mm/page-types.c (torvalds/linux @02e1960aafac): `page_flag_names[]`
 *   (letters, long names, the overloaded pseudo-bits 47–63), `KPF_HACKERS_BITS`
 *   (0xffff << 32), `well_known_flags()` and `show_summary()`.
 * - fs/proc/page.c `stable_page_flags()` (linux-mm/linux-mm @2c7ab3506b64, 7.3-rc)
 *   and mm/util.c `set_ps_flags()` / `snapshot_page()` (linux-mm/linux-mm
 *   @0a1e70b48f45) for the newest semantics; older eras are cited below.
 */
import { compareKernel, formatKernel, type KernelVersion } from "./kernel.js";

/** Where a bit is defined. */
export type KpfScope =
  /** include/uapi/linux/kernel-page-flags.h: ABI. */
  | "uapi"
  /** include/linux/kernel-page-flags.h: kernel-internal, exported for kernel hackers. */
  | "kernel"
  /** Only page-types: an overloaded flag expanded with -r, or a pagemap bit. Never in /proc/kpageflags. */
  | "page-types";

export interface KpfBitInfo {
  readonly bit: number;
  /** The kernel's name (`KPF_LOCKED`). */
  readonly name: string;
  /** page-types' one-letter form, or null where page-types has no entry for the bit. */
  readonly letter: string | null;
  /** page-types' long name (`locked`), or the lower-case kernel name where page-types has none. */
  readonly longName: string;
  readonly scope: KpfScope;
  readonly note: string;
}

const b = <const Name extends string>(
  bit: number,
  name: Name,
  letter: string | null,
  longName: string,
  scope: KpfScope,
  note = "",
) => ({ bit, name, letter, longName, scope, note });

/**
 * Every KPF bit, lowest first. The letters and long names are page-types'
 * `page_flag_names[]` verbatim (note the duplicated letters: page-types uses
 * `H` for both compound_head and arch_2, `d` for owner_2 and anon_exclusive).
 */
export const KPF_BITS = [
  b(0, "KPF_LOCKED", "L", "locked", "uapi"),
  b(1, "KPF_ERROR", "E", "error", "uapi", "still defined; no kernel flag sets it since PG_error was removed"),
  b(2, "KPF_REFERENCED", "R", "referenced", "uapi", "on a page table this is PT_kernel (= PG_referenced)"),
  b(3, "KPF_UPTODATE", "U", "uptodate", "uapi"),
  b(4, "KPF_DIRTY", "D", "dirty", "uapi"),
  b(5, "KPF_LRU", "l", "lru", "uapi"),
  b(6, "KPF_ACTIVE", "A", "active", "uapi"),
  b(7, "KPF_SLAB", "S", "slab", "uapi"),
  b(8, "KPF_WRITEBACK", "W", "writeback", "uapi"),
  b(9, "KPF_RECLAIM", "I", "reclaim", "uapi"),
  b(
    10,
    "KPF_BUDDY",
    "B",
    "buddy",
    "uapi",
    "every page of a free block (is_free_buddy_page), see KPF_SEMANTICS",
  ),
  b(11, "KPF_MMAP", "M", "mmap", "uapi"),
  b(12, "KPF_ANON", "a", "anonymous", "uapi"),
  b(13, "KPF_SWAPCACHE", "s", "swapcache", "uapi"),
  b(14, "KPF_SWAPBACKED", "b", "swapbacked", "uapi"),
  b(15, "KPF_COMPOUND_HEAD", "H", "compound_head", "uapi"),
  b(16, "KPF_COMPOUND_TAIL", "T", "compound_tail", "uapi"),
  b(17, "KPF_HUGE", "G", "huge", "uapi", "hugetlb"),
  b(18, "KPF_UNEVICTABLE", "u", "unevictable", "uapi"),
  b(19, "KPF_HWPOISON", "X", "hwpoison", "uapi"),
  b(20, "KPF_NOPAGE", "n", "nopage", "uapi", "stable_page_flags(NULL); see KPF_HOLES"),
  b(21, "KPF_KSM", "x", "ksm", "uapi"),
  b(
    22,
    "KPF_THP",
    "t",
    "thp",
    "uapi",
    "a large folio with PG_lru or anon to 6.10; any large rmappable folio from 6.11",
  ),
  b(23, "KPF_OFFLINE", "o", "offline", "uapi", "was KPF_BALLOON"),
  b(24, "KPF_ZERO_PAGE", "z", "zero_page", "uapi"),
  b(25, "KPF_IDLE", "i", "idle_page", "uapi"),
  b(26, "KPF_PGTABLE", "g", "pgtable", "uapi", "added in 4.18"),
  b(32, "KPF_RESERVED", "r", "reserved", "kernel"),
  b(33, "KPF_MLOCKED", "m", "mlocked", "kernel"),
  b(34, "KPF_OWNER_2", "d", "owner_2", "kernel", "was KPF_MAPPEDTODISK"),
  b(35, "KPF_PRIVATE", "P", "private", "kernel"),
  b(36, "KPF_PRIVATE_2", "p", "private_2", "kernel"),
  b(37, "KPF_OWNER_PRIVATE", "O", "owner_private", "kernel"),
  b(38, "KPF_ARCH", "h", "arch", "kernel"),
  b(
    39,
    "KPF_UNCACHED",
    "c",
    "uncached",
    "kernel",
    "still defined in include/linux/kernel-page-flags.h; stable_page_flags() stopped setting it when PG_uncached was removed",
  ),
  b(
    40,
    "KPF_SOFTDIRTY",
    "f",
    "softdirty",
    "kernel",
    "filled in by page-types from pagemap, not by the kernel",
  ),
  b(41, "KPF_ARCH_2", "H", "arch_2", "kernel"),
  b(
    42,
    "KPF_ARCH_3",
    null,
    "arch_3",
    "kernel",
    "page-types has no name for it (fatal 'unknown flag bit' in -r)",
  ),
  b(47, "KPF_ANON_EXCLUSIVE", "d", "anon_exclusive", "page-types", "-r: OWNER_2 on an anon page"),
  b(48, "KPF_READAHEAD", "I", "readahead", "page-types", "-r: RECLAIM without WRITEBACK"),
  b(50, "KPF_SLUB_FROZEN", "A", "slub_frozen", "page-types", "-r: ACTIVE on a slab page"),
  b(51, "KPF_SLUB_DEBUG", "E", "slub_debug", "page-types", "-r: ERROR on a slab page"),
  b(61, "KPF_FILE", "F", "file", "page-types", "pagemap PM_FILE"),
  b(62, "KPF_SWAP", "w", "swap", "page-types", "pagemap PM_SWAP"),
  b(63, "KPF_MMAP_EXCLUSIVE", "1", "mmap_exclusive", "page-types", "pagemap PM_MMAP_EXCLUSIVE"),
] as const satisfies readonly KpfBitInfo[];

export type KpfName = (typeof KPF_BITS)[number]["name"];

/** Bit number by kernel name: `KPF.KPF_BUDDY === 10`. */
export const KPF = Object.fromEntries(KPF_BITS.map((e) => [e.name, e.bit])) as {
  readonly [Name in KpfName]: number;
};

const BY_BIT: ReadonlyMap<number, KpfBitInfo> = new Map(KPF_BITS.map((e) => [e.bit, e]));

/** The table entry of a bit, if the kernel or page-types names it. */
export function kpfBit(bit: number): KpfBitInfo | undefined {
  return BY_BIT.get(bit);
}

/** `1n << bit` for a named bit. */
export function kpfMask(...names: readonly KpfName[]): bigint {
  let m = 0n;
  for (const n of names) m |= 1n << BigInt(KPF[n]);
  return m;
}

/** page-types: `KPF_HACKERS_BITS (0xffffULL << 32)`, hidden in the default (non -r) summary. */
export const PAGE_TYPES_HACKERS_BITS = 0xffffn << 32n;

/**
 * page-types' `well_known_flags()`: what its default summary counts. Hides the
 * kernel-hacker bits 32–47 and the compound head/tail bits unless the page is
 * hugetlb (KPF_HUGE).
 */
export function pageTypesWellKnown(word: bigint): bigint {
  let w = word & ~PAGE_TYPES_HACKERS_BITS;
  const compound = kpfMask("KPF_COMPOUND_HEAD", "KPF_COMPOUND_TAIL");
  if (w & compound && !(w & kpfMask("KPF_HUGE"))) w &= ~compound;
  return w;
}

/** The bits page-types walks in `page_flag_name()`: 0 … ARRAY_SIZE(page_flag_names) - 1 = 63. */
const PAGE_TYPES_NAMED = KPF_BITS.filter((e) => e.letter !== null);

/**
 * page-types' `page_flag_name()`: one character per bit it names, in bit
 * order — the letter when set, `_` when clear (44 characters).
 */
export function pageTypesSymbolic(word: bigint): string {
  let s = "";
  for (const e of PAGE_TYPES_NAMED) s += (word >> BigInt(e.bit)) & 1n ? e.letter : "_";
  return s;
}

/** page-types' `page_flag_longname()`: the long names of the set bits, comma-separated. */
export function pageTypesLongNames(word: bigint): string {
  return PAGE_TYPES_NAMED.filter((e) => (word >> BigInt(e.bit)) & 1n)
    .map((e) => e.longName)
    .join(",");
}

/**
 * Set bits page-types has no name for. page-types itself stops with
 * "unknown flag bit N" on such a word; memdesc reports them instead.
 */
export function pageTypesUnknownBits(word: bigint): number[] {
  const out: number[] = [];
  for (let bit = 0; bit < 64; bit++) {
    if ((word >> BigInt(bit)) & 1n && kpfBit(bit)?.letter == null) out.push(bit);
  }
  return out;
}

/**
 * How one kernel era fills a kpageflags word, as far as the census depends on
 * it. Keyed by the first release of the era; see KPF_SEMANTICS.
 */
export interface KpfSemantics {
  readonly name: "per-page" | "folio-flags" | "folio-snapshot";
  readonly from: KernelVersion;
  readonly title: string;
  readonly source: string;
  /**
   * KPF_BUDDY on every page of a free block, not only on the first. The
   * kernel's PageBuddy() is set on the first page only, but
   * stable_page_flags() adds `page_count(page) == 0 && is_free_buddy_page(page)`
   * (directly in 6.6–6.16; in set_ps_flags() of snapshot_page() since), so
   * every page of a free block reads KPF_BUDDY in every supported kernel. A
   * free page on a per-CPU list is not PageBuddy and reads 0.
   */
  readonly buddyOnEveryPage: boolean;
  /** A compound tail's word carries the folio's flags word (`k = folio->flags`), not the tail page's own. */
  readonly tailHasFolioFlags: boolean;
  /** A compound tail's word carries the folio's page type (KPF_PGTABLE, KPF_OFFLINE) — tested on the folio, not the page. */
  readonly tailHasPageTypes: boolean;
}

export const KPF_SEMANTICS: readonly KpfSemantics[] = [
  {
    name: "per-page",
    from: { major: 6, minor: 6 },
    title: "6.6–6.9: k = page->flags; page types and most flags per page",
    source:
      "fs/proc/page.c before Wilcox's 'proc: rewrite stable_page_flags()' (posted March 2024, merged for 6.10): " +
      "k = page->flags, PageTable(page), PageOffline(page); KPF_SLAB/KPF_HUGE/KPF_ANON/KPF_THP via the head",
    buddyOnEveryPage: true,
    tailHasFolioFlags: false,
    tailHasPageTypes: false,
  },
  {
    name: "folio-flags",
    from: { major: 6, minor: 10 },
    title: "6.10–6.16: k = folio->flags on every page; PageTable/PageOffline still per page",
    source:
      "fs/proc/page.c after 'proc: rewrite stable_page_flags()' (6.10): folio = page_folio(page); k = folio->flags; " +
      "folio_test_slab(folio); but PageTable(page) and PageOffline(page)",
    buddyOnEveryPage: true,
    tailHasFolioFlags: true,
    tailHasPageTypes: false,
  },
  {
    name: "folio-snapshot",
    from: { major: 6, minor: 17 },
    title: "6.17–7.3: everything from a snapshot of the folio (snapshot_page)",
    source:
      "fs/proc/page.c (linux-mm/linux-mm @2c7ab3506b64): snapshot_page(); folio_test_pgtable(folio), " +
      "folio_test_offline(folio), PAGE_SNAPSHOT_PG_BUDDY from set_ps_flags() in mm/util.c (@0a1e70b48f45)",
    buddyOnEveryPage: true,
    tailHasFolioFlags: true,
    tailHasPageTypes: true,
  },
];

/** What makes stable_page_flags() set KPF_THP in one era (fs/proc/page.c). */
export interface KpfThpRule {
  readonly from: KernelVersion;
  readonly rule: "lru-or-anon" | "large-rmappable";
  readonly text: string;
  readonly source: string;
}

/** The KPF_THP rule by kernel version, oldest first. */
export const KPF_THP_RULES: readonly KpfThpRule[] = [
  {
    from: { major: 6, minor: 6 },
    rule: "lru-or-anon",
    text: "a large folio with PG_lru set or anon (or the huge zero folio, which also sets KPF_ZERO_PAGE)",
    source:
      "fs/proc/page.c (v6.6): PageTransCompound(page) && (PageLRU(head) || PageAnon(head)); (v6.10): folio_test_large(folio) && ((k & (1 << PG_lru)) || is_anon)",
  },
  {
    from: { major: 6, minor: 11 },
    rule: "large-rmappable",
    text: "any large rmappable folio, not only PMD-sized (or the huge zero folio, which also sets KPF_ZERO_PAGE)",
    source:
      "fs/proc/page.c after Ran Xiaokai's 'kpageflags: detect isolated KPF_THP folios' (thread of message 20240705104343.112680-1-ranxiaokai627@163.com, acked by David Hildenbrand): folio_test_large(folio) && folio_test_large_rmappable(folio)",
  },
];

/** The KPF_THP rule of kernel `v`. */
export function kpfThpRule(v: KernelVersion): KpfThpRule {
  let found: KpfThpRule | undefined;
  for (const r of KPF_THP_RULES) if (compareKernel(v, r.from) >= 0) found = r;
  if (!found) throw new RangeError(`no KPF_THP rule for kernel ${formatKernel(v)}`);
  return found;
}

/** A KPF bit's note as kernel `v` has it: the era's rule where the bit has one (KPF_THP), else the table's note. */
export function kpfBitNote(bit: number, v: KernelVersion): string {
  const info = kpfBit(bit);
  if (info?.name === "KPF_THP") return `set for ${kpfThpRule(v).text}`;
  return info?.note ?? "";
}

/** The semantics of the era that contains `v` (v must be a supported version: use parseKernel). */
export function kpfSemanticsFor(v: KernelVersion): KpfSemantics {
  let found: KpfSemantics | undefined;
  for (const s of KPF_SEMANTICS) if (compareKernel(v, s.from) >= 0) found = s;
  if (!found) throw new RangeError(`no kpageflags semantics for kernel ${formatKernel(v)}`);
  return found;
}

/**
 * PFNs without an online memmap. `stable_page_flags(NULL)` returns
 * KPF_NOPAGE, and older kernels called it for such PFNs; since the 2025
 * kpage_read() refactoring (Liu Ye, "fs/proc/page: Refactoring to reduce code
 * duplication") kpage_read() writes 0 for them without calling it, so on new
 * kernels a hole reads like a page with no flags. The census keeps both
 * buckets and never merges them.
 */
export const KPF_HOLES =
  "KPF_NOPAGE on older kernels; 0 since the kpage_read() refactoring (fs/proc/page.c @2c7ab3506b64)";
