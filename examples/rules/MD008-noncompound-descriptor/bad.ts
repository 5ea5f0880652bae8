// MD008: a non-compound high-order block cannot become a folio or a ptdesc. Without __GFP_COMP
// nothing records that the four pages belong together (mm/page_alloc.c prep_new_page()).
import { __free_pages, alloc_pages, folio_order, GFP_KERNEL, page_folio } from "memdesc/sim";

export function scenario_folio_of_noncompound_block() {
  // expect-run MD008
  const page = alloc_pages(GFP_KERNEL, 2);
  if (!page) return;
  const folio = page_folio(page); // expect MD008
  const order = folio_order(folio); // reads 0: the block has no folio
  __free_pages(page, 2);
  return order;
}
