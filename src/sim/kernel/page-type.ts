/**
 * Page types (include/linux/page-flags.h PAGE_TYPE_OPS / FOLIO_TYPE_OPS),
 * generated from the model's PAGE_TYPES table: PageX() tests the top byte of
 * page_type, __SetPageX() sets a type only on an untyped page (MD003),
 * __ClearPageX() clears only type X (MD004).
 */
import type { Folio, Meta, WithFact } from "../../model/handles.js";
import { PAGE_TYPE_NONE, type PageTypeName, pageTypeInfo } from "../../model/page-type.js";
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

/** page_has_type(page): page_type holds a type (top byte 0x80–0xfe), not a mapcount. */
export function page_has_type(page: AnyPage): boolean {
  const v = machine().pageTypeWord(pfnOf(page));
  return v !== PAGE_TYPE_NONE && v >>> 24 >= 0x80 && v >>> 24 < 0xff;
}

export const PageBuddy: TestPageType = test("buddy");
export const __SetPageBuddy: SetPageType<"buddy", "__SetPageBuddy"> = set("buddy", "__SetPageBuddy");
export const __ClearPageBuddy: ClearPageType<"buddy", "__ClearPageBuddy"> = clear(
  "buddy",
  "__ClearPageBuddy",
);
export const PageOffline: TestPageType = test("offline");
export const __SetPageOffline: SetPageType<"offline", "__SetPageOffline"> = set(
  "offline",
  "__SetPageOffline",
);
export const __ClearPageOffline: ClearPageType<"offline", "__ClearPageOffline"> = clear(
  "offline",
  "__ClearPageOffline",
);
export const PageTable: TestPageType = test("table");
export const __SetPageTable: SetPageType<"table", "__SetPageTable"> = set("table", "__SetPageTable");
export const __ClearPageTable: ClearPageType<"table", "__ClearPageTable"> = clear(
  "table",
  "__ClearPageTable",
);
export const PageGuard: TestPageType = test("guard");
export const __SetPageGuard: SetPageType<"guard", "__SetPageGuard"> = set("guard", "__SetPageGuard");
export const __ClearPageGuard: ClearPageType<"guard", "__ClearPageGuard"> = clear(
  "guard",
  "__ClearPageGuard",
);
export const PageSlab: TestPageType = test("slab");
export const __SetPageSlab: SetPageType<"slab", "__SetPageSlab"> = set("slab", "__SetPageSlab");
export const __ClearPageSlab: ClearPageType<"slab", "__ClearPageSlab"> = clear("slab", "__ClearPageSlab");
export const PageZsmalloc: TestPageType = test("zsmalloc");
export const __SetPageZsmalloc: SetPageType<"zsmalloc", "__SetPageZsmalloc"> = set(
  "zsmalloc",
  "__SetPageZsmalloc",
);
export const __ClearPageZsmalloc: ClearPageType<"zsmalloc", "__ClearPageZsmalloc"> = clear(
  "zsmalloc",
  "__ClearPageZsmalloc",
);
export const PageUnaccepted: TestPageType = test("unaccepted");
export const __SetPageUnaccepted: SetPageType<"unaccepted", "__SetPageUnaccepted"> = set(
  "unaccepted",
  "__SetPageUnaccepted",
);
export const __ClearPageUnaccepted: ClearPageType<"unaccepted", "__ClearPageUnaccepted"> = clear(
  "unaccepted",
  "__ClearPageUnaccepted",
);
export const PageLargeKmalloc: TestPageType = test("large_kmalloc");
export const __SetPageLargeKmalloc: SetPageType<"large_kmalloc", "__SetPageLargeKmalloc"> = set(
  "large_kmalloc",
  "__SetPageLargeKmalloc",
);
export const __ClearPageLargeKmalloc: ClearPageType<"large_kmalloc", "__ClearPageLargeKmalloc"> = clear(
  "large_kmalloc",
  "__ClearPageLargeKmalloc",
);
export const PageNetpp: TestPageType = test("netpp");
export const __SetPageNetpp: SetPageType<"netpp", "__SetPageNetpp"> = set("netpp", "__SetPageNetpp");
export const __ClearPageNetpp: ClearPageType<"netpp", "__ClearPageNetpp"> = clear(
  "netpp",
  "__ClearPageNetpp",
);

// FOLIO_TYPE_OPS(lname, fname): the folio forms; hugetlb has only these.
export const folio_test_hugetlb: TestFolioType = test("hugetlb");
export const __folio_set_hugetlb: SetFolioType<"hugetlb", "__folio_set_hugetlb"> = set(
  "hugetlb",
  "__folio_set_hugetlb",
);
export const __folio_clear_hugetlb: ClearFolioType<"hugetlb", "__folio_clear_hugetlb"> = clear(
  "hugetlb",
  "__folio_clear_hugetlb",
);
export const folio_test_pgtable: TestFolioType = test("table");
export const __folio_set_pgtable: SetFolioType<"table", "__folio_set_pgtable"> = set(
  "table",
  "__folio_set_pgtable",
);
export const __folio_clear_pgtable: ClearFolioType<"table", "__folio_clear_pgtable"> = clear(
  "table",
  "__folio_clear_pgtable",
);
export const folio_test_slab: TestFolioType = test("slab");
export const __folio_set_slab: SetFolioType<"slab", "__folio_set_slab"> = set("slab", "__folio_set_slab");
export const __folio_clear_slab: ClearFolioType<"slab", "__folio_clear_slab"> = clear(
  "slab",
  "__folio_clear_slab",
);
