// MD017 kept: CONFIG_ASYNC_KERNEL_PGTABLE_FREE queues the table; the worker invalidates the IOMMU
// before the page goes back to the allocator.
/* memdesc-machine: { "iommuSva": true, "asyncKernelPgtableFree": true } */
#include <linux/gfp.h>
#include <linux/workqueue.h>
#include <asm/pgalloc.h>

void scenario_deferred_free(void)
{
	pte_t *pte = pte_alloc_one_kernel(&init_mm);
	struct page *page;

	if (!pte)
		return;
	pte_free_kernel(&init_mm, pte);
	page = alloc_page(GFP_KERNEL);
	flush_scheduled_work();
	if (page)
		__free_page(page);
}
