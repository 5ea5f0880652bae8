// MD014: a page is freed once.
import { __free_page, alloc_page, GFP_KERNEL } from "memdesc/sim";

export function scenario_free_twice() {
  // expect-run MD014
  const page = alloc_page(GFP_KERNEL);
  if (!page) return;
  __free_page(page);
  __free_page(page); // expect MD014
}
