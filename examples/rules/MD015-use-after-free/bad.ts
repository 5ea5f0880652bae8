// MD015: a freed page is not used.
import { __free_page, alloc_page, GFP_KERNEL, page_address } from "memdesc/sim";

export function scenario_address_after_free() {
  // expect-run MD015
  const page = alloc_page(GFP_KERNEL);
  if (!page) return;
  __free_page(page);
  return page_address(page); // expect MD015
}
