/**
 * x86 code the iommu/sva case study needs (arch/x86/mm/init.c).
 *
 * alloc_low_pages(num): after boot, `__get_free_pages(GFP_ATOMIC | __GFP_ZERO,
 * get_order(num << PAGE_SHIFT))` — plain pages, used for the kernel's
 * direct-map page tables (arch/x86/mm/init.c; a 2025 patch by Em Sharnoff
 * changes GFP_ATOMIC to GFP_KERNEL). Since they hold kernel page tables, the
 * IOMMU may walk them: the simulator records them as kernel page-table pages
 * (for MD017), although nothing in their struct page says so — the point of
 * the case study.
 */
import type { KernelAddress, Meta } from "../../../model/handles.js";
import { __GFP_ZERO, GFP_ATOMIC } from "../gfp.js";
import { PAGE_SHIFT, pfnToVirt } from "../objects.js";
import { machine } from "../port.js";
import { kernelState } from "../state.js";

/**
 * get_order(size): the smallest order whose block holds `size` bytes.
 *
 * @c static __always_inline __attribute_const__ int get_order(unsigned long size)
 * @kernel text:include/asm-generic/getorder.h
 */
export function get_order(size: number): number {
  let order = 0;
  while (2 ** (order + PAGE_SHIFT) < size) order++;
  return order;
}

/**
 * alloc_low_pages(num): zeroed plain pages for kernel page tables (void *), or 0.
 *
 * @c __ref void *alloc_low_pages(unsigned int num)
 * @kernel arch/x86/mm/init.c
 */
export function alloc_low_pages(num: number): KernelAddress<Meta<"plain", number, false, "kernel">> | 0 {
  const m = machine();
  const order = get_order(num * 2 ** PAGE_SHIFT);
  const pfn = m.allocPages("alloc_low_pages", GFP_ATOMIC | __GFP_ZERO, order, "alloc_low_pages");
  if (pfn < 0) return 0;
  for (let p = pfn; p < pfn + 2 ** order; p++) kernelState(m).kernelTables.add(p);
  // arch/x86/mm/init_64.c installs these at once (pmd_populate_kernel() and friends in
  // phys_*_init()); until those are modelled the table counts as reachable.
  m.markPgtableReachable("alloc_low_pages", pfn);
  return pfnToVirt(pfn) as KernelAddress<Meta<"plain", number, false, "kernel">>;
}
