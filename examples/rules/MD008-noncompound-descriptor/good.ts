// MD008 kept: __GFP_COMP makes the block compound, so it is a folio of order 2.
import { __free_pages, alloc_pages, folio_order, GFP_KERNEL, page_folio } from "memdesc/sim";

export function scenario_folio_of_compound_block() {
  const page = alloc_pages(`${GFP_KERNEL} | __GFP_COMP`, 2);
  if (!page) return;
  const order = folio_order(page_folio(page));
  __free_pages(page, 2);
  return order;
}
