// MD016 kept: the head's page type is reset by the allocator, so a type on the head (or on an
// order-0 page) needs no clearing before the free.
import { __free_pages, __SetPageOffline, alloc_pages, GFP_KERNEL } from "memdesc/sim";

export function scenario_type_on_head_page() {
  const page = alloc_pages(`${GFP_KERNEL} | __GFP_COMP`, 1);
  if (!page) return;
  __SetPageOffline(page);
  __free_pages(page, 1);
}
