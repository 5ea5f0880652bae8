/**
 * Page types (include/linux/page-flags.h PAGE_TYPE_OPS / FOLIO_TYPE_OPS),
 * generated from the model's PAGE_TYPE_TABLE: one line per kernel
 * declaration, the accessor names and their types derived from the table's
 * uname/fname. PageX() tests the top byte of page_type, __SetPageX() sets a
 * type only on an untyped page (MD003), __ClearPageX() clears only type X
 * (MD004). As in the kernel, PAGE_TYPE_OPS includes FOLIO_TYPE_OPS, so every
 * type has its folio_test_X/__folio_set_X/__folio_clear_X forms too.
 */
import type { Folio, Meta, WithFact } from "../../model/handles.js";
import { PAGE_TYPE_NONE, PAGE_TYPE_TABLE, type PageTypeName, pageTypeInfo } from "../../model/page-type.js";
import type { Live, TypedAs, Untyped } from "./checks.js";
import { pfnOf } from "./objects.js";
import type { AnyPage } from "./page.js";
import { machine } from "./port.js";

type AnyFolio = Folio<Meta>;

/** Signature of PageX(page). */
export type TestPageType = (page: AnyPage) => boolean;
/** Signature of __SetPageX(page) for type T. */
export type SetPageType<T extends PageTypeName, Fn extends string> = <const P extends AnyPage>(
  page: P & Live<P, Fn> & Untyped<P, T, Fn>,
) => asserts page is P & Live<P, Fn> & Untyped<P, T, Fn> & WithFact<"typeSet", { readonly [K in T]: true }>;
/** Signature of __ClearPageX(page) for type T. */
export type ClearPageType<T extends PageTypeName, Fn extends string> = <const P extends AnyPage>(
  page: P & Live<P, Fn> & TypedAs<P, T, Fn>,
) => asserts page is P &
  Live<P, Fn> &
  TypedAs<P, T, Fn> &
  WithFact<"typeCleared", { readonly [K in T]: true }>;
/** Signature of folio_test_X(folio). */
export type TestFolioType = (folio: AnyFolio) => boolean;
/** Signature of __folio_set_X(folio). */
export type SetFolioType<T extends PageTypeName, Fn extends string> = <const F extends AnyFolio>(
  folio: F & Live<F, Fn> & Untyped<F, T, Fn>,
) => asserts folio is F & Live<F, Fn> & Untyped<F, T, Fn> & WithFact<"typeSet", { readonly [K in T]: true }>;
/** Signature of __folio_clear_X(folio). */
export type ClearFolioType<T extends PageTypeName, Fn extends string> = <const F extends AnyFolio>(
  folio: F & Live<F, Fn> & TypedAs<F, T, Fn>,
) => asserts folio is F &
  Live<F, Fn> &
  TypedAs<F, T, Fn> &
  WithFact<"typeCleared", { readonly [K in T]: true }>;

const test = (type: PageTypeName) => (h: unknown) =>
  machine().pageTypeWord(pfnOf(h)) >>> 24 === pageTypeInfo(type).pgty;
const set = (type: PageTypeName, op: string) => (h: unknown) => machine().setPageType(op, pfnOf(h), type);
const clear = (type: PageTypeName, op: string) => (h: unknown) => machine().clearPageType(op, pfnOf(h), type);

/**
 * page_has_type(page): page_type holds a type (top byte 0x80–0xfe), not a mapcount.
 *
 * @c static inline bool page_has_type(const struct page *page)
 * @kernel include/linux/page-flags.h
 */
export function page_has_type(page: AnyPage): boolean {
  const v = machine().pageTypeWord(pfnOf(page));
  return v !== PAGE_TYPE_NONE && v >>> 24 >= 0x80 && v >>> 24 < 0xff;
}

type Row = (typeof PAGE_TYPE_TABLE)[number];
type WithUname = Extract<Row, { readonly uname: string }>;

/**
 * Every accessor name PAGE_TYPE_OPS(uname, lname, fname) and
 * FOLIO_TYPE_OPS(lname, fname) generate from the table: PageX, __SetPageX,
 * __ClearPageX for a line with a uname, folio_test_x, __folio_set_x,
 * __folio_clear_x for every line.
 */
export type PageTypeAccessorName =
  | `${"Page" | "__SetPage" | "__ClearPage"}${WithUname["uname"]}`
  | `${"folio_test_" | "__folio_set_" | "__folio_clear_"}${Row["fname"]}`;

/** The accessor's signature, its page type read from the table line the name comes from. */
export type PageTypeAccessor<Name extends PageTypeAccessorName> = Name extends `__SetPage${infer U}`
  ? SetPageType<Extract<WithUname, { readonly uname: U }>["name"], Name>
  : Name extends `__ClearPage${infer U}`
    ? ClearPageType<Extract<WithUname, { readonly uname: U }>["name"], Name>
    : Name extends `Page${string}`
      ? TestPageType
      : Name extends `__folio_set_${infer F}`
        ? SetFolioType<Extract<Row, { readonly fname: F }>["name"], Name>
        : Name extends `__folio_clear_${infer F}`
          ? ClearFolioType<Extract<Row, { readonly fname: F }>["name"], Name>
          : TestFolioType;

