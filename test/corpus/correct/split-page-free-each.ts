// kernel: mm/vmalloc.c vm_area_alloc_pages(): a non-compound high-order allocation is split with
// split_page() and each page is stored and later freed on its own (__free_page per page in the
// error path / vfree).
// tree: linux-mm/linux-mm (December 2026)
import { __free_page, alloc_pages, GFP_KERNEL, nth_page, split_page } from "memdesc/sim";

export function scenario_split_then_free_each() {
  const page = alloc_pages(GFP_KERNEL, 2);
  if (!page) return;
  split_page(page, 2);
  const pages = [0, 1, 2, 3].map((i) => nth_page(page, i));
  for (const p of pages) __free_page(p);
}
