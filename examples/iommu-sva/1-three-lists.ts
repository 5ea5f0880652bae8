/**
 * Design 1 — Lu Baolu's draft of 22 Aug 2025, in the thread "[PATCH v3 1/1] iommu/sva: Invalidate
 * KVA range on kernel TLB flush" (https://lore.kernel.org/all/?q=%22Invalidate+KVA+range+on+kernel+TLB+flush%22).
 *
 * Kernel page-table pages are not freed at once: they go on one of three lists, and a work item
 * first tells the IOMMU (iommu_sva_invalidate_kva_range) and then frees them. The lists separate
 * the three ways the pages are freed, so the worker "knows which free function to call without
 * checking page types":
 *   dtor  — ptdescs that need their destructor (pte_free_kernel, pud_free_pmd_page) → pagetable_dtor_free()
 *   page  — order-0 struct pages (cpa_collapse_large_pages)                         → __free_page()
 *   pages — higher-order, non-compound struct pages (free_pagetable(page, order))    → free_pages()
 *
 * Transliterated against memdesc/sim from the thread's description; "memdesc:" marks a choice.
 * Struct pages are chained through page->lru, ptdescs through ptdesc->pt_list. The code Baolu
 * posted (<e321d374-38a7-4f60-b991-58458a2761b9@linux.intel.com>) does not: docs/decisions/0606.
 */
import {
  __free_page,
  alloc_low_pages,
  alloc_pages_node,
  flush_scheduled_work,
  free_pages,
  GFP_KERNEL,
  get_order,
  get_zeroed_page,
  INIT_WORK,
  init_mm,
  iommu_sva_invalidate_kva_range,
  type KernelAddress,
  LIST_HEAD,
  list_add,
  list_del,
  list_for_each_entry_safe,
  list_splice_tail_init,
  type mm_struct,
  PAGE_OFFSET,
  type Page,
  PMD_SIZE,
  page_address,
  page_private,
  page_ptdesc,
  pagetable_dtor_free,
  ptdesc_page,
  pte_alloc_one_kernel,
  schedule_work,
  set_page_private,
  TLB_FLUSH_ALL,
  virt_to_page,
  virt_to_ptdesc,
} from "memdesc/sim";

/** Machine configuration for the scenarios: an IOMMU with SVA; the draft has its own worker. */
export const machine = { iommuSva: true, asyncKernelPgtableFree: false };

// static struct { struct list_head dtor, page, pages; spinlock_t lock; struct work_struct work; }
const kernel_pgtable_work = {
  dtor: LIST_HEAD(),
  page: LIST_HEAD(),
  pages: LIST_HEAD(),
  work: INIT_WORK(kernel_pgtable_work_func, "kernel_pgtable_work_func"),
};

function kernel_pgtable_work_func(): void {
  const dtor = LIST_HEAD();
  const page = LIST_HEAD();
  const pages = LIST_HEAD();
  // spin_lock(&kernel_pgtable_work.lock);
  list_splice_tail_init(kernel_pgtable_work.dtor, dtor);
  list_splice_tail_init(kernel_pgtable_work.page, page);
  list_splice_tail_init(kernel_pgtable_work.pages, pages);
  // spin_unlock(&kernel_pgtable_work.lock);

  iommu_sva_invalidate_kva_range(PAGE_OFFSET, TLB_FLUSH_ALL);

  for (const ptdesc of list_for_each_entry_safe(dtor, "ptdesc", "pt_list")) {
    list_del(ptdesc.pt_list);
    pagetable_dtor_free(ptdesc);
  }
  const order0 = list_for_each_entry_safe(page, "page", "lru"); // expect MD007 at interim32,interim16,final
  for (const p of order0) {
    list_del(p.lru); // expect MD007 at interim32,interim16,final
    __free_page(p);
  }
  const higherOrder = list_for_each_entry_safe(pages, "page", "lru"); // expect MD007 at interim32,interim16,final
  for (const p of higherOrder) {
    list_del(p.lru); // expect MD007 at interim32,interim16,final
    // memdesc: the description does not say where the order of a block on `pages` is kept;
    // the caller stores it in page->private, the usual place for owner data.
    free_pages(page_address(p), page_private(p)); // expect MD007 at interim16,final
  }
}

