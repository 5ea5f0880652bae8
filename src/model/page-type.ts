/**
 * `page_type`: the 32-bit word that shares storage with `_mapcount` in
 * `struct page` (include/linux/mm_types.h), and how each kernel era encodes a
 * page type in it (include/linux/page-flags.h).
 *
 * Eras, oldest first (each verified against the page-flags.h text named):
 * - 6.6–6.10, "low inverted masks": PAGE_TYPE_BASE 0xf0000000,
 *   PAGE_MAPCOUNT_RESERVE -128; a type is present when its bit is CLEAR and the
 *   base bits are set: PageType(page, flag) = (page_type & (BASE | flag)) == BASE.
 *   PG_hugetlb (0x800) from 6.9 (d99e3140a4d3 "mm: turn folio_test_hugetlb
 *   into a PageType"), backported to the stable releases 6.6.30 (2431b5f2650d)
 *   and 6.8.9 (9fdcc5b6359d) as the fix for CVE-2024-35993, so those series
 *   split into two eras at the stable release; PG_slab (0x1000) from 6.10
 *   (46df8e73a4a3 "mm: free up PG_slab"); before that slab was the page flag
 *   PG_slab. 6.10 also turned the defines into an enum (Stephen Brennan, "mm:
 *   convert page type macros to enum").
 * - 6.11, "high inverted masks": David Hildenbrand's "mm: allow reuse of the
 *   lower 16 bit of the page type with an actual type" moved the bits to the top
 *   (BASE 0x80000000, PG_buddy 0x40000000 …) and reserved 0xffff0000–0xfffffffe
 *   for mapcount underflow, so owners of typed folios may use the low 16 bits.
 *   PG_zsmalloc 0x01000000 ("mm/zsmalloc: use a proper page type") came in the
 *   same cycle; PG_unaccepted did not: Kirill Shutemov's "mm: Introduce
 *   PageUnaccepted() page type" was posted on 9 Aug 2024, after 6.11-rc1
 *   (message 20240809114854.3745464-5-kirill.shutemov@linux.intel.com), and
 *   first appears as PGTY_unaccepted in 6.12.
 * - 6.12 onwards, "top byte": 4ffca5a96678 "mm: support only one page_type per
 *   page": the type is the top byte, `enum pagetype` PGTY_buddy 0xf0 …; the low
 *   24 bits are free for the owner. PGTY_large_kmalloc 0xf8 from 6.15.
 *   PGTY_netpp 0xf9 (db359fccf212, merged for 7.1) is UNSETTLED: a revert was
 *   posted in May 2026 and the stored trees disagree; the era says so and the
 *   decoder repeats it rather than pick.
 *
 * In every era "no type" is page_type == UINT_MAX (_mapcount == -1).
 */
import { formatKernel, type KernelVersion, kernelInRange } from "./kernel.js";
import { hex32 } from "./word.js";

/** `page_type` of a page with no type: UINT_MAX, i.e. `_mapcount == -1`. */
export const PAGE_TYPE_NONE = 0xffff_ffff;

/** One PAGE_TYPE_OPS(uname, lname, fname) or FOLIO_TYPE_OPS(lname, fname) line. */
const ops = <
  const Name extends string,
  const Uname extends string | null,
  const Fname extends string,
  const Pgty extends number,
  const FolioType extends boolean,
  const Kpf extends string | null,
>(
  name: Name,
  uname: Uname,
  fname: Fname,
  pgty: Pgty,
  folioType: FolioType,
  kpf: Kpf,
) => ({ name, uname, fname, pgty, folioType, kpf });

/**
 * The page types of the newest page-flags.h (linux-mm/linux-mm @03e0599d), in
 * `enum pagetype` order: lname, uname (null for FOLIO_TYPE_OPS, which has no
 * PageX/__SetPageX), fname, the PGTY_* value (top byte), whether it is a
 * folio type (mm_types.h: "Owners of typed folios may reuse the lower 16 bit
 * of the head page page_type field"), and the KPF bit fs/proc/page.c exports
 * it as. Every other page-type table (PGTY, the eras' top-byte values, the
 * accessors of src/sim/kernel/page-type.ts, docs/reference/page-type.md)
 * derives from these lines.
 */
