// kernel: mm/page_alloc.c alloc_pages_exact() → make_alloc_exact(), free_pages_exact()
// tree: linux-mm/linux-mm (mm-unstable, December 2026)
// make_alloc_exact() splits the order-2 block through virt_to_page(addr) and frees the pages past
// `size`; free_pages_exact() frees the rest one page at a time with free_page(addr).
import {
  __get_free_pages,
  free_page,
  GFP_KERNEL,
  nth_page,
  page_address,
  split_page,
  virt_to_page,
} from "memdesc/sim";

const PAGES_WANTED = 3; // size = 3 * PAGE_SIZE, order = get_order(size) = 2

export function scenario_alloc_pages_exact() {
  const addr = __get_free_pages(GFP_KERNEL, 2);
  if (!addr) return;
  // make_alloc_exact(): split, then give back the pages beyond nr
  split_page(virt_to_page(addr), 2);
  for (let i = PAGES_WANTED; i < 4; i++) free_page(page_address(nth_page(virt_to_page(addr), i)));
  // free_pages_exact(virt, size): while (addr < end) { free_page(addr); addr += PAGE_SIZE; }
  free_page(addr);
  for (let i = 1; i < PAGES_WANTED; i++) free_page(page_address(nth_page(virt_to_page(addr), i)));
}
