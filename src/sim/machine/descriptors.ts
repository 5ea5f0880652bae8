/**
 * Descriptor pools: the slab caches that, at the final stage, hand out the
 * separately allocated descriptors a memdesc word points at (struct folio,
 * struct slab, struct ptdesc, …). https://kernelnewbies.org/MatthewWilcox/Memdescs:
 * every descriptor comes from a slab cache with 16-byte alignment, so the
 * low 4 bits of the pointer are free for the type.
 *
 * Each kind gets its own 4 GiB region of the x86-64 direct map, starting at
 * 0xffff888100000000 + kindIndex << 32 (kindIndex in MEMDESC_KIND_NAMES
 * order); object i of a kind lives at base + i × MEMDESC_KINDS[kind].descriptorBytes.
 * Freed objects are reused last-in first-out, as a slab freelist hands back
 * the most recently freed object. Addresses are kept as two u32 halves.
 */
import { MEMDESC_KIND_NAMES, MEMDESC_KINDS, type MemdescKindName } from "../../model/index.js";

/** High half of the first pool region: the direct map (0xffff888000000000) plus 4 GiB. */
export const POOL_BASE_HI = 0xffff_8881;

export interface PoolStats {
  readonly kind: MemdescKindName;
  readonly objectBytes: number;
  readonly live: number;
  /** Objects ever carved from the region (live + on the freelist). */
  readonly carved: number;
}

export class DescriptorPools {
  private readonly size: Int32Array;
  private readonly carved: Int32Array;
  private readonly live: Int32Array;
  private freeList: Int32Array[];
  private freeTop: Int32Array;

  constructor() {
    const k = MEMDESC_KIND_NAMES.length;
    this.size = new Int32Array(k);
    for (let i = 0; i < k; i++) this.size[i] = MEMDESC_KINDS[MEMDESC_KIND_NAMES[i]!].descriptorBytes;
    this.carved = new Int32Array(k);
    this.live = new Int32Array(k);
    this.freeTop = new Int32Array(k);
    this.freeList = Array.from({ length: k }, () => new Int32Array(16));
  }

  /** Allocate one object of kind `k` (an index into MEMDESC_KIND_NAMES); returns its slot. */
  alloc(k: number): number {
    this.live[k]!++;
    const top = this.freeTop[k]!;
    if (top > 0) {
      this.freeTop[k] = top - 1;
      return this.freeList[k]![top - 1]!;
    }
    const slot = this.carved[k]!;
    if ((slot + 1) * this.size[k]! > 2 ** 32)
      throw new RangeError(`descriptor pool ${MEMDESC_KIND_NAMES[k]} is full`);
    this.carved[k] = slot + 1;
    return slot;
  }

  free(k: number, slot: number): void {
    this.live[k]!--;
    let list = this.freeList[k]!;
    const top = this.freeTop[k]!;
    if (top === list.length) {
      const grown = new Int32Array(list.length * 2);
      grown.set(list);
      list = grown;
      this.freeList[k] = list;
    }
    list[top] = slot;
    this.freeTop[k] = top + 1;
  }

  /** Low half of the object's address (16-byte aligned, so the type fits below it). */
  addrLo(k: number, slot: number): number {
    return (slot * this.size[k]!) >>> 0;
  }

  addrHi(k: number): number {
    return POOL_BASE_HI + k;
  }

  /** The kind index and slot an address came from, or null if no pool handed it out. */
  locate(lo: number, hi: number): { kind: number; slot: number } | null {
    const k = hi - POOL_BASE_HI;
    if (k < 0 || k >= this.size.length) return null;
    const off = (lo & ~0xf) >>> 0;
    if (off % this.size[k]! !== 0) return null;
    const slot = off / this.size[k]!;
    return slot < this.carved[k]! ? { kind: k, slot } : null;
  }

  stats(): PoolStats[] {
    return MEMDESC_KIND_NAMES.map((kind, k) => ({
      kind,
      objectBytes: this.size[k]!,
      live: this.live[k]!,
      carved: this.carved[k]!,
    })).filter((s) => s.carved > 0);
  }

  /** Typed-array bytes held by the pools' bookkeeping. */
  bytes(): number {
    let total =
      this.size.byteLength + this.carved.byteLength + this.live.byteLength + this.freeTop.byteLength;
    for (const l of this.freeList) total += l.byteLength;
    return total;
  }
}
