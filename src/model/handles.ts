/**
 * Compile-time handles: the branded types of `struct page *`, `struct folio *`,
 * `struct ptdesc *`, `struct slab *`, `struct zpdesc *` and kernel virtual
 * addresses. One brand symbol carries what the rules need:
 *
 * - the allocation's facts at creation: memdesc kind, order (a number literal,
 *   or `number` when unknown), compound or not, page-table owner;
 * - facts added later in the caller's control flow by assertion functions and
 *   type predicates: freed, constructed/destructed (ptdesc), PT_kernel set or
 *   cleared, page type set or cleared.
 *
 * Facts are only ever added (an intersection narrows a variable), so a check
 * reads "has this fact" rather than "what is the state". A fact that became
 * contradictory (`never`) means the compiler lost track; the run-time check
 * takes over.
 *
 * The fields a handle exposes come from the struct's layout at the selected
 * stage (src/model/layouts, docs/decisions/0003-stage-selection.md), so
 * `page.lru` type-checks at `today` and is TS2339 at `final`, naming the
 * struct and the stage: "Property 'lru' does not exist on type
 * 'struct_page_final<…>'".
 */
import type { FieldTs, LayoutFieldNames, LayoutFieldTs, LayoutOf, LayoutStruct } from "./layouts/index.js";

/** The structs that have handle types: every struct of the layout tables. */
export type HandleStruct = LayoutStruct;

import type { PageTypeName } from "./page-type.js";
import type { Stage } from "./stage.js";

declare const memdesc: unique symbol;
/** The one brand symbol of memdesc; its property holds the handle's facts. */
export type MemdescBrand = typeof memdesc;

declare const ctype: unique symbol;
/**
 * The C pointer type of a handle (`struct page *`, `struct folio *`, …), so
 * that handles of different structs are never interchangeable even where
 * their fields happen to match — as the C compiler keeps them apart.
 */
export interface CType<Name extends string> {
  readonly [ctype]: Name;
}

declare global {
  /**
   * Stage selection: a program selects a stage by declaring the property
   * `stage` here, e.g. `interface MemdescStageSelection { stage: "final" }`
   * (what `memdesc/stages/final.d.ts` contains and what `memdesc check
   * --stage final` injects). Without it the stage is `today`.
   */
  interface MemdescStageSelection {}
}

/** The stage the current program is checked against. */
export type CurrentStage = MemdescStageSelection extends { readonly stage: infer S extends Stage }
  ? S
  : "today";

/** What the memory is, as far as the compiler knows. A union means "not known". */
export type HandleKind = "plain" | "folio" | "ptdesc" | "slab" | "zpdesc";
/** Who a page table belongs to: `init_mm` (kernel) or a user mm. `none` for memory that is no page table. */
export type PgtableOwner = "kernel" | "user" | "none";

/** The facts fixed when a handle is created. */
export interface HandleMeta {
  readonly kind: HandleKind;
  readonly order: number;
  readonly compound: boolean;
  /** Absent for memory that is no page table (owner "none"): see OwnerOf. */
  readonly owner?: PgtableOwner;
}

/** Meta for a handle about which nothing is known (a page from a list, a computed address). */
export interface UnknownMeta extends HandleMeta {
  readonly kind: HandleKind;
  readonly order: number;
  readonly compound: boolean;
  /** Maybe a page table, of either owner (OwnerOf: "kernel" | "user" | "none"). */
  readonly owner?: Exclude<PgtableOwner, "none">;
}

// ---------------------------------------------------------------------------
// Creation facts. Each is a named interface, so that the compiler prints a
// handle as `struct_page_today<Kind<"plain"> & Order<2> & NotCompound>`
// rather than with positional arguments (decision 0322).