export const PAGE_TYPE_TABLE = [
  ops("buddy", "Buddy", "buddy", 0xf0, false, "KPF_BUDDY"),
  ops("offline", "Offline", "offline", 0xf1, false, "KPF_OFFLINE"),
  ops("table", "Table", "pgtable", 0xf2, false, "KPF_PGTABLE"),
  ops("guard", "Guard", "guard", 0xf3, false, null),
  ops("hugetlb", null, "hugetlb", 0xf4, true, "KPF_HUGE"),
  ops("slab", "Slab", "slab", 0xf5, false, "KPF_SLAB"),
  ops("zsmalloc", "Zsmalloc", "zsmalloc", 0xf6, false, null),
  ops("unaccepted", "Unaccepted", "unaccepted", 0xf7, false, null),
  ops("large_kmalloc", "LargeKmalloc", "large_kmalloc", 0xf8, false, null),
  ops("netpp", "Netpp", "netpp", 0xf9, false, null),
] as const;

type PageTypeRow = (typeof PAGE_TYPE_TABLE)[number];

/** The page types as the kernel's accessors name them (`lname`: buddy, table, …). */
export type PageTypeName = PageTypeRow["name"];

/** The table's line for page type `Name`. */
export type PageTypeOf<Name extends PageTypeName> = Extract<PageTypeRow, { readonly name: Name }>;

/** A page type whose line is FOLIO_TYPE_OPS or has folioType set (owner bits: 16, not 24). */
export type FolioPageTypeName = Extract<PageTypeRow, { readonly folioType: true }>["name"];

/** The PGTY_mapcount_underflow value: a top byte of 0xff is a (negative) mapcount, never a type. */
export const PGTY_MAPCOUNT_UNDERFLOW = 0xff;

/** `enum pagetype` of the newest tree: PGTY_<lname> → the value of the top byte. */
export const PGTY = {
  ...(Object.fromEntries(PAGE_TYPE_TABLE.map((t) => [`PGTY_${t.name}`, t.pgty])) as {
    readonly [Name in PageTypeName as `PGTY_${Name}`]: PageTypeOf<Name>["pgty"];
  }),
  PGTY_mapcount_underflow: PGTY_MAPCOUNT_UNDERFLOW,
} as const;

export interface PageTypeInfo {
  /** `lname` in PAGE_TYPE_OPS(uname, lname, fname). */
  readonly name: PageTypeName;
  /** `uname`: the suffix of PageX / __SetPageX / __ClearPageX; null for folio-only types. */
  readonly uname: string | null;
  /** `fname`: the suffix of folio_test_X / __folio_set_X. */
  readonly fname: string;
  /** The `enum pagetype` value (top byte) in the newest kernel. */
  readonly pgty: number;
  /**
   * A folio type (the type sits on the head page of a typed folio). mm_types.h:
   * owners of typed folios may reuse only the lower 16 bits of the head page's
   * page_type, and must reset them to -1 before clearing the type.
   */
  readonly folioType: boolean;
  /** Exported through /proc/kpageflags as this KPF bit name, if at all (fs/proc/page.c). */
  readonly kpf: string | null;
}

/** PAGE_TYPE_OPS / FOLIO_TYPE_OPS instances in the newest page-flags.h, in enum order. */
export const PAGE_TYPES: readonly PageTypeInfo[] = PAGE_TYPE_TABLE;

/** The names, in enum order. */
export const PAGE_TYPE_NAMES: readonly PageTypeName[] = PAGE_TYPE_TABLE.map((t) => t.name);

export function pageTypeInfo<Name extends PageTypeName>(name: Name): PageTypeOf<Name> {
  const t = PAGE_TYPE_TABLE.find((p) => p.name === name);
  if (!t) throw new Error(`unknown page type ${name}`);
  return t as PageTypeOf<Name>;
}

/** The newest tree's top-byte values of the named types (an era lists which of them it has). */
const topBytes = (...names: readonly PageTypeName[]): Readonly<Partial<Record<PageTypeName, number>>> =>
  Object.fromEntries(names.map((n) => [n, pageTypeInfo(n).pgty]));

/** How one kernel era stores page types in the page_type word. */
export type PageTypeEncoding =
  | {
      readonly style: "inverted-mask";
      /** PAGE_TYPE_BASE */
      readonly base: number;
      /** PAGE_MAPCOUNT_RESERVE as a signed 32-bit value: page_has_type() is (int)page_type < reserve. */
      readonly mapcountReserve: number;
      /** The bit that is cleared to mark each type. */
      readonly bits: Readonly<Partial<Record<PageTypeName, number>>>;
      /** Low bits an owner may use while a type is set (16 in 6.11; none before). */
      readonly ownerBits: number;
    }
  | {
      readonly style: "top-byte";
      /** Top-byte values of the era's `enum pagetype`. */
      readonly values: Readonly<Partial<Record<PageTypeName, number>>>;
      readonly ownerBits: 24;
    };

