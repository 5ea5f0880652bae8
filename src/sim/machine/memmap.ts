/**
 * The memory map: one typed-array column per struct page field the rules
 * need, never one object per page (DESIGN.md "Hot paths on typed arrays").
 *
 * | column    | type        | kernel field (include/linux/mm_types.h)                  |
 * |-----------|-------------|-----------------------------------------------------------|
 * | flags     | Uint32Array | flags.f, bits 0..31 (PG_* bits from src/model/page-flags) |
 * | refcount  | Int32Array  | _refcount                                                  |
 * | pageType  | Int32Array  | page_type / _mapcount (top-byte PGTY encoding, 6.12+), read as _mapcount |
 * | privateHalves | Uint32Array | private: 64 bits, two halves per page (buddy order, owner data) |
 * | mappingHalves | Uint32Array | mapping: 64 bits, two halves per page (owner ids, kernel pointers; see constants.ts) |
 * | next      | Int32Array  | word 1: lru.next / buddy_list.next / pcp_list.next / compound_info |
 * | prev      | Int32Array  | word 2: lru.prev / buddy_list.prev / pcp_list.prev         |
 * | md        | Uint32Array | the final-stage 8-byte memdesc word, two halves per page   |
 * | order     | Uint8Array  | machine: allocation order / pcp block order on a block's first page |
 * | state     | Uint8Array  | machine: where the page is (constants.ts S_*)              |
 * | site      | Uint32Array | machine, only with trackAllocSites: allocation site id     |
 *
 * `private` (unsigned long) and `mapping` (a pointer) hold any 64-bit value
 * (docs/decisions/0220): `page->mapping = inode->i_mapping` stores the kernel
 * pointer itself. Like the memdesc word, each is two u32 halves, the low half
 * at [2 pfn] and the high half at [2 pfn + 1]; the hot paths write halves and
 * never build a BigInt. {@link readULong} and {@link writeULong} are the only
 * conversions between the halves and the values kernel code reads and writes.
 */
import { PAGE_FLAG_MASK } from "../../model/index.js";
import { LINK_TAIL_BIAS, LIST_HEAD_BASE, MAX_LIST_HEADS, PT_UNTYPED } from "./constants.js";

const PG_HEAD = PAGE_FLAG_MASK.PG_head;

/** The check every machine operation makes first: `pfn` is a page of this memory map (a RangeError otherwise). */
export function checkPfn(memmap: MemMap, pfn: number): void {
  // pfn < n <= 2^30, so an integer pfn survives >>> 0 unchanged.
  if (!(pfn >>> 0 === pfn && pfn < memmap.n)) {
    throw new RangeError(`pfn 0x${pfn.toString(16)} is not a page of this ${memmap.n}-page machine`);
  }
}

// The compound-head encoding of word 1 (include/linux/page-flags.h
// compound_head(), set_compound_head()): a tail page's word 1 holds
// compound_info, here LINK_TAIL_BIAS - head, below every list value. These
// four functions are its only decoders and encoder; PageHead() and
// compound_order() read the head's PG_head and page[1]'s order byte.

/** Whether a word-1 value is a tail page's compound_info. */
export function isCompoundInfo(v: number): boolean {
  return v <= LINK_TAIL_BIAS;
}

/** The head pfn a compound_info value names. */
export function compoundInfoHead(v: number): number {
  return LINK_TAIL_BIAS - v;
}

/** set_compound_head(): the compound_info value of a tail of the compound page at `head`. */
export function compoundInfoOf(head: number): number {
  return LINK_TAIL_BIAS - head;
}

/** PageHead(page): PG_head in the page's own flags. */
export function PageHead(memmap: MemMap, pfn: number): boolean {
  return (memmap.flags[pfn]! & PG_HEAD) !== 0;
}

/** PageCompound(page): a head or a tail. */
export function PageCompound(memmap: MemMap, pfn: number): boolean {
  return PageHead(memmap, pfn) || PageTail(memmap, pfn);
}

/**
 * folio_large_order() of the folio at `head`: the order byte of page[1]'s
 * flags (_flags_1), 0 past the end of the memory map. Read whether or not
 * PG_head is still set (dump_page() of a tail during a free reads it so).
 */
export function folioLargeOrder(memmap: MemMap, head: number): number {
  return head + 1 < memmap.n ? memmap.flags[head + 1]! & 0xff : 0;
}

/** compound_order(page): 0 unless PageHead, else folio_large_order(). */
export function compound_order(memmap: MemMap, pfn: number): number {
  return PageHead(memmap, pfn) ? folioLargeOrder(memmap, pfn) : 0;
}

/** compound_nr(page): 1 << compound_order(page). */
export function compound_nr(memmap: MemMap, pfn: number): number {
  return 1 << compound_order(memmap, pfn);
}

/** PageTail(page). */
export function PageTail(memmap: MemMap, pfn: number): boolean {
  return memmap.next[pfn]! <= LINK_TAIL_BIAS;
}

