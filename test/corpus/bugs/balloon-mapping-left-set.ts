// kernel: include/linux/balloon_compaction.h balloon_page_insert() / balloon_page_finalize(),
// drivers/virtio/virtio_balloon.c release_pages_balloon()
// tree: linux-mm/linux-mm (December 2026). A balloon page carries the balloon's movable_ops mapping
// in page->mapping while inflated; it must be cleared (balloon_page_finalize() /
// balloon_page_delete()) before the page goes back with __free_page(). Bug of the kind "bad_page()
// conditions: mapping left set", no specific commit: the deflate path frees the page with the
// mapping still set.
import { __free_page, alloc_page, GFP_HIGHUSER_MOVABLE } from "memdesc/sim";

// b_dev_info->mapping: a kernel pointer (struct address_space * in the direct map).
const BALLOON_MAPPING = 0xffff_8881_0a3c_0000;

export function scenario_deflate_frees_page_with_mapping() {
  // expect-run MD016 MD018 — bad_page(): "non-NULL mapping"; the page is leaked
  const page = alloc_page(GFP_HIGHUSER_MOVABLE); // balloon_page_alloc()
  if (!page) return;
  page.mapping = BALLOON_MAPPING; // balloon_page_insert() // expect MD007 at interim16,interim32,final
  // deflate: balloon_page_finalize() forgotten
  __free_page(page);
}