export interface PageTypeEra {
  readonly id: string;
  readonly from: KernelVersion;
  /** Inclusive; without a patch, every stable release of that series. */
  readonly to: KernelVersion;
  readonly encoding: PageTypeEncoding;
  /** The kernel source the era's values were read from. */
  readonly source: string;
  /** Whether slab is a page type in this era (else it is the page flag PG_slab). */
  readonly slabIsPageType: boolean;
  /**
   * Types whose presence in this era the sources cannot settle, with why.
   * They are decoded (the value means nothing else) and the decoder says so.
   */
  readonly unsettled?: Readonly<Partial<Record<PageTypeName, string>>>;
  /**
   * Types this era declares with FOLIO_TYPE_OPS only (no PageX/__SetPageX),
   * where the newest tree's line is PAGE_TYPE_OPS.
   */
  readonly folioOpsOnly?: readonly PageTypeName[];
}

const LOW_BASE = 0xf000_0000;
/** page-flags.h v6.6: #define PG_buddy 0x00000080 … PG_guard 0x00000400. */
const lowBits = { buddy: 0x80, offline: 0x100, table: 0x200, guard: 0x400 } as const;
/** PG_hugetlb 0x00000800: d99e3140a4d3 upstream (6.9), 2431b5f2650d in 6.6.30, 9fdcc5b6359d in 6.8.9. */
const withHugetlb = { ...lowBits, hugetlb: 0x800 } as const;
const lowMask = (bits: Readonly<Partial<Record<PageTypeName, number>>>): PageTypeEncoding => ({
  style: "inverted-mask",
  base: LOW_BASE,
  mapcountReserve: -128,
  bits,
  ownerBits: 0,
});
const LOW_SOURCE =
  "include/linux/page-flags.h (v6.6): #define PAGE_TYPE_BASE 0xf0000000, PG_buddy 0x00000080 …";
const HUGETLB_BACKPORT =
  "d99e3140a4d3 'mm: turn folio_test_hugetlb into a PageType' (CVE-2024-35993), backported to stable";
const NETPP_UNSETTLED =
  "db359fccf212 'mm: introduce a new page type for page pool in page type' was merged for 7.1 (linux-mm/linux-mm page-flags.h @03e0599d has PGTY_netpp 0xf9); the revert 54cf41c969da was posted on 15 May 2026 (message 20260515034701.17027-1-byungchul@sk.com) and queued as a 7.1-rc hotfix; which releases ship PGTY_netpp cannot be settled from the sources";