/** include/asm-generic/pgalloc.h pte_free_kernel(), as the draft changes it: defer the ptdesc. */
export function pte_free_kernel(_mm: mm_struct, pte: KernelAddress): void {
  const ptdesc = virt_to_ptdesc(pte);
  list_add(ptdesc.pt_list, kernel_pgtable_work.dtor);
  schedule_work(kernel_pgtable_work.work);
}

/** arch/x86/mm/init_64.c free_pagetable(page, order) (memory hot-remove), as the draft changes it. */
export function free_pagetable(page: Page, order: number): void {
  if (order === 0) {
    list_add(page.lru, kernel_pgtable_work.page); // expect MD007 at interim32,interim16,final
  } else {
    set_page_private(page, order); // expect MD007 at interim16,final
    list_add(page.lru, kernel_pgtable_work.pages); // expect MD007 at interim32,interim16,final
  }
  schedule_work(kernel_pgtable_work.work);
}

/** arch/x86/mm/pat/set_memory.c cpa_collapse_large_pages(): the PTE pages it collected on `pgtables`. */
export function cpa_free_pgtables(pgtables: ReturnType<typeof LIST_HEAD>): void {
  for (const ptdesc of list_for_each_entry_safe(pgtables, "ptdesc", "pt_list")) {
    list_del(ptdesc.pt_list);
    list_add(ptdesc_page(ptdesc).lru, kernel_pgtable_work.page); // expect MD007 at interim32,interim16,final
  }
  schedule_work(kernel_pgtable_work.work);
}

/** mm/sparse-vmemmap.c vmemmap_alloc_block(): a non-compound block (alloc_pages_node, no __GFP_COMP). */
function vmemmap_alloc_block(size: number, node: number): KernelAddress | 0 {
  const page = alloc_pages_node(node, "GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN", get_order(size));
  return page ? page_address(page) : 0;
}

/**
 * The kernel goes on allocating: the page allocator hands out the pages freed last first (per-CPU
 * lists are LIFO), so a page freed before the IOMMU was told is the first to be reused. Then the
 * deferred work runs and everything is given back.
 */
function reuse(): void {
  const pages = [get_zeroed_page(GFP_KERNEL), get_zeroed_page(GFP_KERNEL), get_zeroed_page(GFP_KERNEL)];
  flush_scheduled_work();
  for (const p of pages) if (p) free_pages(p, 0);
}

// ---------------------------------------------------------------------------------------------
// Scenarios (memdesc check --run): each runs on a fresh machine, then pending work is flushed.

/** vfree() of a vmalloc area whose PTE table goes away; the page is wanted again at once. */
export function scenario_vfree_pte_table() {
  const pte = pte_alloc_one_kernel(init_mm);
  if (!pte) return;
  pte_free_kernel(init_mm, pte);
  reuse();
}

/** Memory hot-remove: a direct-map PTE table and a PMD-sized vmemmap block are freed. */
export function scenario_memory_hot_remove() {
  const table = alloc_low_pages(1);
  const vmemmap = vmemmap_alloc_block(PMD_SIZE, 0);
  if (!table || !vmemmap) return;
  free_pagetable(virt_to_page(table), 0);
  free_pagetable(virt_to_page(vmemmap), get_order(PMD_SIZE)); // free_hugepage_table()
  reuse();
}

/** set_memory: cpa_collapse_large_pages() frees the PTE pages of a collapsed range. */
export function scenario_cpa_collapse() {
  // expect-run MD006
  const pgtables = LIST_HEAD();
  for (let i = 0; i < 2; i++) {
    const pte = get_zeroed_page(GFP_KERNEL); // alloc_pte_page()
    if (!pte) return;
    list_add(page_ptdesc(virt_to_page(pte)).pt_list, pgtables); // expect MD006 — as set_memory.c collects them
  }
  cpa_free_pgtables(pgtables);
  flush_scheduled_work();
}
