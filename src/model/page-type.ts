/**
 * `page_type`: the 32-bit word that shares storage with `_mapcount` in
 * `struct page` (include/linux/mm_types.h), and how each kernel era encodes a
 * page type in it (include/linux/page-flags.h).
 *
 * Eras, oldest first (each verified against the page-flags.h text named):
 * - 6.6–6.10, "low inverted masks": PAGE_TYPE_BASE 0xf0000000,
 *   PAGE_MAPCOUNT_RESERVE -128; a type is present when its bit is CLEAR and the
 *   base bits are set: PageType(page, flag) = (page_type & (BASE | flag)) == BASE.
 *   PG_hugetlb (0x800) from 6.9 ("mm: turn folio_test_hugetlb into a PageType");
 *   PG_slab (0x1000) from 6.10 (46df8e73a4a3 "mm: free up PG_slab"); before that
 *   slab was the page flag PG_slab. 6.10 also turned the defines into an enum
 *   (Stephen Brennan, "mm: convert page type macros to enum").
 * - 6.11, "high inverted masks": David Hildenbrand's "mm: allow reuse of the
 *   lower 16 bit of the page type with an actual type" moved the bits to the top
 *   (BASE 0x80000000, PG_buddy 0x40000000 …) and reserved 0xffff0000–0xfffffffe
 *   for mapcount underflow, so owners of typed folios may use the low 16 bits.
 *   PG_zsmalloc 0x01000000 ("mm/zsmalloc: use a proper page type") and
 *   PG_unaccepted 0x00800000 (Kirill Shutemov) came in the same cycle.
 * - 6.12 onwards, "top byte": 4ffca5a96678 "mm: support only one page_type per
 *   page": the type is the top byte, `enum pagetype` PGTY_buddy 0xf0 …; the low
 *   24 bits are free for the owner. PGTY_large_kmalloc 0xf8 from 6.15;
 *   PGTY_netpp 0xf9 in the newest tree (linux-mm/linux-mm page-flags.h @03e0599d).
 *
 * In every era "no type" is page_type == UINT_MAX (_mapcount == -1).
 */
import { compareKernel, formatKernel, type KernelVersion } from "./kernel.js";
import { hex32 } from "./word.js";

/** `page_type` of a page with no type: UINT_MAX, i.e. `_mapcount == -1`. */
export const PAGE_TYPE_NONE = 0xffff_ffff;

/**
 * `enum pagetype` of the newest tree (include/linux/page-flags.h,
 * linux-mm/linux-mm @03e0599d): the value of the top byte.
 */
export const PGTY = {
  PGTY_buddy: 0xf0,
  PGTY_offline: 0xf1,
  PGTY_table: 0xf2,
  PGTY_guard: 0xf3,
  PGTY_hugetlb: 0xf4,
  PGTY_slab: 0xf5,
  PGTY_zsmalloc: 0xf6,
  PGTY_unaccepted: 0xf7,
  PGTY_large_kmalloc: 0xf8,
  PGTY_netpp: 0xf9,
  PGTY_mapcount_underflow: 0xff,
} as const;

/** The page types as the kernel's accessors name them (`PageBuddy`, `PageTable`, …). */
export type PageTypeName =
  | "buddy"
  | "offline"
  | "table"
  | "guard"
  | "hugetlb"
  | "slab"
  | "zsmalloc"
  | "unaccepted"
  | "large_kmalloc"
  | "netpp";

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
  /**
   * get_page()/put_page() return early for pages of this type: their memory is not
   * refcounted through the folio (include/linux/mm.h: folio_test_slab() ||
   * folio_test_large_kmalloc()).
   */
  readonly refcountIgnored?: true;
}

/** PAGE_TYPE_OPS / FOLIO_TYPE_OPS instances in the newest page-flags.h, in enum order. */
export const PAGE_TYPES: readonly PageTypeInfo[] = [
  { name: "buddy", uname: "Buddy", fname: "buddy", pgty: 0xf0, folioType: false, kpf: "KPF_BUDDY" },
  { name: "offline", uname: "Offline", fname: "offline", pgty: 0xf1, folioType: false, kpf: "KPF_OFFLINE" },
  { name: "table", uname: "Table", fname: "pgtable", pgty: 0xf2, folioType: false, kpf: "KPF_PGTABLE" },
  { name: "guard", uname: "Guard", fname: "guard", pgty: 0xf3, folioType: false, kpf: null },
  // FOLIO_TYPE_OPS(hugetlb, hugetlb): no PageHugetlb / __SetPageHugetlb.
  { name: "hugetlb", uname: null, fname: "hugetlb", pgty: 0xf4, folioType: true, kpf: "KPF_HUGE" },
  {
    name: "slab",
    uname: "Slab",
    fname: "slab",
    pgty: 0xf5,
    folioType: false,
    kpf: "KPF_SLAB",
    refcountIgnored: true,
  },
  { name: "zsmalloc", uname: "Zsmalloc", fname: "zsmalloc", pgty: 0xf6, folioType: false, kpf: null },
  { name: "unaccepted", uname: "Unaccepted", fname: "unaccepted", pgty: 0xf7, folioType: false, kpf: null },
  {
    name: "large_kmalloc",
    uname: "LargeKmalloc",
    fname: "large_kmalloc",
    pgty: 0xf8,
    folioType: false,
    kpf: null,
    refcountIgnored: true,
  },
  { name: "netpp", uname: "Netpp", fname: "netpp", pgty: 0xf9, folioType: false, kpf: null },
];

