/**
 * What a tail page's `compound_info` word holds (include/linux/page-flags.h,
 * linux-mm/linux-mm @03e0599d: compound_info_has_mask(), set_compound_head(),
 * _compound_head()). Bit 0 is PageTail() in both encodings:
 *
 * - without CONFIG_HUGETLB_PAGE_OPTIMIZE_VMEMMAP, or when sizeof(struct page)
 *   is not a power of 2: `(unsigned long)head | 1`;
 * - with it and a power-of-2 struct page (64 bytes here): a mask,
 *   `GENMASK(BITS_PER_LONG - 1, order + order_base_2(sizeof(struct page))) | 1`,
 *   and _compound_head() is `(unsigned long)tail & mask` — every tail of one
 *   folio holds the same word, so HugeTLB vmemmap optimisation can share the
 *   tail struct pages.
 *
 * Addresses are struct page addresses (vmemmap virtual addresses), as bigints.
 */

export interface CompoundInfoConfig {
  /** CONFIG_HUGETLB_PAGE_OPTIMIZE_VMEMMAP (default y with HUGETLB_PAGE on x86-64). */
  readonly optimizeVmemmap: boolean;
  /** sizeof(struct page) in bytes. */
  readonly structPageSize: number;
  /**
   * Whether the kernel has compound_info_has_mask() at all (default: yes, as
   * the newest tree). Kernels before it write `head | 1` whatever HVO says:
   * see `kernelHasCompoundInfoMask()`.
   */
  readonly maskEncoding?: boolean;
}

/**
 * The first release whose set_compound_head() can write the mask: "mm: rework
 * compound_head() for power-of-2 sizeof(struct page)" (Kiryl Shutsemau; v7 of
 * the series posted 27 Feb 2026, message 20260227193030.272078-8-kas@kernel.org).
 * v6.12.117's include/linux/page-flags.h has no compound_info_has_mask() and
 * v7.2.13's has it; 7.0 is excluded by the posting date, after 7.0-rc1.
 */
export const COMPOUND_INFO_MASK_FROM = { major: 7, minor: 1 } as const;
/** What the sources could not settle about COMPOUND_INFO_MASK_FROM. */
export const COMPOUND_INFO_MASK_UNSETTLED =
  "7.1 is not read: the mask form is in v7.2.13 and not in v6.12.117, and the series was posted after 7.0-rc1; the model gives it to 7.1";

/** Whether a kernel's set_compound_head() knows the mask form (COMPOUND_INFO_MASK_FROM). */
export function kernelHasCompoundInfoMask(v: { readonly major: number; readonly minor: number }): boolean {
  return (
    v.major > COMPOUND_INFO_MASK_FROM.major ||
    (v.major === COMPOUND_INFO_MASK_FROM.major && v.minor >= COMPOUND_INFO_MASK_FROM.minor)
  );
}

/** The configuration the model's layouts assume (LAYOUT_CONFIG): HVO on, 64-byte struct page. */
export const COMPOUND_INFO_CONFIG: CompoundInfoConfig = { optimizeVmemmap: true, structPageSize: 64 };

const isPowerOf2 = (n: number) => n > 0 && (n & (n - 1)) === 0;

/** compound_info_has_mask(). */
export function compoundInfoHasMask(config: CompoundInfoConfig): boolean {
  return (config.maskEncoding ?? true) && config.optimizeVmemmap && isPowerOf2(config.structPageSize);
}

/** The word set_compound_head(tail, head, order) writes into a tail page. */
export function tailCompoundInfo(head: bigint, order: number, config: CompoundInfoConfig): bigint {
  if (!compoundInfoHasMask(config)) return head | 1n;
  const shift = BigInt(order + Math.log2(config.structPageSize));
  const mask = ((1n << 64n) - 1n) & ~((1n << shift) - 1n);
  return mask | 1n;
}

/** _compound_head(page): the head's struct page address for a page whose word is `info`. */
export function compoundHeadOf(page: bigint, info: bigint, config: CompoundInfoConfig): bigint {
  if (!compoundInfoHasMask(config)) return info & 1n ? info - 1n : page;
  // Non-tail: mask = -1 (keeps page); tail: mask = info.
  const mask = info & 1n ? info : (1n << 64n) - 1n;
  return page & mask;
}
