/**
 * MD007 for accessors: compiled at today (must pass) and final (must fail on the marked
 * lines) by test/sim/kernel/accessors-stage.test.ts; excluded from tsconfig.json.
 */
import {
  alloc_page,
  folio_alloc,
  folio_ref_count,
  folio_ref_dec,
  folio_ref_inc,
  GFP_KERNEL,
  page_count,
  page_mapcount,
  page_private,
  page_ref_add,
  page_ref_add_unless,
  page_ref_count,
  page_ref_dec,
  page_ref_dec_and_test,
  page_ref_dec_return,
  page_ref_inc,
  page_ref_inc_return,
  page_ref_sub,
  page_ref_sub_and_test,
  set_page_count,
  set_page_private,
  set_page_refcounted,
} from "memdesc/sim";

export function scenario_accessors(): void {
  const page = alloc_page(GFP_KERNEL)!;
  set_page_private(page, 1); // @final TS2345 MD007 set_page_private: struct page has no member 'private' at stage final
  page_private(page); // @final TS2345 MD007 page_private: struct page has no member 'private' at stage final
  page_ref_count(page); // @final TS2345 MD007 page_ref_count: struct page has no member '_refcount' at stage final
  page_count(page); // @final TS2345 MD007 page_count: struct page has no member '_refcount' at stage final
  page_mapcount(page); // @final TS2345 MD007 page_mapcount: struct page has no member '_mapcount' at stage final
  page_ref_add(page, 2); // @final TS2345 MD007 page_ref_add: struct page has no member '_refcount' at stage final
  page_ref_sub(page, 2); // @final TS2345 MD007 page_ref_sub: struct page has no member '_refcount' at stage final
  page_ref_inc(page); // @final TS2345 MD007 page_ref_inc: struct page has no member '_refcount' at stage final
  page_ref_dec(page); // @final TS2345 MD007 page_ref_dec: struct page has no member '_refcount' at stage final
  page_ref_inc_return(page); // @final TS2345 MD007 page_ref_inc_return: struct page has no member '_refcount' at stage final
  page_ref_dec_return(page); // @final TS2345 MD007 page_ref_dec_return: struct page has no member '_refcount' at stage final
  page_ref_add_unless(page, 1, 0); // @final TS2345 MD007 page_ref_add_unless: struct page has no member '_refcount' at stage final
  page_ref_sub_and_test(page, 1); // @final TS2345 MD007 page_ref_sub_and_test: struct page has no member '_refcount' at stage final
  page_ref_inc(page); // @final TS2345 MD007 page_ref_inc: struct page has no member '_refcount' at stage final
  page_ref_dec_and_test(page); // @final TS2345 MD007 page_ref_dec_and_test: struct page has no member '_refcount' at stage final
  set_page_refcounted(page); // @final TS2345 MD007 set_page_refcounted: struct page has no member '_refcount' at stage final
  set_page_count(page, 1); // @final TS2345 MD007 set_page_count: struct page has no member '_refcount' at stage final
  // The folio keeps its refcount at every stage: no finding.
  const folio = folio_alloc(GFP_KERNEL, 1)!;
  folio_ref_inc(folio);
  folio_ref_dec(folio);
  folio_ref_count(folio);
}