/** What the memory is: `Kind<"plain">` (alloc_pages()), `Kind<"ptdesc">` (pagetable_alloc()), … */
export interface Kind<K extends HandleKind> {
  readonly kind: K;
}
/** The allocation order: `Order<2>`, or `Order<number>` when it is not a literal. */
export interface Order<O extends number> {
  readonly order: O;
}
/** A compound block (__GFP_COMP, or a folio): a head page and tails that point at it. */
export interface Compound {
  readonly compound: true;
}
/** Not compound: order 0, or a higher-order block allocated without __GFP_COMP. */
export interface NotCompound {
  readonly compound: false;
}
/** Compound or not: the compiler does not know (a mask that is not a literal). */
export interface MaybeCompound {
  readonly compound: boolean;
}
/** A page table of init_mm. */
export interface KernelPageTable {
  readonly owner: "kernel";
}
/** A page table of a user mm. */
export interface UserPageTable {
  readonly owner: "user";
}
/** A page table whose owner the compiler does not know. */
export interface PageTableOwner<O extends Exclude<PgtableOwner, "none">> {
  readonly owner: O;
}
/** Maybe a page table (owner O), maybe memory that is no page table. */
export interface MaybePageTable<O extends Exclude<PgtableOwner, "none">> {
  readonly owner?: O;
}

/** Indexed rather than conditional, so that a generic meta still satisfies HandleMeta. */
interface CompoundFacts {
  yes: Compound;
  no: NotCompound;
  unknown: MaybeCompound;
}
type CompoundFact<C extends boolean> = CompoundFacts[boolean extends C
  ? "unknown"
  : C extends true
    ? "yes"
    : "no"];
/** Memory that is no page table says nothing about an owner (OwnerOf reads "none"). */
interface OwnerFacts<O extends PgtableOwner> {
  none: unknown;
  kernel: KernelPageTable;
  user: UserPageTable;
  either: PageTableOwner<Extract<O, "kernel" | "user">>;
  maybe: MaybePageTable<Extract<O, "kernel" | "user">>;
}
type OwnerFact<O extends PgtableOwner> = OwnerFacts<O>[[O] extends ["none"]
  ? "none"
  : [O] extends ["kernel"]
    ? "kernel"
    : [O] extends ["user"]
      ? "user"
      : "none" extends O
        ? "maybe"
        : "either"];

/**
 * Build a meta type: `Meta<"plain", 2, false, "none">` is
 * `Kind<"plain"> & Order<2> & NotCompound`. (The always-true conditional
 * keeps the compiler from printing the alias and its positional arguments.)
 */
export type Meta<
  K extends HandleKind = HandleKind,
  O extends number = number,
  C extends boolean = boolean,
  Owner extends PgtableOwner = PgtableOwner,
> = [K] extends [unknown] ? Kind<K> & Order<O> & CompoundFact<C> & OwnerFact<Owner> : never;

/** The brand part of every handle. */
export interface Branded<M> {
  readonly [memdesc]: M;
}

/** Facts added after creation (see module comment), by the name they have in the brand. */
export interface HandleFacts {
  /** The handle was freed (or its reference dropped). */
  readonly freed: true;
  /** ptdesc: a pagetable_*_ctor() succeeded. */
  readonly ctor: true;
  /** ptdesc: pagetable_dtor() ran. */
  readonly dtor: true;
  /** ptdesc: ptdesc_set_kernel() ran (PT_kernel set in pt_flags). */
  readonly PT_kernel: true;
  /** ptdesc: ptdesc_clear_kernel() ran (PT_kernel cleared). */
  readonly PT_kernel_cleared: true;
  /** Page types set (__SetPageX / __folio_set_X): `{ table: true }`. Nested, so facts never contradict. */
  readonly typeSet: { readonly [T in PageTypeName]?: true };
  /** Page types cleared (__ClearPageX). */
  readonly typeCleared: { readonly [T in PageTypeName]?: true };
  /** split_page() made this handle's page an order-0 allocation. */
  readonly split: true;
}
export type FactName = keyof HandleFacts;

// Each fact, named as the compiler prints it in `struct_page_today<…> & Freed`.

/** The handle was freed, or its reference dropped (__free_pages(), put_page(), …). */
export interface Freed extends Branded<{ readonly freed: true }> {}
/** A pagetable_*_ctor() succeeded. */
export interface Constructed extends Branded<{ readonly ctor: true }> {}
/** pagetable_dtor() ran. */
export interface Destructed extends Branded<{ readonly dtor: true }> {}
/** ptdesc_set_kernel() ran: PT_kernel is set in pt_flags. */
export interface PT_kernel extends Branded<{ readonly PT_kernel: true }> {}
/** ptdesc_clear_kernel() ran: PT_kernel is cleared. */
export interface PT_kernel_cleared extends Branded<{ readonly PT_kernel_cleared: true }> {}
/** __SetPageX() / __folio_set_X() ran for each page type T. */
export interface PageTypeSet<T extends PageTypeName>
  extends Branded<{ readonly typeSet: { readonly [P in T]: true } }> {}
