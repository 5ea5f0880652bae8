// Must pass: make_alloc_exact(unsigned long addr, unsigned order, size_t size) (mm/page_alloc.c,
// linux-mm/linux-mm) takes the block as a plain `unsigned long`: split_page(virt_to_page(addr),
// order), then __free_page() of the pages past `size`. A handle converted from an unbranded
// number carries nothing the compiler knows (no "compound", no "kernel table"); only --run
// decides.
import {
  __free_page,
  __get_free_pages,
  free_page,
  GFP_KERNEL,
  nth_page,
  split_page,
  virt_to_page,
} from "memdesc/sim";

function make_alloc_exact(addr: number, order: number, nr: number): number {
  split_page(virt_to_page(addr), order);
  for (let i = nr; i < 2 ** order; i++) __free_page(nth_page(virt_to_page(addr), i));
  return addr;
}

export function scenario_make_alloc_exact_on_an_unsigned_long() {
  const addr = __get_free_pages(GFP_KERNEL, 2);
  if (!addr) return;
  const exact = make_alloc_exact(addr, 2, 3);
  for (let i = 0; i < 3; i++) free_page(exact + i * 4096);
}
