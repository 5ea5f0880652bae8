/**
 * MD007 for accessors: compiled at today (must pass) and final (must fail on the marked
 * lines) by test/sim/kernel/accessors-stage.test.ts; excluded from tsconfig.json.
 */
import {
  alloc_page,
  GFP_KERNEL,
  page_count,
  page_mapcount,
  page_private,
  page_ref_count,
  set_page_private,
} from "memdesc/sim";

export function scenario_accessors(): void {
  const page = alloc_page(GFP_KERNEL)!;
  set_page_private(page, 1); // @final TS2345 MD007 set_page_private: struct page has no member 'private' at stage final
  page_private(page); // @final TS2345 MD007 page_private: struct page has no member 'private' at stage final
  page_ref_count(page); // @final TS2345 MD007 page_ref_count: struct page has no member '_refcount' at stage final
  page_count(page); // @final TS2345 MD007 page_count: struct page has no member '_refcount' at stage final
  page_mapcount(page); // @final TS2345 MD007 page_mapcount: struct page has no member '_mapcount' at stage final
}
