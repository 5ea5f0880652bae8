// MD007: a field exists at the chosen stage. Fine today; from the 32-byte interim struct page on,
// page->lru and page->mapping are gone (docs/reference/layouts.md).
import { __free_page, alloc_page, GFP_KERNEL, LIST_HEAD, list_add, list_del } from "memdesc/sim";

export function scenario_chain_through_lru() {
  const pages = LIST_HEAD();
  const page = alloc_page(GFP_KERNEL);
  if (!page) return;
  list_add(page.lru, pages); // expect MD007 at interim32,interim16,final
  const mapped = page.mapping !== null; // expect MD007 at interim32,interim16,final
  list_del(page.lru); // expect MD007 at interim32,interim16,final
  __free_page(page);
  return mapped;
}
