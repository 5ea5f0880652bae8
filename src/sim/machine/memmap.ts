/**
 * The memory map: one typed-array column per struct page field the rules
 * need, never one object per page (DESIGN.md "Hot paths on typed arrays").
 *
 * | column    | type        | kernel field (include/linux/mm_types.h)                  |
 * |-----------|-------------|-----------------------------------------------------------|
 * | flags     | Uint32Array | flags.f, bits 0..31 (PG_* bits from src/model/page-flags) |
 * | refcount  | Int32Array  | _refcount                                                  |
 * | pageType  | Uint32Array | page_type / _mapcount (top-byte PGTY encoding, 6.12+)      |
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
import { LIST_HEAD_BASE, MAX_LIST_HEADS, PAGE_TYPE_UNTYPED } from "./constants.js";

export class MemMap {
  readonly n: number;
  readonly flags: Uint32Array;
  readonly refcount: Int32Array;
  readonly pageType: Uint32Array;
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
  nHeads = 0;

  constructor(n: number, trackSites: boolean) {
    this.n = n;
    this.flags = new Uint32Array(n);
    this.refcount = new Int32Array(n);
    this.pageType = new Uint32Array(n).fill(PAGE_TYPE_UNTYPED);
    this.priv = new Uint32Array(n);
    this.mapping = new Uint32Array(n);
    this.next = new Int32Array(n);
    this.prev = new Int32Array(n);
    // __init_single_page(): INIT_LIST_HEAD(&page->lru), so an unlisted page points at itself.
    for (let i = 0; i < n; i++) this.next[i] = i;
    this.prev.set(this.next);
    this.md = new Uint32Array(2 * n);
    this.order = new Uint8Array(n);
    this.state = new Uint8Array(n);
    this.site = trackSites ? new Uint32Array(n) : null;
    this.headNext = new Int32Array(32);
    this.headPrev = new Int32Array(32);
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
    }
    this.nHeads = h + 1;
    const ref = LIST_HEAD_BASE - h;
    this.headNext[h] = ref;
    this.headPrev[h] = ref;
    return ref;
  }

  /** Typed-array bytes held for the memory map (not counting descriptor pools). */
  bytes(): number {
    let total =
      this.flags.byteLength +
      this.refcount.byteLength +
      this.pageType.byteLength +
      this.priv.byteLength +
      this.mapping.byteLength +
      this.next.byteLength +
      this.prev.byteLength +
      this.md.byteLength +
      this.order.byteLength +
      this.state.byteLength +
      this.headNext.byteLength +
      this.headPrev.byteLength;
    if (this.site) total += this.site.byteLength;
    return total;
  }
}

/** Whether a link value names a list head that is not a page. */
export function isListHeadRef(ref: number): boolean {
  return ref <= LIST_HEAD_BASE && ref > LIST_HEAD_BASE - MAX_LIST_HEADS;
}
