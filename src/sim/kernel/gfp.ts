/**
 * GFP masks as the kernel writes them (include/linux/gfp_types.h
 * @30919a92, include/asm-generic/pgalloc.h @1df1ca75 for GFP_PGTABLE_*).
 *
 * A GFP constant is a number with the kernel's value (`GFP_KERNEL === 0xcc0`),
 * so every C expression works unchanged:
 *
 *   alloc_pages(GFP_KERNEL, 0)
 *   alloc_pages(GFP_KERNEL | __GFP_COMP, order)     // compound-ness: run time
 *   alloc_pages(gfp & ~__GFP_ZERO, order)           // gfp: gfp_t
 *
 * TypeScript types `a | b` on numbers as plain `number`, which hides
 * `__GFP_COMP` from the compiler. So the constant's *type* also names it
 * (`Gfp<"GFP_KERNEL">`), and a mask may be written as a C expression in a
 * string or template, which the type checker parses:
 *
 *   alloc_pages(`${GFP_KERNEL} | __GFP_COMP`, order)   // compound at compile time
 *   alloc_pages(`${gfp} | __GFP_COMP`, order)          // gfp: gfp_t — still compound
 *   alloc_pages("GFP_KERNEL & ~__GFP_MOVABLE", 0)
 *
 * Whether `alloc_pages` returns a compound block follows from the call site
 * (mm/page_alloc.c prep_new_page: prep_compound_page() only when
 * `order && (gfp_flags & __GFP_COMP)`). A mask the compiler cannot read (a
 * computed number) is accepted; compound-ness is then unknown to the compiler
 * and checked at run time (docs/decisions/0040-gfp-masks-are-numbers.md).
 */
import { GFP_BITS } from "../machine/gfp.js";

/**
 * One line per #define, as the headers write them: a base flag names its
 * `___GFP_*_BIT` (or `0` where the configuration defines it as 0), a composite
 * is its C expression.
 */
