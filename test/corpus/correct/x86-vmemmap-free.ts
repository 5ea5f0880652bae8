// kernel: mm/sparse-vmemmap.c vmemmap_alloc_block() and arch/x86/mm/init_64.c
// free_vmemmap_pages() / remove_pmd_table() -> free_hugepage_table() for a PMD-mapped vmemmap block
// tree: linux-mm/linux-mm @bf3f685b3fd6edd9f13dc8c489fd1802da853998 (init_64.c); the non-bootmem
// branch read in David Hildenbrand's 2026 "free_reserved_pages()" patch: `__free_pages(page, order)`
// Memory hot-add maps the new section's struct pages with one PMD_SIZE block from
// vmemmap_alloc_block(PMD_SIZE, node): a non-compound order-9 allocation. Hot-remove gives it back
// whole, at the order it was allocated at, through the struct page of its first pfn.
import { __free_pages, get_order, type Page, PMD_SIZE, virt_to_page, vmemmap_alloc_block } from "memdesc/sim";

function free_vmemmap_pages(page: Page, order: number) {
  // not PageReserved (not bootmem): __free_pages(page, order)
  __free_pages(page, order);
}

export function scenario_hot_add_then_remove_pmd_vmemmap() {
  const p = vmemmap_alloc_block(PMD_SIZE, 0);
  if (!p) return;
  // ... set_pmd(pmd, pfn_pmd(__pa(p) >> PAGE_SHIFT, PAGE_KERNEL_LARGE)) ...
  // remove_pmd_table(): free_hugepage_table(pmd_page(*pmd), altmap) -> free_vmemmap_pages(page, get_order(PMD_SIZE))
  free_vmemmap_pages(virt_to_page(p), get_order(PMD_SIZE));
}
