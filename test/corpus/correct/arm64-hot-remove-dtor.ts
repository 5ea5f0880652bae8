// kernel: arch/arm64/mm/mmu.c __pgd_pgtable_alloc(), free_hotplug_page_range(),
// free_hotplug_pgtable_page() with "arm64: mm: call pagetable_dtor when freeing hot-removed page
// tables" (mm-hotfixes, 2026: adds pagetable_dtor(page_ptdesc(page)) before the free)
// tree: linux-mm/linux-mm @0118174d4e1c6f5e3df84ac7d98c5302803ef6be (allocation side)
// The linear map's PTE table is allocated with GFP_PGTABLE_KERNEL & ~__GFP_ZERO and constructed
// (BUG_ON(!pagetable_pte_ctor(mm, ptdesc))); hot-remove destructs it and gives the page back with
// __free_pages(page, get_order(PAGE_SIZE)). The fixed twin of bugs/arm64-hot-remove-missing-dtor.ts.
import {
  __free_pages,
  __GFP_ZERO,
  GFP_PGTABLE_KERNEL,
  get_order,
  init_mm,
  PAGE_SIZE,
  type Page,
  PHYS_PFN,
  page_ptdesc,
  page_to_phys,
  pagetable_alloc,
  pagetable_dtor,
  pagetable_pte_ctor,
  pfn_to_page,
  ptdesc_page,
} from "memdesc/sim";

function __pgd_pgtable_alloc_pte() {
  // Page is zeroed by init_clear_pgtable() so don't duplicate effort.
  const ptdesc = pagetable_alloc(GFP_PGTABLE_KERNEL & ~__GFP_ZERO, 0);
  if (!ptdesc) return null;
  const pa = page_to_phys(ptdesc_page(ptdesc));
  if (!pagetable_pte_ctor(init_mm, ptdesc)) throw new Error("BUG_ON(!pagetable_pte_ctor(mm, ptdesc))");
  return pa;
}

function free_hotplug_page_range(page: Page, size: number) {
  // altmap == NULL: WARN_ON(PageReserved(page)); __free_pages(page, get_order(size));
  __free_pages(page, get_order(size));
}

function free_hotplug_pgtable_page(page: Page) {
  pagetable_dtor(page_ptdesc(page));
  free_hotplug_page_range(page, PAGE_SIZE);
}

export function scenario_hot_remove_pte_table() {
  const pte_phys = __pgd_pgtable_alloc_pte();
  if (pte_phys === null) return;
  // free_pte_table(): page = pmd_page(READ_ONCE(*pmdp)); pmd_clear(pmdp); free_hotplug_pgtable_page(page)
  const page = pfn_to_page(Number(PHYS_PFN(pte_phys)));
  free_hotplug_pgtable_page(page);
}
