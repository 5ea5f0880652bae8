/**
 * Which C members each struct has at each stage, and the TypeScript type of
 * each — the bridge from the layout tables to the handle types.
 *
 * PROVISIONAL: until the layout tables (src/model/layouts) land, this file
 * carries the member names of kernel-facts.md §2 for `today` and of the
 * published plans for the later stages. It will be derived from LAYOUTS.
 */
import type { Stage } from "./stage.js";

/** The structs that have handle types. */
export type HandleStruct = "page" | "folio" | "ptdesc" | "slab" | "zpdesc";

/** The closed set of field type tags the layouts use. */
export type FieldTs =
  | "flags"
  | "list_head"
  | "pointer"
  | "ulong"
  | "uint"
  | "int"
  | "atomic"
  | "uchar"
  | "ushort"
  | "rcu_head"
  | "spinlock"
  | "memdesc"
  | "llist_head"
  | "pad";

type F<Names extends string, T extends FieldTs> = { readonly [N in Names]: T };

type PageToday = F<"flags", "flags"> &
  F<"lru" | "buddy_list" | "pcp_list", "list_head"> &
  F<"compound_info" | "private" | "__folio_index" | "memcg_data", "ulong"> &
  F<"mapping", "pointer"> &
  F<"page_type", "uint"> &
  F<"_mapcount" | "_refcount", "atomic">;
type FolioToday = F<"flags", "flags"> &
  F<"lru" | "_deferred_list", "list_head"> &
  F<"mapping", "pointer"> &
  F<"index" | "private" | "memcg_data" | "_flags_1", "ulong"> &
  F<"_mapcount" | "_refcount" | "_large_mapcount" | "_pincount" | "_entire_mapcount", "atomic">;
type PtdescToday = F<"pt_flags", "flags"> &
  F<"pt_list", "list_head"> &
  F<"pt_rcu_head", "rcu_head"> &
  F<"pmd_huge_pte" | "pt_mm" | "__page_mapping", "pointer"> &
  F<"pt_index" | "pt_memcg_data", "ulong"> &
  F<"pt_frag_refcount" | "pt_share_count" | "__page_refcount", "atomic"> &
  F<"ptl", "spinlock"> &
  F<"__page_type", "uint">;
type SlabToday = F<"flags", "flags"> &
  F<"slab_list", "list_head"> &
  F<"slab_cache" | "freelist", "pointer"> &
  F<"counters" | "obj_exts", "ulong"> &
  F<"__page_type", "uint"> &
  F<"__page_refcount", "atomic">;
type ZpdescToday = F<"flags", "flags"> &
  F<"lru", "list_head"> &
  F<"movable_ops" | "next" | "zspage", "pointer"> &
  F<"handle", "ulong"> &
  F<"first_obj_offset", "uint"> &
  F<"_refcount", "atomic">;
type FolioSeparate = F<"flags", "flags"> &
  F<"lru", "list_head"> &
  F<"mapping", "pointer"> &
  F<"index" | "private" | "pfn" | "memcg_data", "ulong"> &
  F<"_refcount" | "_mapcount" | "_pincount", "atomic"> &
  F<"order", "uchar">;
type PtdescSeparate = Omit<PtdescToday, "__page_mapping" | "__page_type" | "__page_refcount"> &
  F<"pfn", "ulong">;
type SlabSeparate = Omit<SlabToday, "__page_type" | "__page_refcount"> & F<"pfn", "ulong">;
type ZpdescSeparate = Omit<ZpdescToday, "_refcount"> & F<"pfn", "ulong">;

interface FieldsByStage {
  today: { page: PageToday; folio: FolioToday; ptdesc: PtdescToday; slab: SlabToday; zpdesc: ZpdescToday };
  interim32: {
    page: F<"flags", "flags"> &
      F<"buddy_list" | "pcp_list", "list_head"> &
      F<"memdesc", "memdesc"> &
      F<"private", "ulong"> &
      F<"_refcount" | "_mapcount", "atomic">;
    folio: FolioSeparate;
    ptdesc: PtdescSeparate;
    slab: SlabSeparate;
    zpdesc: ZpdescSeparate;
  };
  interim16: {
    page: F<"buddy_list", "list_head"> & F<"memdesc", "memdesc"> & F<"private", "ulong">;
    folio: FolioSeparate;
    ptdesc: PtdescSeparate;
    slab: SlabSeparate;
    zpdesc: ZpdescSeparate;
  };
  final: {
    page: F<"memdesc", "memdesc">;
    folio: FolioSeparate;
    ptdesc: PtdescSeparate;
    slab: SlabSeparate;
    zpdesc: ZpdescSeparate;
  };
}

/** The C member names of `struct K` at stage S. */
export type LayoutFieldNames<S extends Stage, K extends HandleStruct> = keyof FieldsByStage[S][K] & string;
/** The type tag of member N of `struct K` at stage S. */
export type LayoutFieldTs<
  S extends Stage,
  K extends HandleStruct,
  N extends string,
> = FieldsByStage[S][K] extends { readonly [P in N]: infer T } ? T : never;
