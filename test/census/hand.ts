/**
 * Hand-built kpageflags words for the census tests. Bits are spelled out
 * here, independently of src/model/kpageflags.ts, from
 * include/uapi/linux/kernel-page-flags.h and include/linux/kernel-page-flags.h,
 * so a wrong bit number in the model table fails a test.
 */
export const BIT = {
  LOCKED: 0,
  REFERENCED: 2,
  UPTODATE: 3,
  DIRTY: 4,
  LRU: 5,
  ACTIVE: 6,
  SLAB: 7,
  WRITEBACK: 8,
  BUDDY: 10,
  MMAP: 11,
  ANON: 12,
  SWAPCACHE: 13,
  SWAPBACKED: 14,
  HEAD: 15,
  TAIL: 16,
  HUGE: 17,
  UNEVICTABLE: 18,
  NOPAGE: 20,
  KSM: 21,
  THP: 22,
  OFFLINE: 23,
  ZERO_PAGE: 24,
  IDLE: 25,
  PGTABLE: 26,
  RESERVED: 32,
  MLOCKED: 33,
  OWNER_2: 34,
  PRIVATE: 35,
  ARCH_3: 42,
} as const;

/** A word with the named bits set. */
export function w(...bits: (keyof typeof BIT)[]): bigint {
  let v = 0n;
  for (const b of bits) v |= 1n << BigInt(BIT[b]);
  return v;
}

/** `n` copies of a word. */
export function rep(word: bigint, n: number): bigint[] {
  return new Array<bigint>(n).fill(word);
}

/** Raw little-endian bytes of words, as /proc/kpageflags returns them on x86. */
export function bytesOf(words: readonly bigint[]): Buffer {
  const b = Buffer.alloc(words.length * 8);
  words.forEach((v, i) => {
    b.writeBigUInt64LE(v, i * 8);
  });
  return b;
}