export const GFP_DEFINITIONS = {
  __GFP_DMA: { bit: "___GFP_DMA_BIT" },
  __GFP_HIGHMEM: { bit: "___GFP_HIGHMEM_BIT" },
  __GFP_DMA32: { bit: "___GFP_DMA32_BIT" },
  __GFP_MOVABLE: { bit: "___GFP_MOVABLE_BIT" },
  __GFP_RECLAIMABLE: { bit: "___GFP_RECLAIMABLE_BIT" },
  __GFP_HIGH: { bit: "___GFP_HIGH_BIT" },
  __GFP_IO: { bit: "___GFP_IO_BIT" },
  __GFP_FS: { bit: "___GFP_FS_BIT" },
  __GFP_ZERO: { bit: "___GFP_ZERO_BIT" },
  __GFP_DIRECT_RECLAIM: { bit: "___GFP_DIRECT_RECLAIM_BIT" },
  __GFP_KSWAPD_RECLAIM: { bit: "___GFP_KSWAPD_RECLAIM_BIT" },
  __GFP_WRITE: { bit: "___GFP_WRITE_BIT" },
  __GFP_NOWARN: { bit: "___GFP_NOWARN_BIT" },
  __GFP_RETRY_MAYFAIL: { bit: "___GFP_RETRY_MAYFAIL_BIT" },
  __GFP_NOFAIL: { bit: "___GFP_NOFAIL_BIT" },
  __GFP_NORETRY: { bit: "___GFP_NORETRY_BIT" },
  __GFP_MEMALLOC: { bit: "___GFP_MEMALLOC_BIT" },
  __GFP_COMP: { bit: "___GFP_COMP_BIT" },
  __GFP_NOMEMALLOC: { bit: "___GFP_NOMEMALLOC_BIT" },
  __GFP_HARDWALL: { bit: "___GFP_HARDWALL_BIT" },
  __GFP_THISNODE: { bit: "___GFP_THISNODE_BIT" },
  __GFP_ACCOUNT: { bit: "___GFP_ACCOUNT_BIT" },
  __GFP_ZEROTAGS: { bit: "___GFP_ZEROTAGS_BIT" },
  __GFP_NO_OBJ_EXT: { bit: "___GFP_NO_OBJ_EXT_BIT" },
  // 0 without CONFIG_KASAN_HW_TAGS / CONFIG_LOCKDEP (the x86-64 build of src/sim/machine/gfp.ts).
  __GFP_SKIP_ZERO: { bit: null },
  __GFP_SKIP_KASAN: { bit: null },
  __GFP_NOLOCKDEP: { bit: null },
  GFP_ZONEMASK: { c: "__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE" },
  __GFP_RECLAIM: { c: "__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM" },
  GFP_ATOMIC: { c: "__GFP_HIGH | __GFP_KSWAPD_RECLAIM" },
  GFP_KERNEL: { c: "__GFP_RECLAIM | __GFP_IO | __GFP_FS" },
  GFP_KERNEL_ACCOUNT: { c: "GFP_KERNEL | __GFP_ACCOUNT" },
  GFP_NOWAIT: { c: "__GFP_KSWAPD_RECLAIM | __GFP_NOWARN" },
  GFP_NOIO: { c: "__GFP_RECLAIM" },
  GFP_NOFS: { c: "__GFP_RECLAIM | __GFP_IO" },
  GFP_USER: { c: "__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL" },
  GFP_DMA: { c: "__GFP_DMA" },
  GFP_DMA32: { c: "__GFP_DMA32" },
  GFP_HIGHUSER: { c: "GFP_USER | __GFP_HIGHMEM" },
  GFP_HIGHUSER_MOVABLE: { c: "GFP_HIGHUSER | __GFP_MOVABLE | __GFP_SKIP_KASAN" },
  GFP_TRANSHUGE_LIGHT: {
    c: "(GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC | __GFP_NOWARN) & ~__GFP_RECLAIM",
  },
  GFP_TRANSHUGE: { c: "GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM" },
  // include/asm-generic/pgalloc.h
  GFP_PGTABLE_KERNEL: { c: "GFP_KERNEL | __GFP_ZERO | __GFP_SKIP_KASAN" },
  GFP_PGTABLE_USER: { c: "GFP_PGTABLE_KERNEL | __GFP_ACCOUNT" },
} as const satisfies Record<string, { readonly bit: keyof typeof GFP_BITS | null } | { readonly c: string }>;

export type GfpName = keyof typeof GFP_DEFINITIONS;

declare const gfpName: unique symbol;
/** A GFP constant: the kernel's number, with its name kept in the type (`Gfp<"GFP_KERNEL">`). */
export type Gfp<Name extends GfpName> = number & { readonly [gfpName]: Name };

/** `typedef unsigned int gfp_t`: a GFP mask. */
export type gfp_t = number;

// ---------------------------------------------------------------------------
// The type-level reader: whether a mask definitely has flag F ("yes"), definitely lacks it ("no"),
// or the compiler cannot tell ("maybe"). C precedence: `|` binds looser than `&`, so
// `A | B & ~C` is `A | (B & ~C)`; one leading parenthesised group is understood.

type Trim<S extends string> = S extends ` ${infer R}` ? Trim<R> : S extends `${infer R} ` ? Trim<R> : S;
type Tri = "yes" | "no" | "maybe";
type AnyYes<T extends Tri> = "yes" extends T ? "yes" : "maybe" extends T ? "maybe" : "no";

/** The name behind one term: a GFP name, a `${Gfp<…>}` hole, a `${number}` hole or a literal number. */
type TermName<T extends string> = T extends GfpName
  ? T
  : T extends `${infer G extends Gfp<GfpName>}`
    ? G extends Gfp<infer N>
      ? N
      : never
    : T extends `${number}`
      ? "(number)"
      : T;

