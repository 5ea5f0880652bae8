// MD009 kept: a compound block's last put_page() frees all four pages.
import { alloc_pages, GFP_KERNEL, put_page } from "memdesc/sim";

export function scenario_put_page_on_compound_block() {
  const page = alloc_pages(`${GFP_KERNEL} | __GFP_COMP`, 2);
  if (!page) return;
  put_page(page);
}