/** The page_type encodings by kernel version, oldest first. */
export const PAGE_TYPE_ERAS: readonly PageTypeEra[] = [
  {
    id: "6.6.0-6.6.29",
    from: { major: 6, minor: 6 },
    to: { major: 6, minor: 6, patch: 29 },
    encoding: lowMask(lowBits),
    source: LOW_SOURCE,
    slabIsPageType: false,
  },
  {
    id: "6.6.30-6.6.y",
    from: { major: 6, minor: 6, patch: 30 },
    to: { major: 6, minor: 6 },
    encoding: lowMask(withHugetlb),
    source: `${HUGETLB_BACKPORT} as 2431b5f2650d in 6.6.30 ([PATCH 6.6.y], message 20240429133142.2985003-1-willy@infradead.org): PG_hugetlb 0x00000800`,
    slabIsPageType: false,
  },
  {
    id: "6.7-6.8.8",
    from: { major: 6, minor: 7 },
    to: { major: 6, minor: 8, patch: 8 },
    encoding: lowMask(lowBits),
    source: `${LOW_SOURCE} (6.7 reached its end of life without the hugetlb backport)`,
    slabIsPageType: false,
  },
  {
    id: "6.8.9-6.8.y",
    from: { major: 6, minor: 8, patch: 9 },
    to: { major: 6, minor: 8 },
    encoding: lowMask(withHugetlb),
    source: `${HUGETLB_BACKPORT} as 9fdcc5b6359d in 6.8.9 ([PATCH 6.8.y], message 20240429125519.2970760-1-willy@infradead.org): PG_hugetlb 0x00000800`,
    slabIsPageType: false,
  },
  {
    id: "6.9",
    from: { major: 6, minor: 9 },
    to: { major: 6, minor: 9 },
    encoding: lowMask(withHugetlb),
    source:
      "page-flags.h after d99e3140a4d3 'mm: turn folio_test_hugetlb into a PageType': PG_hugetlb 0x00000800",
    slabIsPageType: false,
  },
  {
    id: "6.10",
    from: { major: 6, minor: 10 },
    to: { major: 6, minor: 10 },
    encoding: lowMask({ ...withHugetlb, slab: 0x1000 }),
    source:
      "page-flags.h after 46df8e73a4a3 'mm: free up PG_slab' and 'mm: convert page type macros to enum'",
    slabIsPageType: true,
  },
  {
    id: "6.11",
    from: { major: 6, minor: 11 },
    to: { major: 6, minor: 11 },
    encoding: {
      style: "inverted-mask",
      base: 0x8000_0000,
      mapcountReserve: ~0x0000_ffff,
      bits: {
        buddy: 0x4000_0000,
        offline: 0x2000_0000,
        table: 0x1000_0000,
        guard: 0x0800_0000,
        hugetlb: 0x0400_0000,
        slab: 0x0200_0000,
        zsmalloc: 0x0100_0000,
      },
      ownerBits: 16,
    },
    source:
      "page-flags.h after 'mm: allow reuse of the lower 16 bit of the page type with an actual type' (PAGE_TYPE_BASE 0x80000000, PAGE_MAPCOUNT_RESERVE ~0x0000ffff) and 'mm/zsmalloc: use a proper page type' (PG_zsmalloc 0x01000000). PG_unaccepted is not in 6.11: 'mm: Introduce PageUnaccepted() page type' was posted on 9 Aug 2024, after 6.11-rc1 (message 20240809114854.3745464-5-kirill.shutemov@linux.intel.com)",
    slabIsPageType: true,
  },
  {
    id: "6.12-6.14",
    from: { major: 6, minor: 12 },
    to: { major: 6, minor: 14 },
    encoding: {
      style: "top-byte",
      values: topBytes("buddy", "offline", "table", "guard", "hugetlb", "slab", "zsmalloc", "unaccepted"),
      ownerBits: 24,
    },
    source:
      "page-flags.h after 4ffca5a96678 'mm: support only one page_type per page': enum pagetype PGTY_buddy 0xf0 … PGTY_unaccepted 0xf7 (PageUnaccepted, message 20240809114854.3745464-5-kirill.shutemov@linux.intel.com, first released in 6.12)",
    slabIsPageType: true,
  },
  {
    id: "6.15-7.0",
    from: { major: 6, minor: 15 },
    to: { major: 7, minor: 0 },
    encoding: {
      style: "top-byte",
      values: topBytes(
        "buddy",
        "offline",
        "table",
        "guard",
        "hugetlb",
        "slab",
        "zsmalloc",
        "unaccepted",
        "large_kmalloc",
      ),
      ownerBits: 24,
    },
    source:
      "include/linux/page-flags.h (v6.15): PGTY_large_kmalloc 0xf8, declared FOLIO_TYPE_OPS(large_kmalloc, large_kmalloc) with no PageLargeKmalloc (Wilcox, message Z8W_1l7lCFqMiwXV@casper.infradead.org, 3 Mar 2025). The newest tree declares PAGE_TYPE_OPS(LargeKmalloc, large_kmalloc, large_kmalloc); the model takes 7.1 (the netpp era) as the first with it, the release in between that changed it is not settled",
    slabIsPageType: true,
    folioOpsOnly: ["large_kmalloc"],
  },
  {
    id: "7.1-7.3",
    from: { major: 7, minor: 1 },
    to: { major: 7, minor: 3 },
    encoding: { style: "top-byte", values: topBytes(...PAGE_TYPE_NAMES), ownerBits: 24 },
    source:
      "linux-mm/linux-mm include/linux/page-flags.h @03e0599d: PGTY_large_kmalloc 0xf8, PGTY_netpp 0xf9",
    slabIsPageType: true,
    unsettled: { netpp: NETPP_UNSETTLED },
  },
];