/** __ClearPageX() / __folio_clear_X() ran for each page type T. */
export interface PageTypeCleared<T extends PageTypeName>
  extends Branded<{ readonly typeCleared: { readonly [P in T]: true } }> {}
/** split_page() made this handle's page an order-0 allocation. */
export interface SplitPage extends Branded<{ readonly split: true }> {}

interface FactTypes<V> {
  freed: Freed;
  ctor: Constructed;
  dtor: Destructed;
  PT_kernel: PT_kernel;
  PT_kernel_cleared: PT_kernel_cleared;
  typeSet: PageTypeSet<keyof V & PageTypeName>;
  typeCleared: PageTypeCleared<keyof V & PageTypeName>;
  split: SplitPage;
}

/**
 * A fact to intersect into a handle's type: `asserts page is P &
 * WithFact<"freed">`, which the compiler prints as `P & Freed`.
 */
export type WithFact<K extends FactName, V extends HandleFacts[K] = HandleFacts[K]> = [K] extends [unknown]
  ? FactTypes<V>[K]
  : never;

/** The page types named by fact K (`typeSet` or `typeCleared`) of H; never when H lacks it. */
type PageTypesIn<H, K extends "typeSet" | "typeCleared"> =
  FactOf<H, K> extends infer F ? (F extends undefined ? never : keyof F & PageTypeName) : never;
/** The page types set on H and not cleared since (never: untyped or unknown). */
export type ActivePageTypes<H> = Exclude<PageTypesIn<H, "typeSet">, PageTypesIn<H, "typeCleared">>;
/** Page types that were both set and cleared (their current state is not known). */
export type AmbiguousPageTypes<H> = PageTypesIn<H, "typeSet"> & PageTypesIn<H, "typeCleared">;

/** The value of fact K on handle H, or `undefined` when H does not have it (or its brand is contradictory). */
export type FactOf<H, K extends FactName> = [BrandOf<H>] extends [never]
  ? undefined
  : BrandOf<H> extends { readonly [P in K]: infer V }
    ? V
    : undefined;
/** True when H definitely has fact K (a contradictory fact counts as unknown). */
export type HasFact<H, K extends FactName> = [FactOf<H, K>] extends [never]
  ? false
  : FactOf<H, K> extends undefined
    ? false
    : true;

/** The creation facts of a handle. */
export type MetaOf<H> = H extends { readonly [memdesc]: infer M extends HandleMeta }
  ? // A handle converted from an unbranded value (virt_to_page() of a plain `unsigned long`
    // parameter) has brand `never`: the compiler knows nothing about that memory, so its facts
    // are unknown — never "never", which every `X extends true` check would read as a finding.
    [M] extends [never]
    ? UnknownMeta
    : M
  : UnknownMeta;
export type KindOf<H> = MetaOf<H>["kind"];
export type OrderOf<H> = MetaOf<H>["order"];
export type CompoundOf<H> = MetaOf<H>["compound"];
/** The page-table owner of H: "none" when its meta names none (memory that is no page table). */
export type OwnerOf<H> =
  MetaOf<H> extends { readonly owner: infer O extends PgtableOwner }
    ? O
    : MetaOf<H> extends { readonly owner?: infer O }
      ? Extract<O, PgtableOwner> | "none"
      : "none";

// ---------------------------------------------------------------------------
// Field types by tag. Run-time handles read these from the simulated memory map.

/** `struct list_head` embedded in a page or descriptor. */
export interface list_head {
  readonly __list_head: true;
}
/** `memdesc_flags_t` (53fbef56e07d): `{ unsigned long f; }`. */
export interface memdesc_flags_t {
  f: number;
}
/** `struct rcu_head`. */
export interface rcu_head {
  readonly __rcu_head: true;
}
/** `spinlock_t` (or the pointer to it with ALLOC_SPLIT_PTLOCKS). */
export interface spinlock_t {
  readonly __spinlock: true;
}
/** `struct llist_head`. */
export interface llist_head {
  readonly __llist_head: true;
}
/** An opaque kernel pointer; `null` is NULL. */
export type kptr = number;