/** compound_head(page), as a pfn: one read of word 1. */
export function compound_head_pfn(memmap: MemMap, pfn: number): number {
  const v = memmap.next[pfn]!;
  return v <= LINK_TAIL_BIAS ? LINK_TAIL_BIAS - v : pfn;
}

/** 2^53: every integer below it is exact as a double. */
const EXACT_DOUBLE_LIMIT_HI = 2 ** 21;
const U64_MAX = (1n << 64n) - 1n;

/**
 * A 64-bit field's value as kernel code reads it: a number when a double
 * holds it exactly (so a number written comes back the same number), a
 * bigint otherwise (0xffff888012345678n, 2^64 - 1).
 */
export function readULong(halves: Uint32Array, pfn: number): number | bigint {
  const lo = halves[2 * pfn]!;
  const hi = halves[2 * pfn + 1]!;
  if (hi < EXACT_DOUBLE_LIMIT_HI) return hi * 2 ** 32 + lo;
  const value = (BigInt(hi) << 32n) | BigInt(lo);
  const asNumber = Number(value);
  return BigInt(asNumber) === value ? asNumber : value;
}

/**
 * Store an unsigned long or a pointer: any integer in 0..2^64 - 1, as a
 * number (exact, as every integer double is) or a bigint. `what` names the
 * field in the RangeError for anything else.
 */
export function writeULong(halves: Uint32Array, pfn: number, value: number | bigint, what: string): void {
  if (typeof value === "bigint") {
    if (value < 0n || value > U64_MAX)
      throw new RangeError(`${what} ${value} is not a 64-bit unsigned value`);
    halves[2 * pfn] = Number(value & 0xffff_ffffn);
    halves[2 * pfn + 1] = Number(value >> 32n);
    return;
  }
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** 64) {
    const hint =
      value >= 2 ** 64
        ? " (a number this close to 2^64 has been rounded up: write it as a bigint, e.g. 0xffffffffffffffffn)"
        : "";
    throw new RangeError(`${what} ${value} is not a 64-bit unsigned value${hint}`);
  }
  halves[2 * pfn] = value >>> 0;
  halves[2 * pfn + 1] = Math.floor(value / 2 ** 32);
}

/** Whether a 64-bit field is 0 (NULL). */
export function ulongIsZero(halves: Uint32Array, pfn: number): boolean {
  return (halves[2 * pfn]! | halves[2 * pfn + 1]!) === 0;
}

/** Whether a 64-bit field holds `value`, a value below 2^32 (a machine-reserved mapping, a buddy order). */
export function ulongIs(halves: Uint32Array, pfn: number, value: number): boolean {
  return halves[2 * pfn] === value && halves[2 * pfn + 1] === 0;
}

/** Store a value below 2^32 (0, an order, a reserved mapping) in a 64-bit field. */
export function setULong32(halves: Uint32Array, pfn: number, value: number): void {
  halves[2 * pfn] = value;
  halves[2 * pfn + 1] = 0;
}

/** A 64-bit field as a bigint (the today view's words). */
export function ulongWord(halves: Uint32Array, pfn: number): bigint {
  return (BigInt(halves[2 * pfn + 1]!) << 32n) | BigInt(halves[2 * pfn]!);
}

export class MemMap {
  readonly n: number;
  readonly flags: Uint32Array;
  readonly refcount: Int32Array;
  readonly pageType: Int32Array;
  readonly privateHalves: Uint32Array;
  readonly mappingHalves: Uint32Array;
  readonly next: Int32Array;
  readonly prev: Int32Array;
  readonly md: Uint32Array;
  readonly order: Uint8Array;
  readonly state: Uint8Array;
  readonly site: Uint32Array | null;
  /** next/prev of list heads that are not pages (free_area lists, pcp lists, callers' lists). */
  headNext: Int32Array;
  headPrev: Int32Array;
  /** The one buffer every column lives in. */
  readonly buffer: ArrayBuffer;
  /**
   * The whole buffer as one Int32Array and one Uint8Array, with each
   * column's start (in elements of that view): the order-0 fast paths
   * index columns through these so compiled code keeps one base pointer
   * instead of reloading ten (fast.ts).
   */
  readonly columns32: Int32Array;
  readonly columns8: Uint8Array;
  readonly oFlags: number;
  readonly oRefcount: number;
  readonly oPageType: number;
  readonly oPriv: number;
  readonly oMapping: number;
  readonly oNext: number;
  readonly oPrev: number;
  readonly oMd: number;
  readonly oOrder: number;
  readonly oState: number;
  /** The same, gathered in one small plain object for the fast paths (kept current when list heads grow). */
  readonly hot: HotView;
  nHeads = 0;