type NameHas<N, F extends GfpName> = N extends GfpName
  ? (typeof GFP_DEFINITIONS)[N] extends { readonly c: infer C extends string }
    ? ExprHas<C, F>
    : N extends F
      ? "yes"
      : "no"
  : "maybe";

/** `~A & ~B …` parts: "yes" when one of them surely removes F. */
type Removes<Parts extends string, F extends GfpName> = Parts extends `${infer P}&${infer Rest}`
  ? NameHas<TermName<Trim<Trim<P> extends `~${infer R}` ? R : P>>, F> extends "yes"
    ? "yes"
    : Removes<Rest, F>
  : NameHas<TermName<Trim<Trim<Parts> extends `~${infer R}` ? R : Parts>>, F> extends "yes"
    ? "yes"
    : "no";

/** One `|` term: `X` or `X & ~Y & ~Z`. */
type TermHas<T extends string, F extends GfpName> = T extends `${infer X}&${infer Rest}`
  ? Removes<Rest, F> extends "yes"
    ? "no"
    : NameHas<TermName<Trim<X>>, F> extends "no"
      ? "no"
      : "maybe" extends NameHas<TermName<Trim<X>>, F>
        ? "maybe"
        : // X has F and nothing surely removes it; a removal the compiler cannot read may.
          RemovesMaybe<Rest, F>
  : NameHas<TermName<Trim<T>>, F>;
type RemovesMaybe<Parts extends string, F extends GfpName> =
  "maybe" extends RemovesEach<Parts, F> ? "maybe" : "yes";
type RemovesEach<Parts extends string, F extends GfpName> = Parts extends `${infer P}&${infer Rest}`
  ? NameHas<TermName<Trim<Trim<P> extends `~${infer R}` ? R : P>>, F> | RemovesEach<Rest, F>
  : NameHas<TermName<Trim<Trim<Parts> extends `~${infer R}` ? R : Parts>>, F>;

type TermsHas<S extends string, F extends GfpName> = S extends `${infer A}|${infer B}`
  ? TermHas<Trim<A>, F> | TermsHas<B, F>
  : TermHas<Trim<S>, F>;

/** Whether the C expression S has flag F. */
export type ExprHas<S extends string, F extends GfpName> =
  Trim<S> extends `(${infer Inner})${infer Post}`
    ? Trim<Post> extends ""
      ? ExprHas<Inner, F>
      : Trim<Post> extends `&${infer Ands}`
        ? Ands extends `${infer A}|${infer More}`
          ? AnyYes<GroupHas<Inner, A, F> | TermsHas<More, F>>
          : GroupHas<Inner, Ands, F>
        : Trim<Post> extends `|${infer More}`
          ? AnyYes<ExprHas<Inner, F> | TermsHas<More, F>>
          : "maybe"
    : AnyYes<TermsHas<S, F>>;
type GroupHas<Inner extends string, Ands extends string, F extends GfpName> =
  Removes<Ands, F> extends "yes"
    ? "no"
    : ExprHas<Inner, F> extends "yes"
      ? RemovesMaybe<Ands, F>
      : ExprHas<Inner, F>;

/** Whether mask G (a constant, a C-expression string, or a number) has flag F. */
export type GfpHas<G, F extends GfpName> =
  G extends Gfp<infer N>
    ? NameHas<N, F>
    : G extends string
      ? string extends G
        ? "maybe"
        : ExprHas<G, F>
      : "maybe";

type TriBool<T extends Tri> = T extends "yes" ? true : T extends "no" ? false : boolean;
/** Whether a mask has __GFP_COMP: true, false, or boolean when the compiler cannot tell. */
export type GfpHasComp<G> = TriBool<GfpHas<G, "__GFP_COMP">>;
/** Whether a mask has __GFP_ACCOUNT (GFP_PGTABLE_USER): the page-table owner the allocation is for. */
export type GfpHasAccount<G> = TriBool<GfpHas<G, "__GFP_ACCOUNT">>;

