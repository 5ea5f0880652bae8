// Must pass: alloc_pages_exact()/make_alloc_exact() and free_pages_exact() (mm/page_alloc.c,
// linux-mm/linux-mm): the block is split through virt_to_page(addr), then each page is freed
// with free_page(). The split reaches the memory, not the variable `addr`.
import {
  __get_free_pages,
  free_page,
  GFP_KERNEL,
  nth_page,
  page_address,
  split_page,
  virt_to_page,
} from "memdesc/sim";

export function scenario_alloc_pages_exact() {
  const addr = __get_free_pages(GFP_KERNEL, 2);
  if (!addr) return;
  split_page(virt_to_page(addr), 2);
  free_page(addr);
  for (let i = 1; i < 4; i++) free_page(page_address(nth_page(virt_to_page(addr), i)));
}
