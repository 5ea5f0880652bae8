/**
 * Design 3 — what was merged: Lu Baolu, "[PATCH v7 0/8] Fix stale IOTLB entries for kernel address
 * space" (22 Oct 2025), in mm-stable on 16 Nov 2025; deferred freeing is upstream commit
 * 5ba2f0a15564 "mm: introduce deferred freeing for kernel page tables" (Dave Hansen).
 *   - PT_kernel (= PG_referenced) marks kernel page tables at allocation: the asm-generic
 *     allocators call ptdesc_set_kernel() for init_mm (patches 2–3);
 *   - pagetable_free() sends a PT_kernel table to pagetable_free_kernel(), which with
 *     CONFIG_ASYNC_KERNEL_PGTABLE_FREE queues it for a worker that calls
 *     iommu_sva_invalidate_kva_range() before __pagetable_free() (patches 5, 7, 8; x86 selects
 *     ASYNC_KERNEL_PGTABLE_FREE with IOMMU_SVA);
 *   - x86 frees its own kernel page tables with pagetable_free() (patch 6, bf9e4e30f353 "x86/mm:
 *     use pagetable_free()"): free_pagetable(page, order) → pagetable_free(page_ptdesc(page)), and
 *     cpa_collapse_large_pages() → pagetable_free(ptdesc).
 * The mm side is memdesc/sim's own pte_alloc_one_kernel/pte_free_kernel/pagetable_free; only the
 * x86 callers are written here. vmemmap_alloc_block() is unchanged by the series (no __GFP_COMP).
 */
import {
  alloc_low_pages,
  alloc_pages_node,
  flush_scheduled_work,
  free_pages,
  GFP_KERNEL,
  get_order,
  get_zeroed_page,
  init_mm,
  type KernelAddress,
  LIST_HEAD,
  list_add,
  list_del,
  list_for_each_entry_safe,
  type Page,
  PMD_SIZE,
  page_address,
  page_ptdesc,
  pagetable_free,
  pte_alloc_one_kernel,
  pte_free_kernel,
  virt_to_page,
} from "memdesc/sim";

/** Machine configuration for the scenarios: x86 with IOMMU_SVA selects ASYNC_KERNEL_PGTABLE_FREE. */
export const machine = { iommuSva: true, asyncKernelPgtableFree: true };

/** arch/x86/mm/init_64.c free_pagetable(page, order) after bf9e4e30f353 (non-reserved pages). */
export function free_pagetable(page: Page, _order: number): void {
  pagetable_free(page_ptdesc(page));
}

/** arch/x86/mm/pat/set_memory.c cpa_collapse_large_pages() after patch 6. */
export function cpa_free_pgtables(pgtables: ReturnType<typeof LIST_HEAD>): void {
  for (const ptdesc of list_for_each_entry_safe(pgtables, "ptdesc", "pt_list")) {
    list_del(ptdesc.pt_list);
    pagetable_free(ptdesc);
  }
}

/** mm/sparse-vmemmap.c vmemmap_alloc_block(): a non-compound block. */
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
// Scenarios (memdesc check --run): the same three as designs 1 and 2.

export function scenario_vfree_pte_table() {
  const pte = pte_alloc_one_kernel(init_mm);
  if (!pte) return;
  pte_free_kernel(init_mm, pte);
  reuse();
}

export function scenario_memory_hot_remove() {
  // expect-run MD006 MD008 MD009 MD017 MD018
  const table = alloc_low_pages(1);
  const vmemmap = vmemmap_alloc_block(PMD_SIZE, 0);
  if (!table || !vmemmap) return;
  free_pagetable(virt_to_page(table), 0);
  free_pagetable(virt_to_page(vmemmap), get_order(PMD_SIZE)); // free_hugepage_table()
  reuse();
}

export function scenario_cpa_collapse() {
  // expect-run MD006
  const pgtables = LIST_HEAD();
  for (let i = 0; i < 2; i++) {
    const pte = get_zeroed_page(GFP_KERNEL);
    if (!pte) return;
    list_add(page_ptdesc(virt_to_page(pte)).pt_list, pgtables); // expect MD006
  }
  cpa_free_pgtables(pgtables);
  flush_scheduled_work();
}
