// kernel: mm/vmalloc.c vm_area_alloc_pages() and its error path
// tree: linux-mm/linux-mm (December 2026). Bug of the kind "freeing a tail page", no specific
// commit: a high-order compound block (__GFP_COMP) is stored page by page in area->pages[] and the
// error path gives the entries back one by one, last first, with __free_page(). The tail pages of a
// compound block are not allocations of their own (vmalloc splits non-compound blocks with
// split_page() for exactly this reason).
import { __free_page, alloc_pages, GFP_KERNEL, nth_page, type Page } from "memdesc/sim";

export function scenario_error_path_frees_compound_tail() {
  // expect-run MD002 MD018 — __free_page() of a tail page (put_page_testzero() on a refcount-0 tail: VM_BUG_ON); the block is never freed
  const page = alloc_pages(`${GFP_KERNEL} | __GFP_COMP`, 1);
  if (!page) return;
  const pages: Page[] = [page, nth_page(page, 1)];
  for (let i = pages.length - 1; i >= 0; i--) __free_page(pages[i]!);
}
