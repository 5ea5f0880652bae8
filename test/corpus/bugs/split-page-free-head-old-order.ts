// kernel: mm/page_alloc.c make_alloc_exact() / free_pages_exact(), with the bug of the kind "split_page
// then freeing the head at the old order": after split_page(virt_to_page(addr), order) every page
// is an order-0 allocation of its own, but the error path still frees the block with
// free_pages(addr, order). No specific commit: the bug is injected into the real pattern.
// tree: linux-mm/linux-mm (December 2026)
import { __get_free_pages, free_pages, GFP_KERNEL, split_page, virt_to_page } from "memdesc/sim";

/** make_alloc_exact(addr, order, size) up to the split, then an error path. */
function make_alloc_exact(addr: number, order: number, fail: boolean) {
  split_page(virt_to_page(addr), order);
  if (fail) {
    free_pages(addr, order); // BUG: the block is four order-0 pages now
    return 0;
  }
  return addr;
}

export function scenario_free_at_old_order_after_split() {
  // expect-run MD002 MD018 — after split_page() the first page is an order-0 allocation, freed at order 2; with
  // DEBUG_VM the free fails (nonzero _refcount on pages 1-3, bad_page) and the pages stay lost
  const addr = __get_free_pages(GFP_KERNEL, 2);
  if (!addr) return;
  make_alloc_exact(addr, 2, true);
}
