/**
 * GFP bits as plain numbers, with the kernel's names and values.
 *
 * Source: include/linux/gfp_types.h (linux-mm/linux-mm @30919a92). The enum of
 * bit numbers there has config-dependent members: ___GFP_SKIP_ZERO_BIT and
 * ___GFP_SKIP_KASAN_BIT exist only with CONFIG_KASAN_HW_TAGS (arm64 MTE), and
 * ___GFP_NOLOCKDEP_BIT only with CONFIG_LOCKDEP. The values below are those of
 * an x86-64 build without either (the same build the page-flag table in
 * src/model/page-flags.ts describes): __GFP_SKIP_ZERO, __GFP_SKIP_KASAN and
 * __GFP_NOLOCKDEP are 0 there, exactly as the header defines them, and
 * ___GFP_NO_OBJ_EXT_BIT is 24.
 *
 * The machine itself reads only __GFP_COMP (prep_new_page: prep_compound_page()
 * only when order && (gfp & __GFP_COMP)). __GFP_ZERO is accepted and ignored
 * (page contents are not modelled); __GFP_ACCOUNT is accepted and ignored
 * (memcg is not modelled). The kernel-named layer builds typed GFP constants
 * on top of these numbers.
 */

/** `enum { ___GFP_DMA_BIT, … }` for the configuration above. */
export const GFP_BITS = {
  ___GFP_DMA_BIT: 0,
  ___GFP_HIGHMEM_BIT: 1,
  ___GFP_DMA32_BIT: 2,
  ___GFP_MOVABLE_BIT: 3,
  ___GFP_RECLAIMABLE_BIT: 4,
  ___GFP_HIGH_BIT: 5,
  ___GFP_IO_BIT: 6,
  ___GFP_FS_BIT: 7,
  ___GFP_ZERO_BIT: 8,
  /** 0x200u unused */
  ___GFP_UNUSED_BIT: 9,
  ___GFP_DIRECT_RECLAIM_BIT: 10,
  ___GFP_KSWAPD_RECLAIM_BIT: 11,
  ___GFP_WRITE_BIT: 12,
  ___GFP_NOWARN_BIT: 13,
  ___GFP_RETRY_MAYFAIL_BIT: 14,
  ___GFP_NOFAIL_BIT: 15,
  ___GFP_NORETRY_BIT: 16,
  ___GFP_MEMALLOC_BIT: 17,
  ___GFP_COMP_BIT: 18,
  ___GFP_NOMEMALLOC_BIT: 19,
  ___GFP_HARDWALL_BIT: 20,
  ___GFP_THISNODE_BIT: 21,
  ___GFP_ACCOUNT_BIT: 22,
  ___GFP_ZEROTAGS_BIT: 23,
  ___GFP_NO_OBJ_EXT_BIT: 24,
  ___GFP_LAST_BIT: 25,
} as const;

/** BIT(nr) (include/vdso/bits.h). */
const BIT = (n: number) => 2 ** n;

export const __GFP_DMA = BIT(GFP_BITS.___GFP_DMA_BIT);
export const __GFP_HIGHMEM = BIT(GFP_BITS.___GFP_HIGHMEM_BIT);
export const __GFP_DMA32 = BIT(GFP_BITS.___GFP_DMA32_BIT);
export const __GFP_MOVABLE = BIT(GFP_BITS.___GFP_MOVABLE_BIT);
export const __GFP_RECLAIMABLE = BIT(GFP_BITS.___GFP_RECLAIMABLE_BIT);
export const __GFP_HIGH = BIT(GFP_BITS.___GFP_HIGH_BIT);
export const __GFP_IO = BIT(GFP_BITS.___GFP_IO_BIT);
export const __GFP_FS = BIT(GFP_BITS.___GFP_FS_BIT);
export const __GFP_ZERO = BIT(GFP_BITS.___GFP_ZERO_BIT);
export const __GFP_DIRECT_RECLAIM = BIT(GFP_BITS.___GFP_DIRECT_RECLAIM_BIT);
export const __GFP_KSWAPD_RECLAIM = BIT(GFP_BITS.___GFP_KSWAPD_RECLAIM_BIT);
export const __GFP_WRITE = BIT(GFP_BITS.___GFP_WRITE_BIT);
export const __GFP_NOWARN = BIT(GFP_BITS.___GFP_NOWARN_BIT);
export const __GFP_RETRY_MAYFAIL = BIT(GFP_BITS.___GFP_RETRY_MAYFAIL_BIT);
export const __GFP_NOFAIL = BIT(GFP_BITS.___GFP_NOFAIL_BIT);
export const __GFP_NORETRY = BIT(GFP_BITS.___GFP_NORETRY_BIT);
export const __GFP_MEMALLOC = BIT(GFP_BITS.___GFP_MEMALLOC_BIT);
export const __GFP_COMP = BIT(GFP_BITS.___GFP_COMP_BIT);
export const __GFP_NOMEMALLOC = BIT(GFP_BITS.___GFP_NOMEMALLOC_BIT);
export const __GFP_HARDWALL = BIT(GFP_BITS.___GFP_HARDWALL_BIT);
export const __GFP_THISNODE = BIT(GFP_BITS.___GFP_THISNODE_BIT);
export const __GFP_ACCOUNT = BIT(GFP_BITS.___GFP_ACCOUNT_BIT);
export const __GFP_ZEROTAGS = BIT(GFP_BITS.___GFP_ZEROTAGS_BIT);
export const __GFP_NO_OBJ_EXT = BIT(GFP_BITS.___GFP_NO_OBJ_EXT_BIT);
/** 0 without CONFIG_KASAN_HW_TAGS (gfp_types.h). */
export const __GFP_SKIP_ZERO = 0;
/** 0 without CONFIG_KASAN_HW_TAGS (gfp_types.h). */
export const __GFP_SKIP_KASAN = 0;
/** 0 without CONFIG_LOCKDEP (gfp_types.h). */
export const __GFP_NOLOCKDEP = 0;

