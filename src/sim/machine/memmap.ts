/**
 * The memory map: one typed-array column per struct page field the rules
 * need, never one object per page (DESIGN.md "Hot paths on typed arrays").
 *
 * | column    | type        | kernel field (include/linux/mm_types.h)                  |
 * |-----------|-------------|-----------------------------------------------------------|
 * | flags     | Uint32Array | flags.f, bits 0..31 (PG_* bits from src/model/page-flags) |
 * | refcount  | Int32Array  | _refcount                                                  |
 * | pageType  | Int32Array  | page_type / _mapcount (top-byte PGTY encoding, 6.12+), read as _mapcount |
 * | priv      | Uint32Array | private (buddy order, owner data; 32 bits, see below)      |
 * | mapping   | Uint32Array | mapping (opaque owner ids; see constants.ts)               |
 * | next      | Int32Array  | word 1: lru.next / buddy_list.next / pcp_list.next / compound_info |
 * | prev      | Int32Array  | word 2: lru.prev / buddy_list.prev / pcp_list.prev         |
 * | md        | Uint32Array | the final-stage 8-byte memdesc word, two halves per page   |
 * | order     | Uint8Array  | machine: allocation order / pcp block order on a block's first page |
 * | state     | Uint8Array  | machine: where the page is (constants.ts S_*)              |
 * | site      | Uint32Array | machine, only with trackAllocSites: allocation site id     |
 *
 * `private` is an unsigned long in the kernel; the machine keeps 32 bits,
 * enough for a buddy order, a swap entry index or an owner's small integer.
 * Values above 2^32 - 1 are rejected by the setter.
 *
 * The memdesc halves sit at md[2 pfn] (low) and md[2 pfn + 1] (high); the
 * hot paths write halves and never build a BigInt.
 */
import { LINK_TAIL_BIAS, LIST_HEAD_BASE, MAX_LIST_HEADS, PT_UNTYPED } from "./constants.js";

// The compound-head encoding of word 1 (include/linux/page-flags.h
// compound_head(), set_compound_head()): a tail page's word 1 holds
// compound_info, here LINK_TAIL_BIAS - head, below every list value. These
// four functions are its only decoders and encoder.

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

/** PageTail(page). */
export function PageTail(memmap: MemMap, pfn: number): boolean {
  return memmap.next[pfn]! <= LINK_TAIL_BIAS;
}

/** compound_head(page), as a pfn: one read of word 1. */
export function compound_head_pfn(memmap: MemMap, pfn: number): number {
  const v = memmap.next[pfn]!;
  return v <= LINK_TAIL_BIAS ? LINK_TAIL_BIAS - v : pfn;
}

export class MemMap {
  readonly n: number;
  readonly flags: Uint32Array;
  readonly refcount: Int32Array;
  readonly pageType: Int32Array;
  readonly priv: Uint32Array;
  readonly mapping: Uint32Array;
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
    this.priv = layout.take(Uint32Array, n);
    this.mapping = layout.take(Uint32Array, n);
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
    this.oPriv = this.priv.byteOffset >> 2;
    this.oMapping = this.mapping.byteOffset >> 2;
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
    // flags, refcount, pageType, priv, mapping, next, prev: 4 B; md: 8 B; order, state: 1 B; site: 4 B.
    const perPage = 7 * 4 + 8 + 2 + (columns > 10 ? 4 : 0);
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

/** What the fast paths read: one buffer's two views, the column offsets, the list heads. */
export interface HotView {
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
  headNext: Int32Array;
  headPrev: Int32Array;
  readonly site: Uint32Array | null;
}

/** Whether a link value names a list head that is not a page. */
export function isListHeadRef(ref: number): boolean {
  return ref <= LIST_HEAD_BASE && ref > LIST_HEAD_BASE - MAX_LIST_HEADS;
}
