// MD017: with an IOMMU bound to the kernel address space (SVA), a freed kernel page table must not be
// reused before iommu_sva_invalidate_kva_range(). Without CONFIG_ASYNC_KERNEL_PGTABLE_FREE,
// pte_free_kernel() frees at once and the next allocation reuses the page.
/* memdesc-machine: { "iommuSva": true, "asyncKernelPgtableFree": false } */
#include <linux/gfp.h>
#include <asm/pgalloc.h>

void scenario_reuse_before_invalidation(void)
{
	// expect-run MD017
	pte_t *pte = pte_alloc_one_kernel(&init_mm);
	struct page *page;

	if (!pte)
		return;
	pte_free_kernel(&init_mm, pte);
	page = alloc_page(GFP_KERNEL);
	if (page)
		__free_page(page);
}
