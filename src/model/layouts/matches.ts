/**
 * The kernel's layout claims, as data and as compile-time checks.
 *
 * KERNEL_MATCH_ASSERTS transcribes every FOLIO_MATCH / TABLE_MATCH /
 * SLAB_MATCH / ZPDESC_MATCH static_assert that applies under LAYOUT_CONFIG
 * (include/linux/mm_types.h @0199209e47e0, mm/slab.h @129c35f1a42e,
 * mm/zpdesc.h @5a9d2b558f05). In mm_types.h the folio's second, third and
 * fourth page use the same macro name, redefined as
 * `offsetof(struct folio, fl) == offsetof(struct page, pg) + N * sizeof(struct page)`;
 * `page` below is that N.
 *
 * The type-level checks at the bottom re-prove every claim over the `as
 * const` data each time `tsc` runs: a wrong offset is a compile error whose
 * message names the macro, the members and both offsets
 * (TS2344 "Type '"TABLE_MATCH(memcg_data, pt_memcg_data): …"' does not satisfy
 * the constraint 'true'"). test/model/layouts.test.ts checks the same at run
 * time, and test/model/layouts-compile.test.ts proves a wrong copy fails.
 */
import type { Add, LessOrEqual, MultipleOf, Times } from "../type-arith.js";
import type { FINAL } from "./final.js";
import type { INTERIM16 } from "./interim16.js";
import type { INTERIM32 } from "./interim32.js";
import type { TODAY } from "./today.js";
import type { LayoutStruct } from "./types.js";

export type OverlayStruct = Exclude<LayoutStruct, "page">;

/** The macro each overlay's static_asserts use. */
export const MATCH_MACRO = {
  folio: "FOLIO_MATCH",
  ptdesc: "TABLE_MATCH",
  slab: "SLAB_MATCH",
  zpdesc: "ZPDESC_MATCH",
} as const satisfies Record<OverlayStruct, string>;

export interface KernelMatchAssert {
  readonly macro: (typeof MATCH_MACRO)[OverlayStruct];
  readonly struct: OverlayStruct;
  /** Which page of the overlay: offsetof(struct page, pg) + page * sizeof(struct page). */
  readonly page: 0 | 1 | 2 | 3;
  /** The struct page member (`pg`). */
  readonly pg: string;
  /** The overlay's member (`fl`, `pt`, `sl`, `zp`). */
  readonly field: string;
  readonly config?: string;
  readonly file: string;
}

const MM = "include/linux/mm_types.h";
const SL = "mm/slab.h";
const ZP = "mm/zpdesc.h";

