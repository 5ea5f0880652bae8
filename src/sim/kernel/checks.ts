/**
 * The compile-time forms of the memdesc rules, as types. Each check is
 * `unknown` when the rule holds (or the compiler cannot tell) and, when it is
 * broken, a `Violation`: an object type whose one required property is the
 * finding's sentence (rendered from the rule's template in
 * src/model/findings.ts, so a user's own `tsc` prints "Property 'MD002
 * __free_pages: block allocated at order 2, freed at order 0' is missing"),
 * and whose optional `[memdescFindings]` property holds the finding as data,
 * `{ [rule]: { op, fields } }`. An API parameter typed `Handle & Check1<…> &
 * Check2<…>` then fails with TS2345 and its type carries every failed
 * check at once: the findings of an intersection merge into one record, one
 * entry per rule, which `memdesc check` reads from the parameter's type
 * (src/check/compile.ts), never from the compiler's text.
 *
 * (A property rather than a string literal type, so that the check also
 * works on handles that are numbers, such as kernel addresses and orders,
 * and so that two broken rules are both reported instead of reducing the
 * parameter to `never`.) The run-time checks in the simulator are the
 * backstop for everything these cannot decide (see src/model/rules.ts).
 */
import type { FindingFields, FindingSentence } from "../../model/findings.js";
import type {
  ActivePageTypes,
  AmbiguousPageTypes,
  CompoundOf,
  HandleKind,
  HasFact,
  KindOf,
  OrderOf,
  OwnerOf,
} from "../../model/handles.js";
import type { PageTypeName } from "../../model/page-type.js";
import type { RuleId } from "../../model/rules.js";

declare const memdescFindings: unique symbol;
/** The key of the structured half of a violation (src/check/compile.ts finds it by this name). */
export type MemdescFindingsKey = typeof memdescFindings;

/**
 * A broken rule at a call: the sentence as a required property (what the
 * compiler prints) and the finding as data under `[memdescFindings]`.
 */
export type Violation<R extends RuleId, Op extends string, F extends FindingFields<R>> = {
  readonly [K in FindingSentence<R, Op, F>]: true;
} & Finding<R, Op, F>;

/**
 * The data half of a violation, named so that the compiler prints
 * `Finding<"MD008", "page_folio", { order: 2 }>` rather than its members.
 */
export interface Finding<R extends RuleId, Op extends string, F> {
  readonly [memdescFindings]?: { readonly [K in R]: { readonly op: Op; readonly fields: F } };
}

type IsLiteralNumber<N> = number extends N ? false : [N] extends [never] ? false : true;
type IsSingle<T, U = T> = [T] extends [never]
  ? false
  : T extends unknown
    ? [U] extends [T]
      ? true
      : false
    : never;

/** MD014/MD015: the handle must not have been freed earlier in this function. */
export type Live<H, Fn extends string, Use extends "free" | "use" = "use"> =
  HasFact<H, "freed"> extends true
    ? Use extends "free"
      ? Violation<"MD014", Fn, {}>
      : Violation<"MD015", Fn, {}>
    : unknown;

/** MD002: a literal order at the free must equal a literal order at the allocation. */
export type FreeOrder<H, O extends number, Fn extends string> =
  IsLiteralNumber<OrderOf<H>> extends true
    ? IsLiteralNumber<O> extends true
      ? O extends OrderOf<H>
        ? O
        : O & Violation<"MD002", Fn, { allocOrder: OrderOf<H> & number; freeOrder: O }>
      : O
    : O;

/** MD006: converting to descriptor `K` needs memory of kind `K` (or of unknown kind). */
export type KindIs<H, K extends HandleKind, Fn extends string> =
  IsSingle<KindOf<H>> extends true
    ? KindOf<H> extends K
      ? unknown
      : Violation<"MD006", Fn, { expected: K; actual: KindOf<H> & HandleKind }>
    : unknown;

/** MD008: a non-compound block of order > 0 cannot be a folio or a ptdesc. */
export type WholeAllocation<H, Fn extends string> =
  CompoundOf<H> extends false
    ? IsLiteralNumber<OrderOf<H>> extends true
      ? OrderOf<H> extends 0
        ? unknown
        : Violation<"MD008", Fn, { order: OrderOf<H> & number }>
      : unknown
    : unknown;

