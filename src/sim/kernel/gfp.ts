/**
 * GFP masks, written as the kernel writes them. TypeScript types the result
 * of `a | b` as a plain `number`, which would hide `__GFP_COMP` from the type
 * checker, so a mask is a string in C syntax that the type checker parses:
 *
 *   alloc_pages(GFP_KERNEL, 0)
 *   alloc_pages("GFP_KERNEL | __GFP_COMP", order)
 *   alloc_pages(`${gfp} | __GFP_ZERO`, order)
 *
 * Whether `alloc_pages` returns a compound block follows from the call site
 * (mm/page_alloc.c prep_new_page: prep_compound_page only when
 * `order && (gfp_flags & __GFP_COMP)`). A mask that is not a literal (a
 * `gfp_t` parameter) is accepted; compound-ness is then unknown to the
 * compiler and checked at run time. Names and compositions:
 * include/linux/gfp_types.h, include/asm-generic/pgalloc.h (GFP_PGTABLE_*).
 */

/** The GFP names memdesc models, and what each composite contains (gfp_types.h). */
export const GFP_DEFINITIONS = {
  __GFP_DMA: [],
  __GFP_HIGHMEM: [],
  __GFP_DMA32: [],
  __GFP_MOVABLE: [],
  __GFP_RECLAIMABLE: [],
  __GFP_HIGH: [],
  __GFP_IO: [],
  __GFP_FS: [],
  __GFP_ZERO: [],
  __GFP_DIRECT_RECLAIM: [],
  __GFP_KSWAPD_RECLAIM: [],
  __GFP_WRITE: [],
  __GFP_NOWARN: [],
  __GFP_RETRY_MAYFAIL: [],
  __GFP_NOFAIL: [],
  __GFP_NORETRY: [],
  __GFP_MEMALLOC: [],
  __GFP_COMP: [],
  __GFP_NOMEMALLOC: [],
  __GFP_HARDWALL: [],
  __GFP_THISNODE: [],
  __GFP_ACCOUNT: [],
  __GFP_SKIP_KASAN: [],
  __GFP_RECLAIM: ["__GFP_DIRECT_RECLAIM", "__GFP_KSWAPD_RECLAIM"],
  GFP_ATOMIC: ["__GFP_HIGH", "__GFP_KSWAPD_RECLAIM"],
  GFP_KERNEL: ["__GFP_RECLAIM", "__GFP_IO", "__GFP_FS"],
  GFP_KERNEL_ACCOUNT: ["GFP_KERNEL", "__GFP_ACCOUNT"],
  GFP_NOWAIT: ["__GFP_KSWAPD_RECLAIM", "__GFP_NOWARN"],
  GFP_NOIO: ["__GFP_RECLAIM"],
  GFP_NOFS: ["__GFP_RECLAIM", "__GFP_IO"],
  GFP_USER: ["__GFP_RECLAIM", "__GFP_IO", "__GFP_FS", "__GFP_HARDWALL"],
  GFP_DMA: ["__GFP_DMA"],
  GFP_DMA32: ["__GFP_DMA32"],
  GFP_HIGHUSER: ["GFP_USER", "__GFP_HIGHMEM"],
  GFP_HIGHUSER_MOVABLE: ["GFP_HIGHUSER", "__GFP_MOVABLE", "__GFP_SKIP_KASAN"],
  // GFP_TRANSHUGE_LIGHT is (… | __GFP_COMP | …) & ~__GFP_RECLAIM: a subtraction this union-only table
  // cannot express, so it is left out rather than modelled wrong.
  // include/asm-generic/pgalloc.h
  GFP_PGTABLE_KERNEL: ["GFP_KERNEL", "__GFP_ZERO", "__GFP_SKIP_KASAN"],
  GFP_PGTABLE_USER: ["GFP_PGTABLE_KERNEL", "__GFP_ACCOUNT"],
} as const satisfies Record<string, readonly string[]>;

export type GfpName = keyof typeof GFP_DEFINITIONS;

type Trim<S extends string> = S extends ` ${infer R}` ? Trim<R> : S extends `${infer R} ` ? Trim<R> : S;
/** The names in a mask expression ("A | B | C" → "A" | "B" | "C"). */
export type GfpTerms<S extends string> = S extends `${infer A}|${infer B}` ? Trim<A> | GfpTerms<B> : Trim<S>;
/** Every base flag a name stands for, composites expanded. */
type Expand<N> = N extends GfpName
  ? (typeof GFP_DEFINITIONS)[N] extends readonly []
    ? N
    : N | Expand<(typeof GFP_DEFINITIONS)[N][number]>
  : never;
export type GfpFlagsOf<S extends string> = Expand<GfpTerms<S>>;

/** A GFP mask written in C syntax: "GFP_KERNEL | __GFP_COMP". */
export type gfp_t = string;

/** A mask the compiler can read, or a sentence naming the unknown flag. A non-literal mask is accepted as is. */
export type GfpMask<S extends string> = string extends S
  ? S
  : [Exclude<GfpTerms<S>, GfpName>] extends [never]
    ? S
    : `unknown GFP flag '${Exclude<GfpTerms<S>, GfpName> & string}' in '${S}'`;

/** Whether a mask has __GFP_COMP: true, false, or boolean when the mask is not a literal. */
export type GfpHasComp<S extends string> = string extends S
  ? boolean
  : "__GFP_COMP" extends GfpFlagsOf<S>
    ? true
    : false;
/** Whether a mask has __GFP_ACCOUNT (GFP_PGTABLE_USER): the page-table owner the allocation is for. */
export type GfpHasAccount<S extends string> = string extends S
  ? boolean
  : "__GFP_ACCOUNT" extends GfpFlagsOf<S>
    ? true
    : false;

export const GFP_KERNEL = "GFP_KERNEL";
export const GFP_ATOMIC = "GFP_ATOMIC";
export const GFP_NOWAIT = "GFP_NOWAIT";
export const GFP_NOIO = "GFP_NOIO";
export const GFP_NOFS = "GFP_NOFS";
export const GFP_USER = "GFP_USER";
export const GFP_KERNEL_ACCOUNT = "GFP_KERNEL_ACCOUNT";
export const GFP_HIGHUSER_MOVABLE = "GFP_HIGHUSER_MOVABLE";
export const GFP_PGTABLE_KERNEL = "GFP_PGTABLE_KERNEL";
export const GFP_PGTABLE_USER = "GFP_PGTABLE_USER";
export const __GFP_COMP = "__GFP_COMP";
export const __GFP_ZERO = "__GFP_ZERO";
export const __GFP_ACCOUNT = "__GFP_ACCOUNT";
export const __GFP_NOWARN = "__GFP_NOWARN";
export const __GFP_HIGHMEM = "__GFP_HIGHMEM";
export const __GFP_RETRY_MAYFAIL = "__GFP_RETRY_MAYFAIL";

/** The base flags of a mask expression at run time; unknown names are an error (the types make them a compile error). */
export function gfpFlags(mask: string): Set<GfpName> {
  const out = new Set<GfpName>();
  const add = (name: string) => {
    if (!(name in GFP_DEFINITIONS)) throw new TypeError(`unknown GFP flag '${name}' in '${mask}'`);
    const parts = GFP_DEFINITIONS[name as GfpName] as readonly string[];
    if (parts.length === 0) out.add(name as GfpName);
    else for (const p of parts) add(p);
  };
  for (const term of mask.split("|")) add(term.trim());
  return out;
}