  constructor(n: number, trackSites: boolean) {
    this.n = n;
    const layout = new ColumnLayout(n, trackSites ? 11 : 10);
    this.flags = layout.take(Uint32Array, n);
    this.refcount = layout.take(Int32Array, n);
    this.pageType = layout.take(Int32Array, n).fill(PT_UNTYPED);
    this.privateHalves = layout.take(Uint32Array, 2 * n);
    this.mappingHalves = layout.take(Uint32Array, 2 * n);
    this.next = layout.take(Int32Array, n);
    this.prev = layout.take(Int32Array, n);
    // __init_single_page(): INIT_LIST_HEAD(&page->lru), so an unlisted page points at itself.
    for (let i = 0; i < n; i++) this.next[i] = i;
    this.prev.set(this.next);
    this.md = layout.take(Uint32Array, 2 * n);
    this.order = layout.take(Uint8Array, n);
    this.state = layout.take(Uint8Array, n);
    this.site = trackSites ? layout.take(Uint32Array, n) : null;
    this.buffer = layout.buffer;
    this.columns32 = new Int32Array(this.buffer);
    this.columns8 = new Uint8Array(this.buffer);
    this.oFlags = this.flags.byteOffset >> 2;
    this.oRefcount = this.refcount.byteOffset >> 2;
    this.oPageType = this.pageType.byteOffset >> 2;
    this.oPriv = this.privateHalves.byteOffset >> 2;
    this.oMapping = this.mappingHalves.byteOffset >> 2;
    this.oNext = this.next.byteOffset >> 2;
    this.oPrev = this.prev.byteOffset >> 2;
    this.oMd = this.md.byteOffset >> 2;
    this.oOrder = this.order.byteOffset;
    this.oState = this.state.byteOffset;
    this.headNext = new Int32Array(32);
    this.headPrev = new Int32Array(32);
    this.hot = {
      columns32: this.columns32,
      columns8: this.columns8,
      oFlags: this.oFlags,
      oRefcount: this.oRefcount,
      oPageType: this.oPageType,
      oPriv: this.oPriv,
      oMapping: this.oMapping,
      oNext: this.oNext,
      oPrev: this.oPrev,
      oMd: this.oMd,
      oOrder: this.oOrder,
      oState: this.oState,
      headNext: this.headNext,
      headPrev: this.headPrev,
      site: this.site,
    };
  }

  /** A new list head, initialised empty (INIT_LIST_HEAD). */
  newListHead(): number {
    const h = this.nHeads;
    if (h >= MAX_LIST_HEADS) throw new RangeError("too many list heads");
    if (h === this.headNext.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.headNext = grow(this.headNext);
      this.headPrev = grow(this.headPrev);
      this.hot.headNext = this.headNext;
      this.hot.headPrev = this.headPrev;
    }
    this.nHeads = h + 1;
    const ref = LIST_HEAD_BASE - h;
    this.headNext[h] = ref;
    this.headPrev[h] = ref;
    return ref;
  }

  /** Typed-array bytes held for the memory map (not counting descriptor pools). */
  bytes(): number {
    return this.buffer.byteLength + this.headNext.byteLength + this.headPrev.byteLength;
  }
}

/**
 * All columns in one ArrayBuffer, each starting on a 4 KiB boundary plus a
 * different multiple of 448 bytes. Columns that all started on a page
 * boundary would put entry `pfn` of every column in the same L1 cache set
 * (and alias on 4 KiB), and the hot paths, which touch ten columns at one
 * pfn, would miss the L1 on every access; staggering halves an order-0
 * alloc+free on a 16 GiB machine (docs/sim-machine.md, "Performance").
 */
class ColumnLayout {
  static readonly STAGGER = 448;
  readonly buffer: ArrayBuffer;
  private offset = 0;
  private k = 0;

  constructor(n: number, columns: number) {
    // flags, refcount, pageType, next, prev: 4 B; private, mapping, md: 8 B; order, state: 1 B; site: 4 B.
    const perPage = 5 * 4 + 3 * 8 + 2 + (columns > 10 ? 4 : 0);
    const bytes = perPage * n + columns * (4096 + columns * ColumnLayout.STAGGER);
    this.buffer = new ArrayBuffer(Math.ceil(bytes / 8) * 8);
  }

  take<T extends Uint8Array | Uint32Array | Int32Array>(
    Ctor: new (buffer: ArrayBuffer, byteOffset: number, length: number) => T,
    length: number,
  ): T {
    const start = Math.ceil(this.offset / 4096) * 4096 + this.k * ColumnLayout.STAGGER;
    const column = new Ctor(this.buffer, start, length);
    this.offset = start + column.byteLength;
    this.k++;
    return column;
  }
}

/**
 * What the fast paths read, MemMap's own fields by name: one buffer's two
 * views, the column offsets, the list heads (writable: they grow), the site
 * column.
 */
export type HotView = Pick<
  MemMap,
  | "columns32"
  | "columns8"
  | "oFlags"
  | "oRefcount"
  | "oPageType"
  | "oPriv"
  | "oMapping"
  | "oNext"
  | "oPrev"
  | "oMd"
  | "oOrder"
  | "oState"
  | "headNext"
  | "headPrev"
  | "site"
>;

/** Whether a link value names a list head that is not a page. */
export function isListHeadRef(ref: number): boolean {
  return ref <= LIST_HEAD_BASE && ref > LIST_HEAD_BASE - MAX_LIST_HEADS;
}