export const __GFP_RECLAIM = __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM;
/** __GFP_BITS_MASK = (1 << __GFP_BITS_SHIFT) - 1, __GFP_BITS_SHIFT = ___GFP_LAST_BIT. */
export const __GFP_BITS_MASK = BIT(GFP_BITS.___GFP_LAST_BIT) - 1;

export const GFP_ATOMIC = __GFP_HIGH | __GFP_KSWAPD_RECLAIM;
export const GFP_KERNEL = __GFP_RECLAIM | __GFP_IO | __GFP_FS;
export const GFP_KERNEL_ACCOUNT = GFP_KERNEL | __GFP_ACCOUNT;
export const GFP_NOWAIT = __GFP_KSWAPD_RECLAIM | __GFP_NOWARN;
export const GFP_NOIO = __GFP_RECLAIM;
export const GFP_NOFS = __GFP_RECLAIM | __GFP_IO;
export const GFP_USER = __GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL;
export const GFP_DMA = __GFP_DMA;
export const GFP_DMA32 = __GFP_DMA32;
export const GFP_HIGHUSER = GFP_USER | __GFP_HIGHMEM;
export const GFP_HIGHUSER_MOVABLE = GFP_HIGHUSER | __GFP_MOVABLE | __GFP_SKIP_KASAN;
export const GFP_TRANSHUGE_LIGHT =
  (GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC | __GFP_NOWARN) & ~__GFP_RECLAIM;
export const GFP_TRANSHUGE = GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM;

/**
 * The names show_gfp_flags() prints, in the order of __def_gfpflag_names
 * (include/trace/events/mmflags.h @35e1f6b6): the combinations first, most
 * bits first, then the single bits.
 */
const GFP_NAME_TABLE: readonly (readonly [number, string])[] = [
  [GFP_TRANSHUGE, "GFP_TRANSHUGE"],
  [GFP_TRANSHUGE_LIGHT, "GFP_TRANSHUGE_LIGHT"],
  [GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE"],
  [GFP_HIGHUSER, "GFP_HIGHUSER"],
  [GFP_USER, "GFP_USER"],
  [GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT"],
  [GFP_KERNEL, "GFP_KERNEL"],
  [GFP_NOFS, "GFP_NOFS"],
  [GFP_ATOMIC, "GFP_ATOMIC"],
  [GFP_NOIO, "GFP_NOIO"],
  [GFP_NOWAIT, "GFP_NOWAIT"],
  [GFP_DMA, "GFP_DMA"],
  [GFP_DMA32, "GFP_DMA32"],
  [__GFP_RECLAIM, "__GFP_RECLAIM"],
  [__GFP_DMA, "__GFP_DMA"],
  [__GFP_HIGHMEM, "__GFP_HIGHMEM"],
  [__GFP_DMA32, "__GFP_DMA32"],
  [__GFP_MOVABLE, "__GFP_MOVABLE"],
  [__GFP_RECLAIMABLE, "__GFP_RECLAIMABLE"],
  [__GFP_HIGH, "__GFP_HIGH"],
  [__GFP_IO, "__GFP_IO"],
  [__GFP_FS, "__GFP_FS"],
  [__GFP_ZERO, "__GFP_ZERO"],
  [__GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM"],
  [__GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM"],
  [__GFP_WRITE, "__GFP_WRITE"],
  [__GFP_NOWARN, "__GFP_NOWARN"],
  [__GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL"],
  [__GFP_NOFAIL, "__GFP_NOFAIL"],
  [__GFP_NORETRY, "__GFP_NORETRY"],
  [__GFP_MEMALLOC, "__GFP_MEMALLOC"],
  [__GFP_COMP, "__GFP_COMP"],
  [__GFP_NOMEMALLOC, "__GFP_NOMEMALLOC"],
  [__GFP_HARDWALL, "__GFP_HARDWALL"],
  [__GFP_THISNODE, "__GFP_THISNODE"],
  [__GFP_ACCOUNT, "__GFP_ACCOUNT"],
  [__GFP_ZEROTAGS, "__GFP_ZEROTAGS"],
];

/**
 * show_gfp_flags(): `GFP_KERNEL|__GFP_COMP`, or `none` for 0. Like the
 * kernel's __print_flags(), a table entry matches when all its bits are set,
 * its bits are then consumed, and leftover bits print as hex.
 */
export function gfpNames(gfp: number): string {
  let rest = gfp >>> 0;
  if (rest === 0) return "none";
  const out: string[] = [];
  for (const [mask, name] of GFP_NAME_TABLE) {
    if (mask !== 0 && (rest & mask) >>> 0 === mask) {
      out.push(name);
      rest = (rest & ~mask) >>> 0;
    }
  }
  if (rest !== 0) out.push(`0x${rest.toString(16)}`);
  return out.join("|");
}