export function pageTypeInfo(name: PageTypeName): PageTypeInfo {
  const t = PAGE_TYPES.find((p) => p.name === name);
  if (!t) throw new Error(`unknown page type ${name}`);
  return t;
}

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
  readonly to: KernelVersion;
  readonly encoding: PageTypeEncoding;
  /** The kernel source the era's values were read from. */
  readonly source: string;
  /** Whether slab is a page type in this era (else it is the page flag PG_slab). */
  readonly slabIsPageType: boolean;
}

const LOW_BASE = 0xf000_0000;
const lowBits = { buddy: 0x80, offline: 0x100, table: 0x200, guard: 0x400 } as const;
const highBits = {
  buddy: 0x4000_0000,
  offline: 0x2000_0000,
  table: 0x1000_0000,
  guard: 0x0800_0000,
  hugetlb: 0x0400_0000,
  slab: 0x0200_0000,
  zsmalloc: 0x0100_0000,
  unaccepted: 0x0080_0000,
} as const;
const topByte12 = {
  buddy: 0xf0,
  offline: 0xf1,
  table: 0xf2,
  guard: 0xf3,
  hugetlb: 0xf4,
  slab: 0xf5,
  zsmalloc: 0xf6,
  unaccepted: 0xf7,
} as const;

/** The page_type encodings by kernel version, oldest first. */
export const PAGE_TYPE_ERAS: readonly PageTypeEra[] = [
  {
    id: "6.6-6.8",
    from: { major: 6, minor: 6 },
    to: { major: 6, minor: 8 },
    encoding: { style: "inverted-mask", base: LOW_BASE, mapcountReserve: -128, bits: lowBits, ownerBits: 0 },
    source: "include/linux/page-flags.h (v6.6): #define PAGE_TYPE_BASE 0xf0000000, PG_buddy 0x00000080 …",
    slabIsPageType: false,
  },
  {
    id: "6.9",
    from: { major: 6, minor: 9 },
    to: { major: 6, minor: 9 },
    encoding: {
      style: "inverted-mask",
      base: LOW_BASE,
      mapcountReserve: -128,
      bits: { ...lowBits, hugetlb: 0x800 },
      ownerBits: 0,
    },
    source:
      "page-flags.h after d99e3140a4d3 'mm: turn folio_test_hugetlb into a PageType': PG_hugetlb 0x00000800",
    slabIsPageType: false,
  },
  {
    id: "6.10",
    from: { major: 6, minor: 10 },
    to: { major: 6, minor: 10 },
    encoding: {
      style: "inverted-mask",
      base: LOW_BASE,
      mapcountReserve: -128,
      bits: { ...lowBits, hugetlb: 0x800, slab: 0x1000 },
      ownerBits: 0,
    },
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
      bits: highBits,
      ownerBits: 16,
    },
    source:
      "page-flags.h after 'mm: allow reuse of the lower 16 bit of the page type with an actual type' (PAGE_TYPE_BASE 0x80000000, PAGE_MAPCOUNT_RESERVE ~0x0000ffff)",
    slabIsPageType: true,
  },
  {
    id: "6.12-6.14",
    from: { major: 6, minor: 12 },
    to: { major: 6, minor: 14 },
    encoding: { style: "top-byte", values: topByte12, ownerBits: 24 },
    source:
      "page-flags.h after 4ffca5a96678 'mm: support only one page_type per page': enum pagetype PGTY_buddy 0xf0 …",
    slabIsPageType: true,
  },
  {
    id: "6.15-7.2",
    from: { major: 6, minor: 15 },
    to: { major: 7, minor: 2 },
    encoding: { style: "top-byte", values: { ...topByte12, large_kmalloc: 0xf8 }, ownerBits: 24 },
    source: "page-flags.h: PGTY_large_kmalloc 0xf8 (6.15)",
    slabIsPageType: true,
  },
  {
    id: "7.3",
    from: { major: 7, minor: 3 },
    to: { major: 7, minor: 3 },
    encoding: {
      style: "top-byte",
      values: { ...topByte12, large_kmalloc: 0xf8, netpp: 0xf9 },
      ownerBits: 24,
    },
    source: "linux-mm/linux-mm include/linux/page-flags.h @03e0599d: PGTY_netpp 0xf9",
    slabIsPageType: true,
  },
];

export function pageTypeEra(v: KernelVersion): PageTypeEra {
  const era = PAGE_TYPE_ERAS.find((e) => compareKernel(v, e.from) >= 0 && compareKernel(v, e.to) <= 0);
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
    if (top === PGTY.PGTY_mapcount_underflow) return { kind: "mapcount", mapcount: signed + 1 };
    const found = (Object.entries(enc.values) as [PageTypeName, number][]).find(([, v]) => v === top);
    if (found) {
      return { kind: "typed", type: found[0], ownerBits: enc.ownerBits, ownerValue: w & 0xff_ffff };
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
