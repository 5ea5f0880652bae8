// MD017 kept: CONFIG_ASYNC_KERNEL_PGTABLE_FREE queues the table; the worker invalidates the IOMMU
// before the page goes back to the allocator.
import {
  __free_page,
  alloc_page,
  flush_scheduled_work,
  GFP_KERNEL,
  init_mm,
  pte_alloc_one_kernel,
  pte_free_kernel,
} from "memdesc/sim";

/** memdesc machine options for this file's scenarios. */
export const machine = { iommuSva: true, asyncKernelPgtableFree: true };

export function scenario_deferred_free() {
  const pte = pte_alloc_one_kernel(init_mm);
  if (!pte) return;
  pte_free_kernel(init_mm, pte);
  const page = alloc_page(GFP_KERNEL);
  flush_scheduled_work();
  if (page) __free_page(page);
}
