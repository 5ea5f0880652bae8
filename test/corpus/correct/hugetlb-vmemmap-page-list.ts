// kernel: mm/hugetlb_vmemmap.c alloc_vmemmap_page_list(), free_vmemmap_page_list(),
// free_vmemmap_page(), vmemmap_remap_alloc()
// tree: linux-mm/linux-mm @0454b15e9bbd35d2dd3f52b071ca30b8cf5e44f1 (mm/hugetlb_vmemmap.c)
// Restoring a HugeTLB folio's vmemmap allocates one order-0 page per struct-page page with
// alloc_pages_node(nid, GFP_KERNEL | __GFP_RETRY_MAYFAIL, 0) onto a list through page->lru; a
// failed allocation frees the list with __free_page(). Whatever the remap did not consume goes back
// through free_vmemmap_page(): free_reserved_page() for a memblock (PG_reserved) page,
// __free_page() otherwise. page->lru is gone from the smaller struct page, so the list is MD007
// there (decision 0032). Not modelled: the remap walk itself, memmap_pages_add().
import {
  __free_page,
  __GFP_RETRY_MAYFAIL,
  alloc_pages_node,
  free_reserved_page,
  GFP_KERNEL,
  LIST_HEAD,
  list_add,
  list_del,
  list_first_entry,
  list_for_each_entry_safe,
  type list_head,
  type Page,
  PageReserved,
} from "memdesc/sim";

function free_vmemmap_page(page: Page) {
  if (PageReserved(page)) {
    free_reserved_page(page);
  } else {
    __free_page(page);
  }
}

function free_vmemmap_page_list(list: list_head) {
  for (const page of list_for_each_entry_safe(list, "page", "lru")) free_vmemmap_page(page); // expect MD007 at interim32,interim16,final
}

function alloc_vmemmap_page_list(nr_pages: number, nid: number, list: list_head) {
  const gfp_mask = GFP_KERNEL | __GFP_RETRY_MAYFAIL;

  for (let i = 0; i < nr_pages; i++) {
    const page = alloc_pages_node(nid, gfp_mask, 0);
    if (!page) {
      for (const p of list_for_each_entry_safe(list, "page", "lru")) __free_page(p); // expect MD007 at interim32,interim16,final
      return -12;
    }
    list_add(page.lru, list); // expect MD007 at interim32,interim16,final
  }
  return 0;
}

export function scenario_restore_consumes_some_pages() {
  const vmemmap_pages = LIST_HEAD();
  // vmemmap_remap_alloc() for a 2 MiB HugeTLB folio: 8 vmemmap pages, 1 kept (HVO), 7 to restore
  if (alloc_vmemmap_page_list(7, 0, vmemmap_pages)) return;
  // vmemmap_restore_pte() takes pages off the list as it remaps; say it consumed 3, and they now
  // back the folio's struct pages until the folio is optimized again, which frees them the same way.
  const used: Page[] = [];
  for (let i = 0; i < 3; i++) {
    const dst = list_first_entry(vmemmap_pages, "page", "lru"); // expect MD007 at interim32,interim16,final
    list_del(dst.lru); // expect MD007 at interim32,interim16,final
    used.push(dst);
  }
  /* Not all pages may have been consumed */
  free_vmemmap_page_list(vmemmap_pages);
  for (const page of used) free_vmemmap_page(page);
}