/** The accessor that tests `type` in `era`: PageX() where the era has PAGE_TYPE_OPS, else folio_test_x(). */
export function pageTypeTester(type: PageTypeName, era: PageTypeEra): string {
  const { uname, fname } = pageTypeInfo(type);
  return uname && !era.folioOpsOnly?.includes(type) ? `Page${uname}()` : `folio_test_${fname}()`;
}

export function pageTypeEra(v: KernelVersion): PageTypeEra {
  const era = PAGE_TYPE_ERAS.find((e) => kernelInRange(v, e.from, e.to));
  if (!era) throw new Error(`no page_type era covers kernel ${formatKernel(v)}`);
  return era;
}

/** What a 32-bit page_type/_mapcount word means under one era's encoding. */
export type PageTypeDecoded =
  | { readonly kind: "untyped" }
  | { readonly kind: "mapcount"; readonly mapcount: number }
  | {
      readonly kind: "typed";
      readonly type: PageTypeName;
      readonly ownerBits: number;
      readonly ownerValue: number;
      /** Set when the era cannot settle whether this type exists (the why, with sources). */
      readonly unsettled?: string;
    }
  | { readonly kind: "mapcount-overflow"; readonly topByte: number }
  | { readonly kind: "unknown-type"; readonly detail: string };

/**
 * Decode a page_type word. `_mapcount` is the same word read as a signed
 * integer, starting at -1; a top byte below 0x80 is a (positive) mapcount,
 * never a type.
 */
export function decodePageType(word: number, era: PageTypeEra): PageTypeDecoded {
  const w = word >>> 0;
  if (w === PAGE_TYPE_NONE) return { kind: "untyped" };
  const signed = w | 0;
  const enc = era.encoding;
  if (enc.style === "top-byte") {
    const top = w >>> 24;
    if (top < 0x80) return { kind: "mapcount", mapcount: signed + 1 };
    // page_type_has_type(): page_type < (PGTY_mapcount_underflow << 24) as an int.
    if (top === PGTY_MAPCOUNT_UNDERFLOW) return { kind: "mapcount", mapcount: signed + 1 };
    const found = (Object.entries(enc.values) as [PageTypeName, number][]).find(([, v]) => v === top);
    if (found) {
      const unsettled = era.unsettled?.[found[0]];
      return {
        kind: "typed",
        type: found[0],
        ownerBits: enc.ownerBits,
        ownerValue: w & 0xff_ffff,
        ...(unsettled ? { unsettled } : {}),
      };
    }
    if (top < 0xf0) return { kind: "mapcount-overflow", topByte: top };
    return {
      kind: "unknown-type",
      detail: `top byte 0x${top.toString(16)} is no PGTY_* value of kernel ${era.id}`,
    };
  }
  // Inverted masks: page_has_type() is (int)page_type < PAGE_MAPCOUNT_RESERVE.
  if (!(signed < enc.mapcountReserve)) return { kind: "mapcount", mapcount: signed + 1 };
  const ownerMask = enc.ownerBits === 0 ? 0 : (1 << enc.ownerBits) - 1;
  const present = (Object.entries(enc.bits) as [PageTypeName, number][]).filter(
    ([, bit]) => (w & (enc.base | bit)) >>> 0 === enc.base >>> 0,
  );
  if (present.length === 1) {
    const [type] = present[0]!;
    return { kind: "typed", type, ownerBits: enc.ownerBits, ownerValue: w & ownerMask };
  }
  if (present.length === 0) {
    return {
      kind: "unknown-type",
      detail: `${hex32(w)} has no PG_* type bit cleared under kernel ${era.id}`,
    };
  }
  return {
    kind: "unknown-type",
    detail: `${hex32(w)} has several type bits cleared (${present.map(([n]) => n).join(", ")}) under kernel ${era.id}`,
  };
}

/** The page_type word that marks `type` in `era` with the owner bits zero (what __SetPageX writes). */
export function encodePageType(type: PageTypeName, era: PageTypeEra): number {
  const enc = era.encoding;
  if (enc.style === "top-byte") {
    const v = enc.values[type];
    if (v === undefined) throw new Error(`page type ${type} does not exist in kernel ${era.id}`);
    return (v << 24) >>> 0;
  }
  const bit = enc.bits[type];
  if (bit === undefined) throw new Error(`page type ${type} does not exist in kernel ${era.id}`);
  // __SetPageX clears the type's bit in the all-ones word.
  return (PAGE_TYPE_NONE & ~bit) >>> 0;
}