export const KERNEL_MATCH_ASSERTS = [
  { macro: "FOLIO_MATCH", struct: "folio", page: 0, pg: "flags", field: "flags", file: MM },
  { macro: "FOLIO_MATCH", struct: "folio", page: 0, pg: "lru", field: "lru", file: MM },
  { macro: "FOLIO_MATCH", struct: "folio", page: 0, pg: "mapping", field: "mapping", file: MM },
  { macro: "FOLIO_MATCH", struct: "folio", page: 0, pg: "compound_info", field: "lru", file: MM },
  { macro: "FOLIO_MATCH", struct: "folio", page: 0, pg: "__folio_index", field: "index", file: MM },
  { macro: "FOLIO_MATCH", struct: "folio", page: 0, pg: "private", field: "private", file: MM },
  { macro: "FOLIO_MATCH", struct: "folio", page: 0, pg: "_mapcount", field: "_mapcount", file: MM },
  { macro: "FOLIO_MATCH", struct: "folio", page: 0, pg: "_refcount", field: "_refcount", file: MM },
  {
    macro: "FOLIO_MATCH",
    struct: "folio",
    page: 0,
    pg: "memcg_data",
    field: "memcg_data",
    config: "CONFIG_MEMCG",
    file: MM,
  },
  { macro: "FOLIO_MATCH", struct: "folio", page: 1, pg: "flags", field: "_flags_1", file: MM },
  { macro: "FOLIO_MATCH", struct: "folio", page: 1, pg: "compound_info", field: "_head_1", file: MM },
  { macro: "FOLIO_MATCH", struct: "folio", page: 1, pg: "_mapcount", field: "_mapcount_1", file: MM },
  { macro: "FOLIO_MATCH", struct: "folio", page: 1, pg: "_refcount", field: "_refcount_1", file: MM },
  { macro: "FOLIO_MATCH", struct: "folio", page: 2, pg: "flags", field: "_flags_2", file: MM },
  { macro: "FOLIO_MATCH", struct: "folio", page: 2, pg: "compound_info", field: "_head_2", file: MM },
  { macro: "FOLIO_MATCH", struct: "folio", page: 3, pg: "flags", field: "_flags_3", file: MM },
  { macro: "FOLIO_MATCH", struct: "folio", page: 3, pg: "compound_info", field: "_head_3", file: MM },

  { macro: "TABLE_MATCH", struct: "ptdesc", page: 0, pg: "flags", field: "pt_flags", file: MM },
  { macro: "TABLE_MATCH", struct: "ptdesc", page: 0, pg: "compound_info", field: "pt_list", file: MM },
  { macro: "TABLE_MATCH", struct: "ptdesc", page: 0, pg: "compound_info", field: "_pt_pad_1", file: MM },
  { macro: "TABLE_MATCH", struct: "ptdesc", page: 0, pg: "mapping", field: "__page_mapping", file: MM },
  { macro: "TABLE_MATCH", struct: "ptdesc", page: 0, pg: "__folio_index", field: "pt_index", file: MM },
  { macro: "TABLE_MATCH", struct: "ptdesc", page: 0, pg: "rcu_head", field: "pt_rcu_head", file: MM },
  { macro: "TABLE_MATCH", struct: "ptdesc", page: 0, pg: "page_type", field: "__page_type", file: MM },
  { macro: "TABLE_MATCH", struct: "ptdesc", page: 0, pg: "_refcount", field: "__page_refcount", file: MM },
  {
    macro: "TABLE_MATCH",
    struct: "ptdesc",
    page: 0,
    pg: "memcg_data",
    field: "pt_memcg_data",
    config: "CONFIG_MEMCG",
    file: MM,
  },

  { macro: "SLAB_MATCH", struct: "slab", page: 0, pg: "flags", field: "flags", file: SL },
  { macro: "SLAB_MATCH", struct: "slab", page: 0, pg: "compound_info", field: "slab_cache", file: SL },
  { macro: "SLAB_MATCH", struct: "slab", page: 0, pg: "_refcount", field: "__page_refcount", file: SL },
  {
    macro: "SLAB_MATCH",
    struct: "slab",
    page: 0,
    pg: "memcg_data",
    field: "obj_exts",
    config: "CONFIG_MEMCG",
    file: SL,
  },

  { macro: "ZPDESC_MATCH", struct: "zpdesc", page: 0, pg: "flags", field: "flags", file: ZP },
  { macro: "ZPDESC_MATCH", struct: "zpdesc", page: 0, pg: "lru", field: "lru", file: ZP },
  { macro: "ZPDESC_MATCH", struct: "zpdesc", page: 0, pg: "mapping", field: "movable_ops", file: ZP },
  { macro: "ZPDESC_MATCH", struct: "zpdesc", page: 0, pg: "private", field: "zspage", file: ZP },
  { macro: "ZPDESC_MATCH", struct: "zpdesc", page: 0, pg: "page_type", field: "first_obj_offset", file: ZP },
  { macro: "ZPDESC_MATCH", struct: "zpdesc", page: 0, pg: "_refcount", field: "_refcount", file: ZP },
] as const satisfies readonly KernelMatchAssert[];

/** The kernel's size bounds on overlays, plus the one zpdesc.h states in prose. */
export const KERNEL_SIZE_ASSERTS = [
  {
    struct: "ptdesc",
    bound: "sizeof(struct page)",
    text: "static_assert(sizeof(struct ptdesc) <= sizeof(struct page))",
    file: MM,
  },
  {
    struct: "slab",
    bound: "sizeof(struct page)",
    text: "static_assert(sizeof(struct slab) <= sizeof(struct page))",
    file: SL,
  },
  {
    struct: "zpdesc",
    bound: "sizeof(struct page)",
    text: "static_assert(sizeof(struct zpdesc) <= sizeof(struct page))",
    file: ZP,
  },
  {
    struct: "zpdesc",
    bound: "offsetof(struct page, memcg_data)",
    text: "zpdesc.h: 'do not expand into the overlap with memcg_data' (a comment, checked by the model)",
    file: ZP,
  },
] as const;

