// Must pass: a helper of the user's own splits the block; the caller's handle never sees it.
import { __free_page, alloc_pages, GFP_KERNEL, nth_page, type Page, split_page } from "memdesc/sim";

function split_all(page: Page) {
  split_page(page, 1);
}

export function scenario_helper_splits() {
  const page = alloc_pages(GFP_KERNEL, 1);
  if (!page) return;
  split_all(page);
  __free_page(page);
  __free_page(nth_page(page, 1));
}
