// MD009: put_page() and folio_put() free compound_order(page) pages — 0 for a non-compound block, so the last
// reference frees only the first page and pages 1–3 leak. The compiler cannot see refcounts, so
// put_page() is a run-time finding (the leak ledger, MD018, lists the orphaned pages); folio_put()
// on a handle the compiler knows is non-compound is a compile error.
import { alloc_pages, folio_put, GFP_KERNEL, page_folio, put_page } from "memdesc/sim";

export function scenario_put_page_on_noncompound_block() {
  // expect-run MD009 MD018
  const page = alloc_pages(GFP_KERNEL, 2);
  if (!page) return;
  put_page(page);
}

export function scenario_folio_put_on_noncompound_block() {
  // expect-run MD008 MD009 MD018
  const page = alloc_pages(GFP_KERNEL, 2);
  if (!page) return;
  folio_put(page_folio(page)); // expect MD008 MD009
}