const FORMS = [
  ["__SetPage", "uname", set],
  ["__ClearPage", "uname", clear],
  ["Page", "uname", (t: PageTypeName) => test(t)],
  ["__folio_set_", "fname", set],
  ["__folio_clear_", "fname", clear],
  ["folio_test_", "fname", (t: PageTypeName) => test(t)],
] as const;

/** The accessor `name` as PAGE_TYPE_OPS/FOLIO_TYPE_OPS generate it from its table line. */
function accessor<const Name extends PageTypeAccessorName>(name: Name): PageTypeAccessor<Name> {
  for (const [prefix, column, make] of FORMS) {
    if (!name.startsWith(prefix)) continue;
    const row = PAGE_TYPE_TABLE.find((t) => t[column] === name.slice(prefix.length));
    if (row) return make(row.name, name) as unknown as PageTypeAccessor<Name>;
  }
  throw new Error(`${name} is generated by no PAGE_TYPE_OPS/FOLIO_TYPE_OPS line`);
}

// PAGE_TYPE_OPS / FOLIO_TYPE_OPS of include/linux/page-flags.h, in enum pagetype order. Each line
// names one accessor (TypeScript requires an explicit annotation on every assertion function it
// calls, so a destructuring per page type will not do); its page type and signature come from the
// table line the name belongs to, and a name no line generates does not compile.
// PAGE_TYPE_OPS(Buddy, buddy, buddy)
export const PageBuddy: PageTypeAccessor<"PageBuddy"> = accessor("PageBuddy");
export const __SetPageBuddy: PageTypeAccessor<"__SetPageBuddy"> = accessor("__SetPageBuddy");
export const __ClearPageBuddy: PageTypeAccessor<"__ClearPageBuddy"> = accessor("__ClearPageBuddy");
export const folio_test_buddy: PageTypeAccessor<"folio_test_buddy"> = accessor("folio_test_buddy");
export const __folio_set_buddy: PageTypeAccessor<"__folio_set_buddy"> = accessor("__folio_set_buddy");
export const __folio_clear_buddy: PageTypeAccessor<"__folio_clear_buddy"> = accessor("__folio_clear_buddy");
// PAGE_TYPE_OPS(Offline, offline, offline)
export const PageOffline: PageTypeAccessor<"PageOffline"> = accessor("PageOffline");
export const __SetPageOffline: PageTypeAccessor<"__SetPageOffline"> = accessor("__SetPageOffline");
export const __ClearPageOffline: PageTypeAccessor<"__ClearPageOffline"> = accessor("__ClearPageOffline");
export const folio_test_offline: PageTypeAccessor<"folio_test_offline"> = accessor("folio_test_offline");
export const __folio_set_offline: PageTypeAccessor<"__folio_set_offline"> = accessor("__folio_set_offline");
export const __folio_clear_offline: PageTypeAccessor<"__folio_clear_offline"> =
  accessor("__folio_clear_offline");
// PAGE_TYPE_OPS(Table, table, pgtable)
export const PageTable: PageTypeAccessor<"PageTable"> = accessor("PageTable");
export const __SetPageTable: PageTypeAccessor<"__SetPageTable"> = accessor("__SetPageTable");
export const __ClearPageTable: PageTypeAccessor<"__ClearPageTable"> = accessor("__ClearPageTable");
export const folio_test_pgtable: PageTypeAccessor<"folio_test_pgtable"> = accessor("folio_test_pgtable");
export const __folio_set_pgtable: PageTypeAccessor<"__folio_set_pgtable"> = accessor("__folio_set_pgtable");
export const __folio_clear_pgtable: PageTypeAccessor<"__folio_clear_pgtable"> =
  accessor("__folio_clear_pgtable");
// PAGE_TYPE_OPS(Guard, guard, guard)
export const PageGuard: PageTypeAccessor<"PageGuard"> = accessor("PageGuard");
export const __SetPageGuard: PageTypeAccessor<"__SetPageGuard"> = accessor("__SetPageGuard");
export const __ClearPageGuard: PageTypeAccessor<"__ClearPageGuard"> = accessor("__ClearPageGuard");
export const folio_test_guard: PageTypeAccessor<"folio_test_guard"> = accessor("folio_test_guard");
export const __folio_set_guard: PageTypeAccessor<"__folio_set_guard"> = accessor("__folio_set_guard");
export const __folio_clear_guard: PageTypeAccessor<"__folio_clear_guard"> = accessor("__folio_clear_guard");
// FOLIO_TYPE_OPS(hugetlb, hugetlb)
export const folio_test_hugetlb: PageTypeAccessor<"folio_test_hugetlb"> = accessor("folio_test_hugetlb");
export const __folio_set_hugetlb: PageTypeAccessor<"__folio_set_hugetlb"> = accessor("__folio_set_hugetlb");
export const __folio_clear_hugetlb: PageTypeAccessor<"__folio_clear_hugetlb"> =
  accessor("__folio_clear_hugetlb");
