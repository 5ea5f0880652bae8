// kernel: arch/x86/mm/init_64.c free_pagetable() / free_hugepage_table() / remove_pmd_table() as of
// bf9e4e30f353 "x86/mm: use pagetable_free()" (Lu Baolu, 2025), which made free_pagetable() call
// pagetable_free(page_ptdesc(page)) also for vmemmap blocks. Fixed in 2026 by 39406c05f8f1
// "x86/mm: Fix freeing of PMD-sized vmemmap pages" (David Hildenbrand; Fixes: bf9e4e30f353).
// A PMD-sized vmemmap block comes from vmemmap_alloc_block() (mm/sparse-vmemmap.c): order 9,
// without __GFP_COMP. It is not a page table, so page_ptdesc() is already wrong, and
// pagetable_free() does __free_pages(page, compound_order(page)) = order 0: 511 pages leak.
import {
  __pa,
  __pmd,
  _KERNPG_TABLE,
  PAGE_SIZE,
  type Page,
  PageReserved,
  PMD_SIZE,
  page_ptdesc,
  pagetable_free,
  pmd_clear,
  pmd_page,
  pmdp_get,
  set_pmd,
  vmemmap_alloc_block,
} from "memdesc/sim";

/** include/asm-generic/getorder.h get_order(size). */
function get_order(size: number): number {
  let order = 0;
  while (2 ** order * PAGE_SIZE < size) order++;
  return order;
}

/** free_pagetable(page, order) after bf9e4e30f353 (the bootmem branch is not taken here). */
function free_pagetable(page: Page, order: number) {
  void order;
  if (PageReserved(page)) return; // free_reserved_pages() / put_page_bootmem(), not this block
  pagetable_free(page_ptdesc(page));
}

/** free_hugepage_table(page, altmap) with altmap == NULL. */
function free_hugepage_table(page: Page) {
  free_pagetable(page, get_order(PMD_SIZE));
}

// The vmemmap PMD entry of one 128 MiB section, in init_mm (an address in a PMD table).
const VMEMMAP_PMD = 0xffff_8880_0100_0040n;

export function scenario_remove_pmd_sized_vmemmap() {
  // expect-run MD006 MD008 MD009 MD018 — page_ptdesc() of a plain non-compound order-9 block; freed at order 0
  // vmemmap_populate_hugepages(): the block is mapped with a PMD leaf.
  const p = vmemmap_alloc_block(PMD_SIZE, 0);
  if (!p) return;
  set_pmd(VMEMMAP_PMD, __pmd(__pa(p) | _KERNPG_TABLE | 0x80));
  // remove_pmd_table(), !direct, the whole PMD range: free the block, then clear the entry.
  free_hugepage_table(pmd_page(pmdp_get(VMEMMAP_PMD)));
  pmd_clear(VMEMMAP_PMD);
}
