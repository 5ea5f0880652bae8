// kernel: arch/x86/mm/init_64.c free_vmemmap_pages() as 39406c05f8f1 "x86/mm: Fix freeing of
// PMD-sized vmemmap pages" wrote it; tree: linux-mm/linux-mm (December 2026). A vmemmap page
// populated at boot comes from memblock and is PageReserved; free_vmemmap_pages() gives it back
// with free_reserved_pages(), which clears PG_reserved first. Bug of the kind "bad_page()
// conditions", no specific commit: the PageReserved() branch is dropped and the page goes to
// __free_pages() with PG_reserved still set (PAGE_FLAGS_CHECK_AT_FREE).
import { __free_pages, alloc_page, GFP_KERNEL, type Page, SetPageReserved } from "memdesc/sim";

/** free_vmemmap_pages(page, order, altmap = NULL), PageReserved() branch dropped. */
function free_vmemmap_pages(page: Page, order: number) {
  __free_pages(page, order);
}

export function scenario_hot_remove_boot_vmemmap_page() {
  // expect-run MD016 MD018 — bad_page(): "PAGE_FLAGS_CHECK_AT_FREE flag(s) set" (PG_reserved); the page is leaked
  // The memmap of boot memory: memblock pages, reserved (here: a page marked as memblock leaves it).
  const page = alloc_page(GFP_KERNEL);
  if (!page) return;
  SetPageReserved(page);
  // remove_pte_table(), !direct: a base-page vmemmap mapping
  free_vmemmap_pages(page, 0);
}