// PAGE_TYPE_OPS(Slab, slab, slab)
export const PageSlab: PageTypeAccessor<"PageSlab"> = accessor("PageSlab");
export const __SetPageSlab: PageTypeAccessor<"__SetPageSlab"> = accessor("__SetPageSlab");
export const __ClearPageSlab: PageTypeAccessor<"__ClearPageSlab"> = accessor("__ClearPageSlab");
export const folio_test_slab: PageTypeAccessor<"folio_test_slab"> = accessor("folio_test_slab");
export const __folio_set_slab: PageTypeAccessor<"__folio_set_slab"> = accessor("__folio_set_slab");
export const __folio_clear_slab: PageTypeAccessor<"__folio_clear_slab"> = accessor("__folio_clear_slab");
// PAGE_TYPE_OPS(Zsmalloc, zsmalloc, zsmalloc)
export const PageZsmalloc: PageTypeAccessor<"PageZsmalloc"> = accessor("PageZsmalloc");
export const __SetPageZsmalloc: PageTypeAccessor<"__SetPageZsmalloc"> = accessor("__SetPageZsmalloc");
export const __ClearPageZsmalloc: PageTypeAccessor<"__ClearPageZsmalloc"> = accessor("__ClearPageZsmalloc");
export const folio_test_zsmalloc: PageTypeAccessor<"folio_test_zsmalloc"> = accessor("folio_test_zsmalloc");
export const __folio_set_zsmalloc: PageTypeAccessor<"__folio_set_zsmalloc"> =
  accessor("__folio_set_zsmalloc");
export const __folio_clear_zsmalloc: PageTypeAccessor<"__folio_clear_zsmalloc"> =
  accessor("__folio_clear_zsmalloc");
// PAGE_TYPE_OPS(Unaccepted, unaccepted, unaccepted)
export const PageUnaccepted: PageTypeAccessor<"PageUnaccepted"> = accessor("PageUnaccepted");
export const __SetPageUnaccepted: PageTypeAccessor<"__SetPageUnaccepted"> = accessor("__SetPageUnaccepted");
export const __ClearPageUnaccepted: PageTypeAccessor<"__ClearPageUnaccepted"> =
  accessor("__ClearPageUnaccepted");
export const folio_test_unaccepted: PageTypeAccessor<"folio_test_unaccepted"> =
  accessor("folio_test_unaccepted");
export const __folio_set_unaccepted: PageTypeAccessor<"__folio_set_unaccepted"> =
  accessor("__folio_set_unaccepted");
export const __folio_clear_unaccepted: PageTypeAccessor<"__folio_clear_unaccepted"> =
  accessor("__folio_clear_unaccepted");
// PAGE_TYPE_OPS(LargeKmalloc, large_kmalloc, large_kmalloc)
export const PageLargeKmalloc: PageTypeAccessor<"PageLargeKmalloc"> = accessor("PageLargeKmalloc");
export const __SetPageLargeKmalloc: PageTypeAccessor<"__SetPageLargeKmalloc"> =
  accessor("__SetPageLargeKmalloc");
export const __ClearPageLargeKmalloc: PageTypeAccessor<"__ClearPageLargeKmalloc"> =
  accessor("__ClearPageLargeKmalloc");
export const folio_test_large_kmalloc: PageTypeAccessor<"folio_test_large_kmalloc"> =
  accessor("folio_test_large_kmalloc");
export const __folio_set_large_kmalloc: PageTypeAccessor<"__folio_set_large_kmalloc"> =
  accessor("__folio_set_large_kmalloc");
export const __folio_clear_large_kmalloc: PageTypeAccessor<"__folio_clear_large_kmalloc"> = accessor(
  "__folio_clear_large_kmalloc",
);
// PAGE_TYPE_OPS(Netpp, netpp, netpp)
export const PageNetpp: PageTypeAccessor<"PageNetpp"> = accessor("PageNetpp");
export const __SetPageNetpp: PageTypeAccessor<"__SetPageNetpp"> = accessor("__SetPageNetpp");
export const __ClearPageNetpp: PageTypeAccessor<"__ClearPageNetpp"> = accessor("__ClearPageNetpp");
export const folio_test_netpp: PageTypeAccessor<"folio_test_netpp"> = accessor("folio_test_netpp");
export const __folio_set_netpp: PageTypeAccessor<"__folio_set_netpp"> = accessor("__folio_set_netpp");
export const __folio_clear_netpp: PageTypeAccessor<"__folio_clear_netpp"> = accessor("__folio_clear_netpp");
