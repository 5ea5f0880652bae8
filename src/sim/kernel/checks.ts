/**
 * The compile-time forms of the memdesc rules, as types. Each check is
 * `unknown` when the rule holds (or the compiler cannot tell) and, when it is
 * broken, an object type whose one required property is a sentence carrying
 * the rule ID: an API parameter typed `Handle & Check<Handle>` then fails
 * with TS2345, and the compiler's own message names the missing property —
 * the sentence. (A property rather than a string literal type, so that the
 * check also works on handles that are numbers, such as kernel addresses,
 * and so that two broken rules are both reported instead of reducing the
 * parameter to `never`.) The run-time checks in the simulator are the
 * backstop for everything these cannot decide (see src/model/rules.ts).
 */
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

/** A broken rule: a type whose one required property is the rule's sentence. */
export type Violation<Sentence extends string> = { readonly [K in Sentence]: true };

type IsLiteralNumber<N> = number extends N ? false : [N] extends [never] ? false : true;
type IsSingle<T, U = T> = [T] extends [never]
  ? false
  : T extends unknown
    ? [U] extends [T]
      ? true
      : false
    : never;

/** What to call memory of each kind in a sentence. */
export interface KindPhrase {
  plain: "plain pages (alloc_pages)";
  folio: "a folio";
  ptdesc: "a page table (pagetable_alloc)";
  slab: "a slab";
  zpdesc: "zsmalloc memory (zpdesc)";
}

/** MD014/MD015: the handle must not have been freed earlier in this function. */
export type Live<H, Fn extends string, Use extends "free" | "use" = "use"> =
  HasFact<H, "freed"> extends true
    ? Use extends "free"
      ? Violation<`MD014 ${Fn}: double free — this was already freed earlier in this function`>
      : Violation<`MD015 ${Fn}: use after free — this was freed earlier in this function`>
    : unknown;

/** MD002: a literal order at the free must equal a literal order at the allocation. */
export type FreeOrder<H, O extends number, Fn extends string> =
  IsLiteralNumber<OrderOf<H>> extends true
    ? IsLiteralNumber<O> extends true
      ? O extends OrderOf<H>
        ? O
        : `MD002 ${Fn}: block allocated at order ${OrderOf<H> & number}, freed at order ${O}`
      : O
    : O;

/** MD006: converting to descriptor `K` needs memory of kind `K` (or of unknown kind). */
export type KindIs<H, K extends HandleKind, Fn extends string> =
  IsSingle<KindOf<H>> extends true
    ? KindOf<H> extends K
      ? unknown
      : Violation<`MD006 ${Fn}: this memory was allocated as ${KindPhrase[KindOf<H> & HandleKind]}, not as ${KindPhrase[K]}`>
    : unknown;

/** MD008: a non-compound block of order > 0 cannot be a folio or a ptdesc. */
export type WholeAllocation<H, Fn extends string> =
  CompoundOf<H> extends false
    ? IsLiteralNumber<OrderOf<H>> extends true
      ? OrderOf<H> extends 0
        ? unknown
        : Violation<`MD008 ${Fn}: the block was allocated at order ${OrderOf<H> & number} without __GFP_COMP; a non-compound block cannot become a folio or a ptdesc`>
      : unknown
    : unknown;

/** MD009: a path that frees compound_order(page) pages needs a compound (or order-0) block. */
export type CompoundFree<H, Fn extends string> =
  CompoundOf<H> extends false
    ? IsLiteralNumber<OrderOf<H>> extends true
      ? OrderOf<H> extends 0
        ? unknown
        : Violation<`MD009 ${Fn}: frees compound_order() = 0 pages of an order-${OrderOf<H> & number} block allocated without __GFP_COMP; the other pages leak`>
      : unknown
    : unknown;

/** MD010: split_page() takes a non-compound block. */
export type NotCompound<H, Fn extends string> =
  CompoundOf<H> extends true
    ? Violation<`MD010 ${Fn}: the block is compound (__GFP_COMP or a folio); split_page() only splits non-compound blocks`>
    : unknown;

/** MD003: a page type is set only on an untyped page (setting the same type again is a no-op). */
export type Untyped<H, T extends PageTypeName, Fn extends string> = [
  Exclude<ActivePageTypes<H>, T | AmbiguousPageTypes<H>>,
] extends [never]
  ? unknown
  : Violation<`MD003 ${Fn}: the page already has page type '${Exclude<ActivePageTypes<H>, T> & string}'; a page has one type at a time`>;

/** MD004: only the type that is set is cleared (clearing an untyped page is a no-op). */
export type TypedAs<H, T extends PageTypeName, Fn extends string> = [
  Exclude<ActivePageTypes<H>, T | AmbiguousPageTypes<H>>,
] extends [never]
  ? unknown
  : Violation<`MD004 ${Fn}: the page has page type '${Exclude<ActivePageTypes<H>, T> & string}', not '${T}'`>;

/** MD002 for functions that free exactly one page (__free_page, free_page). */
export type OrderIsZero<H, Fn extends string> =
  HasFact<H, "split"> extends true
    ? unknown
    : IsLiteralNumber<OrderOf<H>> extends true
      ? OrderOf<H> extends 0
        ? unknown
        : Violation<`MD002 ${Fn}: block allocated at order ${OrderOf<H> & number}, freed at order 0`>
      : unknown;

/** MD011: a page-table constructor runs once. */
export type NotConstructed<H, Fn extends string> =
  HasFact<H, "ctor"> extends true
    ? Violation<`MD011 ${Fn}: this page table was already constructed; a second constructor leaks its split lock`>
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
      ? Violation<`MD011 ${Fn}: this page table was already destructed (pagetable_dtor)`>
      : unknown
    : IsSingle<KindOf<H>> extends true
      ? KindOf<H> extends "ptdesc"
        ? Violation<`MD011 ${Fn}: this page table was not constructed (call pagetable_pte_ctor()/pagetable_pmd_ctor()/… after pagetable_alloc())`>
        : unknown
      : unknown;

/** MD012: a plain free needs a table that was never constructed or was destructed. */
export type NotLiveTable<H, Fn extends string> =
  HasFact<H, "ctor"> extends true
    ? HasFact<H, "dtor"> extends true
      ? unknown
      : Violation<`MD012 ${Fn}: this page table is still constructed; use pagetable_dtor_free(), or pagetable_dtor() first`>
    : unknown;

/** MD013: a kernel page table is never freed by a path that skips the PT_kernel check. */
export type NotKernelTable<H, Fn extends string> =
  OwnerOf<H> extends "kernel"
    ? Violation<`MD013 ${Fn}: this is a kernel page table; free it with pagetable_free()/pagetable_dtor_free() so the free waits for the IOMMU invalidation`>
    : unknown;

/** MD013: a kernel page table freed through pagetable_free() must carry PT_kernel (ptdesc_set_kernel at allocation). */
export type KernelTableMarked<H, Fn extends string> =
  OwnerOf<H> extends "kernel"
    ? HasFact<H, "kmark"> extends true
      ? unknown
      : Violation<`MD013 ${Fn}: this kernel page table was never marked with ptdesc_set_kernel(); pagetable_free() frees it at once, before the IOMMU is invalidated`>
    : unknown;