// ---------------------------------------------------------------------------
// Layout lookups.

interface AnyField {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
}
interface AnyLayout {
  readonly struct: string;
  readonly size: number;
  readonly fields: readonly AnyField[];
}

/** The union of a layout's field entries. */
export type FieldsOf<Layout extends AnyLayout> = Layout["fields"][number];

/** offsetof(struct …, Name), or never when the struct has no such member. */
export type OffsetOf<Layout extends AnyLayout, Name extends string> = Extract<
  FieldsOf<Layout>,
  { readonly name: Name }
>["offset"];

/** "page[2].flags" → [2, "flags"]; "flags" → [0, "flags"]. */
type ParseMatch<M extends string> = M extends `page[${infer N extends number}].${infer Member}`
  ? [N, Member]
  : [0, M];

type MacroOf<Struct extends string> = Struct extends OverlayStruct ? (typeof MATCH_MACRO)[Struct] : "MATCH";

/** The sentence for one overlay member that is not where struct page has its partner (never when it is). */
type MatchError<
  Macro extends string,
  Struct extends string,
  Name extends string,
  Offset extends number,
  PageIndex extends number,
  Member extends string,
  PageLayout extends AnyLayout,
> = [OffsetOf<PageLayout, Member>] extends [never]
  ? `${Macro}(${Member}, ${Name}): struct page has no member ${Member}`
  : Add<
        OffsetOf<PageLayout, Member> & number,
        Times<PageIndex, PageLayout["size"]> & number
      > extends infer Want extends number
    ? Offset extends Want
      ? never
      : `${Macro}(${Member}, ${Name}): offsetof(struct ${Struct}, ${Name}) is ${Offset} but offsetof(struct page, ${Member})${PageIndex extends 0 ? "" : ` + ${PageIndex} * sizeof(struct page)`} is ${Want}`
    : never;

/** Every member with a `matches` that does not sit on its struct page partner. */
export type OverlayMatchErrors<Layout extends AnyLayout, PageLayout extends AnyLayout> =
  FieldsOf<Layout> extends infer F
    ? F extends { readonly name: infer Name extends string; readonly offset: infer Off extends number }
      ? F extends { readonly matches: infer M extends string }
        ? ParseMatch<M> extends [infer N extends number, infer Member extends string]
          ? MatchError<MacroOf<Layout["struct"]>, Layout["struct"], Name, Off, N, Member, PageLayout>
          : never
        : never
      : never
    : never;

/** Every member that reaches past the end of its struct. */
export type FieldBoundErrors<Layout extends AnyLayout> =
  FieldsOf<Layout> extends infer F
    ? F extends AnyField
      ? number extends F["offset"] | Layout["size"]
        ? never // a derived layout's computed offsets: checked at run time (layouts.test.ts)
        : LessOrEqual<Add<F["offset"], F["size"]>, Layout["size"]> extends true
          ? never
          : `struct ${Layout["struct"]}: ${F["name"]} (offset ${F["offset"]}, size ${F["size"]}) ends past sizeof(struct ${Layout["struct"]}) = ${Layout["size"]}`
      : never
    : never;

type AssertEntry = {
  readonly macro: string;
  readonly struct: OverlayStruct;
  readonly page: number;
  readonly pg: string;
  readonly field: string;
};

/** Every KERNEL_MATCH_ASSERTS-style entry the given stage's layouts violate. */
export type KernelAssertErrors<
  Asserts extends readonly AssertEntry[],
  Layouts extends { readonly [K in LayoutStruct]: AnyLayout },
> = Asserts[number] extends infer A
  ? A extends AssertEntry
    ? [OffsetOf<Layouts[A["struct"]], A["field"]>] extends [never]
      ? `${A["macro"]}(${A["pg"]}, ${A["field"]}): struct ${A["struct"]} has no member ${A["field"]}`
      : MatchError<
          A["macro"],
          A["struct"],
          A["field"],
          OffsetOf<Layouts[A["struct"]], A["field"]> & number,
          A["page"],
          A["pg"],
          Layouts["page"]
        >
    : never
  : never;

