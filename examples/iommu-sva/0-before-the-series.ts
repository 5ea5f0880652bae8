/**
 * Before the series — the hazard. With an IOMMU bound to the kernel address space (SVA), the
 * IOMMU walks the CPU's kernel page tables and caches what it walked. vfree() frees a PTE table
 * with pte_free_kernel(); nothing tells the IOMMU, and the page allocator hands the page to its next
 * owner while the IOMMU may still walk it — and write accessed/dirty bits into it (Lu Baolu, v1–v3
 * cover letters; CVE-2025-71089 for the stop-gap that disabled SVA on x86).
 *
 * Here that is the merged kernel without CONFIG_ASYNC_KERNEL_PGTABLE_FREE: pagetable_free_kernel()
 * then frees at once, exactly as pte_free_kernel() did before the series.
 */
import {
  free_pages,
  GFP_KERNEL,
  get_zeroed_page,
  init_mm,
  pte_alloc_one_kernel,
  pte_free_kernel,
} from "memdesc/sim";

/** Machine configuration for the scenario: SVA on, no deferred freeing. */
export const machine = { iommuSva: true, asyncKernelPgtableFree: false };

export function scenario_vfree_pte_table() {
  // expect-run MD017
  const pte = pte_alloc_one_kernel(init_mm);
  if (!pte) return;
  pte_free_kernel(init_mm, pte);
  const next = get_zeroed_page(GFP_KERNEL); // the table's page, to a new owner
  if (next) free_pages(next, 0);
}
