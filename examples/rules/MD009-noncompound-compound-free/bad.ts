// MD009: put_page() frees compound_order(page) pages — 0 for a non-compound block, so the last
// reference frees only the first page and pages 1–3 leak. The compiler cannot see refcounts, so
// this is a run-time finding (and the leak ledger, MD018, lists the orphaned pages).
import { alloc_pages, GFP_KERNEL, put_page } from "memdesc/sim";

export function scenario_put_page_on_noncompound_block() {
  // expect-run MD009 MD018
  const page = alloc_pages(GFP_KERNEL, 2);
  if (!page) return;
  put_page(page);
}