/** `true` when there are no errors, else the error sentences (which then fail `Assert`). */
export type NoErrors<Errors> = [Errors] extends [never] ? true : Errors;

/** Fails to compile (TS2344) unless `Claim` is `true`; the compiler prints the failing sentence. */
export type Assert<Claim extends true> = Claim;

/** All match claims of one overlay against today's struct page. */
export type MatchesOk<Layout extends AnyLayout, PageLayout extends AnyLayout = typeof TODAY.page> = NoErrors<
  OverlayMatchErrors<Layout, PageLayout> | FieldBoundErrors<Layout>
>;

/** `static_assert(sizeof(Layout) <= Bound)`. */
export type SizeAtMost<Layout extends AnyLayout, Bound extends number, BoundText extends string> =
  LessOrEqual<Layout["size"], Bound> extends true
    ? true
    : `static_assert(sizeof(struct ${Layout["struct"]}) <= ${BoundText}): ${Layout["size"]} > ${Bound}`;

/** A separately allocated descriptor is a whole number of 16-byte slab units. */
export type SixteenByteMultiple<Layout extends AnyLayout> =
  MultipleOf<Layout["size"], 16> extends true
    ? true
    : `struct ${Layout["struct"]}: separately allocated descriptors are 16-byte aligned, but sizeof is ${Layout["size"]}`;

/** Every member of every struct of a stage lies inside its struct. */
type StageBounds<Layouts extends { readonly [K in LayoutStruct]: AnyLayout }> = NoErrors<
  { [K in LayoutStruct]: FieldBoundErrors<Layouts[K]> }[LayoutStruct]
>;

// ---------------------------------------------------------------------------
// The checks. Each line is a static_assert over the data; `tsc --noEmit` runs them.

type _FolioMatches = Assert<MatchesOk<typeof TODAY.folio>>;
type _PtdescMatches = Assert<MatchesOk<typeof TODAY.ptdesc>>;
type _SlabMatches = Assert<MatchesOk<typeof TODAY.slab>>;
type _ZpdescMatches = Assert<MatchesOk<typeof TODAY.zpdesc>>;
type _KernelAsserts = Assert<NoErrors<KernelAssertErrors<typeof KERNEL_MATCH_ASSERTS, typeof TODAY>>>;

type _PtdescSize = Assert<SizeAtMost<typeof TODAY.ptdesc, typeof TODAY.page.size, "sizeof(struct page)">>;
type _SlabSize = Assert<SizeAtMost<typeof TODAY.slab, typeof TODAY.page.size, "sizeof(struct page)">>;
type _ZpdescSize = Assert<SizeAtMost<typeof TODAY.zpdesc, typeof TODAY.page.size, "sizeof(struct page)">>;
type _ZpdescBeforeMemcg = Assert<
  SizeAtMost<
    typeof TODAY.zpdesc,
    OffsetOf<typeof TODAY.page, "memcg_data">,
    "offsetof(struct page, memcg_data)"
  >
>;
type _FolioSpansFourPages = Assert<
  typeof TODAY.folio.size extends Times<4, typeof TODAY.page.size>
    ? true
    : "struct folio overlays four struct pages"
>;

type _TodayBounds = Assert<StageBounds<typeof TODAY>>;
type _Interim32Bounds = Assert<StageBounds<typeof INTERIM32>>;
type _Interim16Bounds = Assert<StageBounds<typeof INTERIM16>>;
type _FinalBounds = Assert<StageBounds<typeof FINAL>>;

// struct folio, ptdesc, slab and zpdesc at the later stages are computed by deriveSeparate()
// (derive.ts; decisions 0310, 0303): their offsets and sizes are run-time values, so their 16-byte
// size and slab->freelist's alignment are checked by test/model/layouts.test.ts, not here.

/** Exported so the checks count as used; the type is `true` iff every check above holds. */
export type LayoutChecks = [
  _FolioMatches,
  _PtdescMatches,
  _SlabMatches,
  _ZpdescMatches,
  _KernelAsserts,
  _PtdescSize,
  _SlabSize,
  _ZpdescSize,
  _ZpdescBeforeMemcg,
  _FolioSpansFourPages,
  _TodayBounds,
  _Interim32Bounds,
  _Interim16Bounds,
  _FinalBounds,
];