/** The names in a string mask that are neither GFP names nor numbers (each a compile error). */
type UnknownTerms<S extends string> = S extends `${infer A}|${infer B}`
  ? UnknownTerms<A> | UnknownTerms<B>
  : S extends `${infer A}&${infer B}`
    ? UnknownTerms<A> | UnknownTerms<B>
    : Trim<S> extends `~${infer R}`
      ? UnknownTerms<R>
      : Trim<S> extends `(${infer R}`
        ? UnknownTerms<R>
        : Trim<S> extends `${infer R})`
          ? UnknownTerms<R>
          : TermName<Trim<S>> extends GfpName | "(number)"
            ? never
            : Trim<S> extends `0x${string}`
              ? never
              : Trim<S>;

/** A mask: a number (a constant or an expression on numbers), or a C-expression string whose names are all known. */
export type GfpMask<G> = G extends number
  ? G
  : G extends string
    ? string extends G
      ? G
      : [UnknownTerms<G>] extends [never]
        ? G
        : `unknown GFP flag '${UnknownTerms<G> & string}' in '${G}'`
    : never;

// ---------------------------------------------------------------------------
// Values.

const values = new Map<string, number>();

/** The numeric value of a GFP name (include/linux/gfp_types.h for the x86-64 build). */
export function gfpValue(name: GfpName): number {
  const cached = values.get(name);
  if (cached !== undefined) return cached;
  const def = GFP_DEFINITIONS[name] as { readonly bit?: keyof typeof GFP_BITS | null; readonly c?: string };
  const v = def.c !== undefined ? gfpEval(def.c) : def.bit ? 2 ** GFP_BITS[def.bit] : 0;
  values.set(name, v);
  return v;
}

/**
 * Evaluate a GFP mask written in C (`|`, `&`, `~`, parentheses, GFP names,
 * decimal or hex numbers) with C's precedence, on unsigned 32-bit values as
 * gfp_t is. An unknown name is an error (the types make it a compile error).
 */
export function gfpEval(mask: string | number): number {
  if (typeof mask === "number") {
    if (!Number.isInteger(mask)) throw new TypeError(`GFP mask ${mask} is not an integer`);
    return mask >>> 0;
  }
  const tokens = mask.match(/\s*(0x[0-9a-fA-F]+|\d+|[A-Za-z_][A-Za-z0-9_]*|[|&~()])/gy);
  if (!tokens || tokens.join("").length !== mask.length || mask.trim() === "")
    throw new TypeError(`cannot read GFP mask '${mask}'`);
  const ts = tokens.map((t) => t.trim());
  let i = 0;
  const fail = (why: string): never => {
    throw new TypeError(`${why} in GFP mask '${mask}'`);
  };
  const primary = (): number => {
    const t = ts[i++];
    if (t === undefined) return fail("unexpected end");
    if (t === "~") return ~primary() >>> 0;
    if (t === "(") {
      const v = or();
      if (ts[i++] !== ")") fail("missing ')'");
      return v;
    }
    if (/^(0x[0-9a-fA-F]+|\d+)$/.test(t)) return Number(t) >>> 0;
    if (Object.hasOwn(GFP_DEFINITIONS, t)) return gfpValue(t as GfpName);
    return fail(`unknown GFP flag '${t}'`);
  };
  const and = (): number => {
    let v = primary();
    while (ts[i] === "&") {
      i++;
      v = (v & primary()) >>> 0;
    }
    return v;
  };
  const or = (): number => {
    let v = and();
    while (ts[i] === "|") {
      i++;
      v = (v | and()) >>> 0;
    }
    return v;
  };
  const v = or();
  if (i !== ts.length) fail(`unexpected '${ts[i]}'`);
  return v;
}

/** Whether mask `gfp` has every bit of `flag` (a run-time `gfp & flag`). */
export function gfpHas(gfp: string | number, flag: GfpName): boolean {
  const f = gfpValue(flag);
  return f !== 0 && (gfpEval(gfp) & f) >>> 0 === f;
}