/** MD009: a path that frees compound_order(page) pages needs a compound (or order-0) block. */
export type CompoundFree<H, Fn extends string> =
  CompoundOf<H> extends false
    ? IsLiteralNumber<OrderOf<H>> extends true
      ? OrderOf<H> extends 0
        ? unknown
        : Violation<"MD009", Fn, { order: OrderOf<H> & number }>
      : unknown
    : unknown;

/** MD010: split_page() takes a non-compound block. */
export type NotCompound<H, Fn extends string> =
  CompoundOf<H> extends true ? Violation<"MD010", Fn, { block: "compound" }> : unknown;

/** MD003: a page type is set only on an untyped page (setting the same type again is a no-op). */
export type Untyped<H, T extends PageTypeName, Fn extends string> = [
  Exclude<ActivePageTypes<H>, T | AmbiguousPageTypes<H>>,
] extends [never]
  ? unknown
  : Violation<"MD003", Fn, { pageType: Exclude<ActivePageTypes<H>, T> & string }>;

/** MD004: only the type that is set is cleared (clearing an untyped page is a no-op). */
export type TypedAs<H, T extends PageTypeName, Fn extends string> = [
  Exclude<ActivePageTypes<H>, T | AmbiguousPageTypes<H>>,
] extends [never]
  ? unknown
  : Violation<"MD004", Fn, { pageType: Exclude<ActivePageTypes<H>, T> & string; cleared: T }>;

/** MD002 for functions that free exactly one page (__free_page, free_page). */
export type OrderIsZero<H, Fn extends string> =
  HasFact<H, "split"> extends true
    ? unknown
    : IsLiteralNumber<OrderOf<H>> extends true
      ? OrderOf<H> extends 0
        ? unknown
        : Violation<"MD002", Fn, { allocOrder: OrderOf<H> & number; freeOrder: 0 }>
      : unknown;

/** MD011: a page-table constructor runs once. */
export type NotConstructed<H, Fn extends string> =
  HasFact<H, "ctor"> extends true
    ? Violation<"MD011", Fn, { state: "constructed"; needed: "allocated" }>
    : unknown;

/**
 * MD011: using a table (or destructing it) needs a constructed table. Only a
 * handle the compiler knows came from pagetable_alloc() (kind exactly ptdesc,
 * no constructor seen) can be known to be unconstructed; a ptdesc from a list
 * or a parameter is left to the run-time check.
 */
export type Constructed<H, Fn extends string> =
  HasFact<H, "ctor"> extends true
    ? HasFact<H, "dtor"> extends true
      ? Violation<"MD011", Fn, { state: "destructed"; needed: "constructed" }>
      : unknown
    : IsSingle<KindOf<H>> extends true
      ? KindOf<H> extends "ptdesc"
        ? Violation<"MD011", Fn, { state: "allocated"; needed: "constructed" }>
        : unknown
      : unknown;

/** MD012: a plain free needs a table that was never constructed or was destructed. */
export type NotLiveTable<H, Fn extends string> =
  HasFact<H, "ctor"> extends true
    ? HasFact<H, "dtor"> extends true
      ? unknown
      : Violation<"MD012", Fn, {}>
    : unknown;

/** MD013: a kernel page table is never freed by a path that skips the PT_kernel check. */
export type NotKernelTable<H, Fn extends string> =
  OwnerOf<H> extends "kernel" ? Violation<"MD013", Fn, { path: "bypass" }> : unknown;

/**
 * MD013 "unmarked": a kernel page table freed through pagetable_free() without
 * PT_kernel is freed at once. That is a hazard only if the table was ever
 * installed where the IOMMU walks (decision 0007); asm-generic's
 * __pte_alloc_one_kernel() frees a table whose ctor failed exactly this way,
 * correctly (include/asm-generic/pgalloc.h, linux-mm/linux-mm). The compiler
 * cannot see installation, so this is no compile-time finding (decision 0020):
 * the run-time check, which models reachability, decides.
 */
export type KernelTableMarked<_H, _Fn extends string> = unknown;
