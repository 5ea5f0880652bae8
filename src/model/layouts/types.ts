/**
 * The shape of the layout tables: one `StructLayout` per (stage, struct), each
 * field at its byte offset, as pahole would print it for a typical x86-64
 * build (see LAYOUT_CONFIG). The data files (today.ts, separate.ts,
 * interim32.ts, interim16.ts, final.ts) are `as const` and `satisfies` these
 * interfaces, so field names stay literal types: the handle types
 * (`Page`, `Folio`, `Ptdesc`, …) are mapped types over them, and a field that a
 * stage lacks is not a property (MD007).
 *
 * Decisions: docs/decisions/0300-layout-data-shape.md.
 */
import type { Stage } from "../stage.js";

/** The structs the model lays out at every stage. */
export const LAYOUT_STRUCTS = ["page", "folio", "ptdesc", "slab", "zpdesc"] as const;
export type LayoutStruct = (typeof LAYOUT_STRUCTS)[number];

/**
 * The closed set of field kinds the handle types map to TypeScript types.
 * Each names a C type (or a family of C types of one size and meaning).
 */
export const FIELD_TS = {
  flags:
    "memdesc_flags_t, or the unsigned long flags word it replaced: PG_* bits low, node/zone/section high",
  list_head: "struct list_head { next, prev } (16 bytes)",
  pointer: "any pointer (8 bytes), including pgtable_t on x86",
  ulong: "unsigned long / pgoff_t (8 bytes)",
  uint: "unsigned int, also a bitfield of unsigned int (4 bytes)",
  int: "int, or an int typedef such as mm_id_mapcount_t (4 bytes)",
  atomic: "atomic_t, or a 32-bit count the plans write as int / unsigned int (4 bytes)",
  atomic_long: "atomic_long_t (8 bytes)",
  uchar: "unsigned char (1 byte)",
  ushort: "unsigned short (2 bytes)",
  rcu_head: "struct rcu_head { next, func } (16 bytes)",
  spinlock: "spinlock_t without lock debugging (4 bytes)",
  memdesc: "the 8-byte memdesc word: type in bits 0-3, descriptor pointer or inline data above",
  llist_head: "struct llist_head { first } (8 bytes)",
  llist_node: "struct llist_node { next } (8 bytes)",
  swp_entry: "swp_entry_t { unsigned long val } (8 bytes)",
  u128: "freelist_full_t, a u128 for cmpxchg128 (16 bytes)",
  buddy: "struct buddy { unsigned long next, prev } of the 16-byte plan (16 bytes)",
  page: "an embedded struct page (the folio's transitional `page`, `__page_1`…)",
  pad: "padding the source declares as a member",
} as const;
export type FieldTs = keyof typeof FIELD_TS;

/** A bitfield member: bits [shift, shift + width) of the storage unit at `offset`. */
export interface BitfieldLayout {
  readonly shift: number;
  readonly width: number;
}

export interface FieldLayout {
  /** The C member name exactly as the source writes it. */
  readonly name: string;
  /** Bytes from the start of the struct. */
  readonly offset: number;
  /** Bytes (for an array, all elements; for a bitfield, its storage unit). */
  readonly size: number;
  /** The C type as the source writes it (without the array suffix or bit width). */
  readonly ctype: string;
  readonly ts: FieldTs;
  /**
   * The innermost C union this member is an alternative of (an id from
   * `StructLayout.unions`). Absent for members outside any union.
   */
  readonly union?: string;
  /**
   * Within that union, the anonymous struct this member belongs to; members
   * with the same `alt` are laid out one after another, members with
   * different `alt`s (or none) are alternatives at the union's offset.
   */
  readonly alt?: string;
  /** Number of elements when the member is an array (`_mm_id[2]`). */
  readonly count?: number;
  readonly bits?: BitfieldLayout;
  /**
   * For an overlay: the `struct page` member this field must sit on, as the
   * kernel's FOLIO_MATCH / TABLE_MATCH / SLAB_MATCH / ZPDESC_MATCH assert it.
   * "page[N].member" for a member of the (N+1)-th page a folio spans.
   */
  readonly matches?: string;
  /** The kernel configuration this member depends on. */
  readonly config?: string;
  /** Why, with a source. */
  readonly note?: string;
}

/** A C union inside a struct; nested unions name their parent union and alternative. */
export interface UnionLayout {
  readonly id: string;
  readonly offset: number;
  readonly size: number;
  /** The union this one is a member of. */
  readonly parent?: string;
  /** The anonymous struct of the parent union this union belongs to. */
  readonly alt?: string;
  /** What the source's comment calls the union or its alternatives. */
  readonly note?: string;
}

export interface StructLayout {
  readonly struct: LayoutStruct;
  readonly stage: Stage;
  /** sizeof(struct …) in bytes; for a separately allocated descriptor, its slab object size. */
  readonly size: number;
  readonly fields: readonly FieldLayout[];
  readonly unions: readonly UnionLayout[];
  /** Where the layout comes from: kernel file and commit, or the plan it follows. */
  readonly source: string;
  /** true: overlays struct page (today); false: separately allocated (or struct page itself). */
  readonly overlays: boolean;
  /** What in this layout is the model's derivation rather than a quotation of the source. */
  readonly derived?: string;
}

/** The five structs of one stage. */
export type StageLayouts = { readonly [Struct in LayoutStruct]: StructLayout };

/** Every stage. */
export type LayoutTable = { readonly [S in Stage]: StageLayouts };

/** What a member may carry besides name, offset, size, C type and ts tag. */
export type MemberExtras = Pick<
  FieldLayout,
  "union" | "alt" | "count" | "bits" | "matches" | "config" | "note"
>;

/**
 * One struct member on one line, as mm_types.h declares it:
 * `member("lru", 8, 16, "struct list_head", "list_head", { union: "lru" })`.
 * Every argument keeps its literal type, so the handle types and the
 * compile-time *_MATCH checks see the same data an object literal `as const`
 * would give them.
 */
export const member = <
  const Name extends string,
  const Offset extends number,
  const Size extends number,
  const CType extends string,
  const Ts extends FieldTs,
  const Extras extends MemberExtras = {},
>(
  name: Name,
  offset: Offset,
  size: Size,
  ctype: CType,
  ts: Ts,
  extras?: Extras,
): {
  readonly name: Name;
  readonly offset: Offset;
  readonly size: Size;
  readonly ctype: CType;
  readonly ts: Ts;
} & {
  readonly [K in keyof Extras]: Extras[K];
} => {
  // Key order as the tables always wrote it (`layout --json` prints the members as they are).
  const { count, bits, ...rest } = extras ?? ({} as Extras);
  const head = { ...(count === undefined ? {} : { count }), ...(bits === undefined ? {} : { bits }) };
  return { name, offset, size, ...head, ctype, ts, ...rest } as never;
};
