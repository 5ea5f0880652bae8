// MD017: with an IOMMU bound to the kernel address space (SVA), a freed kernel page table must not be
// reused before iommu_sva_invalidate_kva_range(). Without CONFIG_ASYNC_KERNEL_PGTABLE_FREE,
// pte_free_kernel() frees at once and the next allocation reuses the page.
import {
  __free_page,
  alloc_page,
  GFP_KERNEL,
  init_mm,
  pte_alloc_one_kernel,
  pte_free_kernel,
} from "memdesc/sim";

/** memdesc machine options for this file's scenarios. */
export const machine = { iommuSva: true, asyncKernelPgtableFree: false };

export function scenario_reuse_before_invalidation() {
  // expect-run MD017
  const pte = pte_alloc_one_kernel(init_mm);
  if (!pte) return;
  pte_free_kernel(init_mm, pte);
  const page = alloc_page(GFP_KERNEL);
  if (page) __free_page(page);
}
