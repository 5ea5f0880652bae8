// kernel: arch/arm64/mm/mmu.c free_hotplug_pgtable_page() before "arm64: mm: call pagetable_dtor
// when freeing hot-removed page tables" (2026, Fixes: 5e8eb9aeeda3 "arm64: mm: always call PTE/PMD
// ctor in __create_pgd_mapping()"; the fix adds pagetable_dtor(page_ptdesc(page))).
// The table was constructed when the linear map was built; hot-remove frees its page with
// __free_pages(page, get_order(PAGE_SIZE)) through free_hotplug_page_range(), without the dtor.
import {
  __free_pages,
  GFP_PGTABLE_KERNEL,
  init_mm,
  type Page,
  pagetable_alloc,
  pagetable_pte_ctor,
  ptdesc_page,
} from "memdesc/sim";

function pgd_pgtable_alloc() {
  const ptdesc = pagetable_alloc(GFP_PGTABLE_KERNEL, 0);
  if (!ptdesc) return null;
  if (!pagetable_pte_ctor(init_mm, ptdesc)) return null;
  return ptdesc_page(ptdesc);
}

function free_hotplug_page_range(page: Page, order: number) {
  __free_pages(page, order);
}

function free_hotplug_pgtable_page(page: Page) {
  free_hotplug_page_range(page, 0);
}

export function scenario_hot_remove_pte_table() {
  // expect-run MD012 — the split lock and NR_PAGETABLE of a constructed table are never released
  const page = pgd_pgtable_alloc();
  if (!page) return;
  free_hotplug_pgtable_page(page);
}