const k = <N extends GfpName>(name: N): Gfp<N> => gfpValue(name) as Gfp<N>;

export const __GFP_DMA = k("__GFP_DMA");
export const __GFP_HIGHMEM = k("__GFP_HIGHMEM");
export const __GFP_DMA32 = k("__GFP_DMA32");
export const __GFP_MOVABLE = k("__GFP_MOVABLE");
export const __GFP_RECLAIMABLE = k("__GFP_RECLAIMABLE");
export const __GFP_HIGH = k("__GFP_HIGH");
export const __GFP_IO = k("__GFP_IO");
export const __GFP_FS = k("__GFP_FS");
export const __GFP_ZERO = k("__GFP_ZERO");
export const __GFP_DIRECT_RECLAIM = k("__GFP_DIRECT_RECLAIM");
export const __GFP_KSWAPD_RECLAIM = k("__GFP_KSWAPD_RECLAIM");
export const __GFP_WRITE = k("__GFP_WRITE");
export const __GFP_NOWARN = k("__GFP_NOWARN");
export const __GFP_RETRY_MAYFAIL = k("__GFP_RETRY_MAYFAIL");
export const __GFP_NOFAIL = k("__GFP_NOFAIL");
export const __GFP_NORETRY = k("__GFP_NORETRY");
export const __GFP_MEMALLOC = k("__GFP_MEMALLOC");
export const __GFP_COMP = k("__GFP_COMP");
export const __GFP_NOMEMALLOC = k("__GFP_NOMEMALLOC");
export const __GFP_HARDWALL = k("__GFP_HARDWALL");
export const __GFP_THISNODE = k("__GFP_THISNODE");
export const __GFP_ACCOUNT = k("__GFP_ACCOUNT");
export const __GFP_ZEROTAGS = k("__GFP_ZEROTAGS");
export const __GFP_NO_OBJ_EXT = k("__GFP_NO_OBJ_EXT");
export const __GFP_SKIP_ZERO = k("__GFP_SKIP_ZERO");
export const __GFP_SKIP_KASAN = k("__GFP_SKIP_KASAN");
export const __GFP_NOLOCKDEP = k("__GFP_NOLOCKDEP");
export const GFP_ZONEMASK = k("GFP_ZONEMASK");
export const __GFP_RECLAIM = k("__GFP_RECLAIM");
export const GFP_ATOMIC = k("GFP_ATOMIC");
export const GFP_KERNEL = k("GFP_KERNEL");
export const GFP_KERNEL_ACCOUNT = k("GFP_KERNEL_ACCOUNT");
export const GFP_NOWAIT = k("GFP_NOWAIT");
export const GFP_NOIO = k("GFP_NOIO");
export const GFP_NOFS = k("GFP_NOFS");
export const GFP_USER = k("GFP_USER");
export const GFP_DMA = k("GFP_DMA");
export const GFP_DMA32 = k("GFP_DMA32");
export const GFP_HIGHUSER = k("GFP_HIGHUSER");
export const GFP_HIGHUSER_MOVABLE = k("GFP_HIGHUSER_MOVABLE");
export const GFP_TRANSHUGE_LIGHT = k("GFP_TRANSHUGE_LIGHT");
export const GFP_TRANSHUGE = k("GFP_TRANSHUGE");
export const GFP_PGTABLE_KERNEL = k("GFP_PGTABLE_KERNEL");
export const GFP_PGTABLE_USER = k("GFP_PGTABLE_USER");
/** __GFP_BITS_MASK = (1 << __GFP_BITS_SHIFT) - 1, __GFP_BITS_SHIFT = ___GFP_LAST_BIT. */
export const __GFP_BITS_MASK: gfp_t = 2 ** GFP_BITS.___GFP_LAST_BIT - 1;
