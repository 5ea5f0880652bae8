// MD015 kept: the address is taken while the page is still owned.
import { __free_page, alloc_page, GFP_KERNEL, page_address } from "memdesc/sim";

export function scenario_address_before_free() {
  const page = alloc_page(GFP_KERNEL);
  if (!page) return;
  const addr = page_address(page);
  __free_page(page);
  return addr;
}
