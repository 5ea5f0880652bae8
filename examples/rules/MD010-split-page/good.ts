// MD010 kept: a non-compound order-1 block split into two order-0 pages, each freed on its own.
import { __free_page, alloc_pages, GFP_KERNEL, nth_page, split_page } from "memdesc/sim";

export function scenario_split_then_free_each() {
  const page = alloc_pages(GFP_KERNEL, 1);
  if (!page) return;
  const second = nth_page(page, 1);
  split_page(page, 1);
  __free_page(page);
  __free_page(second);
}
