// A wrong per-page pagetable_free() loop over a non-compound order-9 block (issue 8, item 6).
// alloc_pages(GFP_KERNEL, 9) has no __GFP_COMP: nothing records that the 512 pages belong together
// (mm/page_alloc.c prep_new_page() makes a compound page only with __GFP_COMP), so
// pagetable_free() -> __free_pages(page, compound_order(page)) frees the first page alone (MD009),
// and every later iteration touches a tail nobody owns any more (MD015), on a page that was never
// a ptdesc (MD006); the first page_ptdesc() is of a non-compound block, which has no ptdesc (MD008).
import { alloc_pages, GFP_KERNEL, nth_page, page_ptdesc, pagetable_free } from "memdesc/sim";

export function scenario_per_page_pagetable_free() {
  const page = alloc_pages(GFP_KERNEL, 9);
  if (!page) return;
  for (let i = 0; i < 512; i++) pagetable_free(page_ptdesc(nth_page(page, i)));
}
