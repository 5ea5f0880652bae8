// kernel: mm/vmalloc.c vm_area_alloc_pages()
// tree: linux-mm/linux-mm (December 2026). A high-order block for a vmalloc area is split with
// split_page(page, order) so that area->pages[] holds order-0 pages. Bug of the kind "split_page()
// on a compound block", no specific commit: the caller's gfp mask keeps __GFP_COMP (the real
// function relies on vmalloc's callers not passing it), so the block is compound and split_page()
// hits VM_BUG_ON_PAGE(PageCompound(page)).
import { __free_page, alloc_pages_node, GFP_KERNEL, nth_page, type Page, split_page } from "memdesc/sim";

function vm_area_alloc_pages(gfp: string, order: number, nr_pages: number) {
  const pages: Page[] = [];
  const page = alloc_pages_node(0, gfp, order);
  if (!page) return pages;
  split_page(page, order);
  for (let i = 0; i < nr_pages; i++) pages.push(nth_page(page, i));
  return pages;
}

export function scenario_vmalloc_with_gfp_comp() {
  // expect-run MD010 — split_page() of a compound block
  // expect-run MD002 — vfree(): __free_page() of the compound head at order 0, then of its tails
  // expect-run MD018 — the block is never given back whole
  const pages = vm_area_alloc_pages(`${GFP_KERNEL} | __GFP_COMP`, 1, 2);
  for (const p of pages) __free_page(p);
}
