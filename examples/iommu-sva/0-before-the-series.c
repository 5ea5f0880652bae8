// SPDX-License-Identifier: GPL-2.0
/*
 * Before the series — the hazard (the C twin of 0-before-the-series.ts). With an IOMMU bound to
 * the kernel address space (SVA), the IOMMU walks the CPU's kernel page tables and caches what it
 * walked. vfree() frees a PTE table with pte_free_kernel(); nothing tells the IOMMU, and the page
 * allocator hands the page to its next owner while the IOMMU may still walk it.
 *
 * Here that is the merged kernel without CONFIG_ASYNC_KERNEL_PGTABLE_FREE: pagetable_free_kernel()
 * then frees at once, exactly as pte_free_kernel() did before the series.
 */
/* memdesc-machine: { "iommuSva": true, "asyncKernelPgtableFree": false } */
#include <linux/gfp.h>
#include <asm/pgalloc.h>

void scenario_vfree_pte_table(void)
{
	// expect-run MD017
	pte_t *pte = pte_alloc_one_kernel(&init_mm);
	unsigned long next;

	if (!pte)
		return;
	pte_free_kernel(&init_mm, pte);
	next = get_zeroed_page(GFP_KERNEL); /* the table's page, to a new owner */
	if (next)
		free_pages(next, 0);
}