export interface FieldTsMap {
  flags: memdesc_flags_t;
  list_head: list_head;
  pointer: kptr | null;
  ulong: number;
  uint: number;
  int: number;
  atomic: number;
  uchar: number;
  ushort: number;
  rcu_head: rcu_head;
  spinlock: spinlock_t;
  memdesc: bigint;
  llist_head: llist_head;
  llist_node: llist_head;
  atomic_long: number;
  swp_entry: { val: number };
  u128: bigint;
  buddy: { next: number; prev: number };
  /** An embedded struct page (the folio's `page`, `__page_1` …): `&folio->page` is a struct page *. */
  page: StructHandle<"page">;
  pad: unknown;
}

/**
 * A pointer member by its C type: `struct zpdesc *next` holds a zpdesc handle (what
 * create_page_chain() stores: `prev_zpdesc->next = zpdesc`), a pointer to another struct the
 * model has no handle for (`struct zspage *`, `struct mm_struct *`) holds an address or the
 * object that stands for that struct in the user's code; any other pointer is an address.
 */
type PointerMember<C> = C extends `struct ${infer X} *`
  ? X extends HandleStruct
    ? StructHandle<X> | null
    : kptr | object | null
  : kptr | null;

/** The members of `struct K` at stage S, typed. */
export type StructFields<S extends Stage, K extends HandleStruct> = {
  -readonly [N in LayoutFieldNames<S, K>]: LayoutFieldTs<S, K, N> extends infer T extends FieldTs
    ? T extends "pointer"
      ? PointerMember<Extract<LayoutOf<S, K>["fields"][number], { readonly name: N }>["ctype"]>
      : FieldTsMap[T]
    : never;
};

// ---------------------------------------------------------------------------
// One interface per struct and stage, so compiler messages name both
// ("Property 'lru' does not exist on type 'struct_page_final<…>'"). What a
// handle is comes from one generic type over the layout table, StructBase;
// each line below only gives it the name the compiler prints (a mapped type
// has no name to print: decision 0321). StructsAt checks that every struct
// of the layout table has a handle at every stage.

/** `struct K *` at stage S with facts M: the struct's members at S, the brand, the C pointer type. */
type StructBase<S extends Stage, K extends HandleStruct, M> = StructFields<S, K> &
  Branded<M> &
  CType<`struct ${K} *`>;

export interface struct_page_today<M> extends StructBase<"today", "page", M> {}
export interface struct_page_interim32<M> extends StructBase<"interim32", "page", M> {}
export interface struct_page_interim16<M> extends StructBase<"interim16", "page", M> {}
export interface struct_page_final<M> extends StructBase<"final", "page", M> {}
export interface struct_folio_today<M> extends StructBase<"today", "folio", M> {}
export interface struct_folio_interim32<M> extends StructBase<"interim32", "folio", M> {}
export interface struct_folio_interim16<M> extends StructBase<"interim16", "folio", M> {}
export interface struct_folio_final<M> extends StructBase<"final", "folio", M> {}
export interface struct_ptdesc_today<M> extends StructBase<"today", "ptdesc", M> {}
export interface struct_ptdesc_interim32<M> extends StructBase<"interim32", "ptdesc", M> {}
export interface struct_ptdesc_interim16<M> extends StructBase<"interim16", "ptdesc", M> {}
export interface struct_ptdesc_final<M> extends StructBase<"final", "ptdesc", M> {}
export interface struct_slab_today<M> extends StructBase<"today", "slab", M> {}
export interface struct_slab_interim32<M> extends StructBase<"interim32", "slab", M> {}
export interface struct_slab_interim16<M> extends StructBase<"interim16", "slab", M> {}
export interface struct_slab_final<M> extends StructBase<"final", "slab", M> {}
export interface struct_zpdesc_today<M> extends StructBase<"today", "zpdesc", M> {}
export interface struct_zpdesc_interim32<M> extends StructBase<"interim32", "zpdesc", M> {}
export interface struct_zpdesc_interim16<M> extends StructBase<"interim16", "zpdesc", M> {}
export interface struct_zpdesc_final<M> extends StructBase<"final", "zpdesc", M> {}

