// kernel: arch/arm64/mm/mmu.c free_hotplug_page_range(page, size, altmap):
// __free_pages(page, get_order(size)) — the order is computed in a helper from a size. The bug of
// this kind (as in the PMD-sized vmemmap fixes): a PMD-sized vmemmap block (order 9, allocated
// without __GFP_COMP) handed back with the size of one page, so get_order() says 0.
// tree: linux-mm/linux-mm (December 2026); the wrong size is injected here.
import { __free_pages, alloc_pages, GFP_KERNEL, PAGE_SIZE, type Page } from "memdesc/sim";

/** include/asm-generic/getorder.h get_order(size). */
function get_order(size: number): number {
  let order = 0;
  for (let s = (size - 1) >> 12; s > 0; s >>= 1) order++;
  return order;
}

function free_hotplug_page_range(page: Page, size: number) {
  __free_pages(page, get_order(size));
}

export function scenario_pmd_vmemmap_freed_as_one_page() {
  // expect-run MD002 MD018 — freed at order 0, the other 511 pages are lost
  const page = alloc_pages(GFP_KERNEL, 9);
  if (!page) return;
  free_hotplug_page_range(page, PAGE_SIZE);
}
