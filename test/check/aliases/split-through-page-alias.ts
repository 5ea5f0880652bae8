// Must pass: the split goes through a page handle made from the address; the first page is then
// freed through the original page handle at order 0 and the others through nth_page().
import {
  __free_page,
  __free_pages,
  alloc_pages,
  GFP_KERNEL,
  nth_page,
  page_address,
  split_page,
  virt_to_page,
} from "memdesc/sim";

export function scenario_split_through_alias() {
  const page = alloc_pages(GFP_KERNEL, 1);
  if (!page) return;
  const alias = virt_to_page(page_address(page));
  split_page(alias, 1);
  __free_pages(page, 0);
  __free_page(nth_page(page, 1));
}
