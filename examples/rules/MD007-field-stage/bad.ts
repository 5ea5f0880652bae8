// MD007: a field exists at the chosen stage. Fine today; at the final stage struct page is one
// 8-byte memdesc word, and page->lru and page->mapping are gone.
import { __free_page, alloc_page, GFP_KERNEL, list_add, list_del, LIST_HEAD } from "memdesc/sim";

export function scenario_chain_through_lru() {
  const pages = LIST_HEAD();
  const page = alloc_page(GFP_KERNEL);
  if (!page) return;
  list_add(page.lru, pages); // expect MD007 at interim16,final
  const mapped = page.mapping !== null; // expect MD007 at interim32,interim16,final
  list_del(page.lru); // expect MD007 at interim16,final
  __free_page(page);
  return mapped;
}
