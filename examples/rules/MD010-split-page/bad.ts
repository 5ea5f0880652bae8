// MD010: split_page() takes a non-compound block; a compound block's tails point at their head.
import { __free_pages, alloc_pages, GFP_KERNEL, split_page } from "memdesc/sim";

export function scenario_split_a_compound_block() {
  // expect-run MD010
  const page = alloc_pages(`${GFP_KERNEL} | __GFP_COMP`, 1);
  if (!page) return;
  split_page(page, 1); // expect MD010
  __free_pages(page, 1);
}