interface StructsAt<M> {
  today: {
    page: struct_page_today<M>;
    folio: struct_folio_today<M>;
    ptdesc: struct_ptdesc_today<M>;
    slab: struct_slab_today<M>;
    zpdesc: struct_zpdesc_today<M>;
  };
  interim32: {
    page: struct_page_interim32<M>;
    folio: struct_folio_interim32<M>;
    ptdesc: struct_ptdesc_interim32<M>;
    slab: struct_slab_interim32<M>;
    zpdesc: struct_zpdesc_interim32<M>;
  };
  interim16: {
    page: struct_page_interim16<M>;
    folio: struct_folio_interim16<M>;
    ptdesc: struct_ptdesc_interim16<M>;
    slab: struct_slab_interim16<M>;
    zpdesc: struct_zpdesc_interim16<M>;
  };
  final: {
    page: struct_page_final<M>;
    folio: struct_folio_final<M>;
    ptdesc: struct_ptdesc_final<M>;
    slab: struct_slab_final<M>;
    zpdesc: struct_zpdesc_final<M>;
  };
}
/** Compile-time guard: StructsAt has exactly the stages and structs of the layout tables. */
type Exactly<A, B> = [A, B] extends [B, A] ? true : false;
type IsTrue<T extends true> = T;
export type StructsAtIsComplete = [
  IsTrue<Exactly<keyof StructsAt<unknown>, Stage>>,
  IsTrue<Exactly<{ [S in Stage]: Exactly<keyof StructsAt<unknown>[S], HandleStruct> }[Stage], true>>,
];

/** The structs of the current stage. */
type StageStructs<M> = CurrentStage extends infer S extends keyof StructsAt<M> ? StructsAt<M>[S] : never;

/** `struct K *` at the current stage with facts M. */
export type StructHandle<K extends HandleStruct, M = UnknownMeta> = StageStructs<M>[K];

/**
 * The whole brand of a handle: its creation meta and every fact added since. An `any` (a C
 * `pte_t *` the front end cannot type) is a handle about which nothing is known: UnknownMeta,
 * not the `unknown` the conditional would give, which no handle parameter accepts.
 */
export type BrandOf<H> = 0 extends 1 & H
  ? UnknownMeta
  : H extends { readonly [memdesc]: infer B }
    ? B
    : never;

/**
 * `struct K *` pointing at the same memory as handle H, keeping everything the
 * compiler knows about it (page_ptdesc(), ptdesc_page(), page_folio(), …).
 */
export type ConvertTo<K extends HandleStruct, H> = 0 extends 1 & H
  ? // From an `any` (an opaque value of a C translation): nothing is known, as for an unbranded value.
    StageStructs<UnknownMeta>[K]
  : StageStructs<BrandOf<H>>[K];

/** `struct page *`. */
export type Page<M = UnknownMeta> = StructHandle<"page", M>;
/** `struct folio *`: always a whole allocation (compound, or order 0). */
export type Folio<M = UnknownMeta> = StructHandle<"folio", M>;
/** `struct ptdesc *`. */
export type Ptdesc<M = UnknownMeta> = StructHandle<"ptdesc", M>;
/** `struct slab *`. */
export type Slab<M = UnknownMeta> = StructHandle<"slab", M>;
/** `struct zpdesc *`. */
export type Zpdesc<M = UnknownMeta> = StructHandle<"zpdesc", M>;

/** Any handle of any struct (for generic constraints). The PFN is read with page_to_pfn()/folio_pfn(), as in C. */
export type AnyHandle = Branded<HandleMeta>;

/**
 * A kernel virtual address in the direct map (`void *`, `pte_t *`, `unsigned
 * long addr`) that remembers which allocation it points into, so
 * `free_pages(addr, order)` and `pte_free_kernel(mm, pte)` are checked like
 * their page-handle twins. At run time it is a plain number.
 */
export type KernelAddress<M = UnknownMeta> = number & Branded<M>;
