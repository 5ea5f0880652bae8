// SPDX-License-Identifier: GPL-2.0
/*
 * Design 3 — what was merged (the C twin of 3-merged.ts): Lu Baolu, "[PATCH v7 0/8] Fix stale
 * IOTLB entries for kernel address space" (22 Oct 2025); deferred freeing is upstream commit
 * 5ba2f0a15564 "mm: introduce deferred freeing for kernel page tables" (Dave Hansen).
 *   - PT_kernel marks kernel page tables at allocation (the asm-generic allocators call
 *     ptdesc_set_kernel() for init_mm);
 *   - pagetable_free() sends a PT_kernel table to pagetable_free_kernel(), which with
 *     CONFIG_ASYNC_KERNEL_PGTABLE_FREE queues it for a worker that calls
 *     iommu_sva_invalidate_kva_range() before __pagetable_free();
 *   - x86 frees its own kernel page tables with pagetable_free() (bf9e4e30f353 "x86/mm: use
 *     pagetable_free()").
 * The mm side is memdesc/sim's own; only the x86 callers are written here. vmemmap_alloc_block()
 * is unchanged by the series (no __GFP_COMP).
 */
/* memdesc-machine: { "iommuSva": true, "asyncKernelPgtableFree": true } */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <asm/pgalloc.h>

/* arch/x86/mm/init_64.c free_pagetable(page, order) after bf9e4e30f353 (non-reserved pages). */
static void free_pagetable(struct page *page, int order)
{
	pagetable_free(page_ptdesc(page));
}

/* arch/x86/mm/pat/set_memory.c cpa_collapse_large_pages() after patch 6. */
static void cpa_free_pgtables(struct list_head *pgtables)
{
	struct ptdesc *ptdesc, *tmp;

	list_for_each_entry_safe(ptdesc, tmp, pgtables, pt_list) {
		list_del(&ptdesc->pt_list);
		pagetable_free(ptdesc);
	}
}

/* mm/sparse-vmemmap.c vmemmap_alloc_block(): a non-compound block. */
static void *vmemmap_alloc_block(unsigned long size, int node)
{
	struct page *page = alloc_pages_node(node, GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN,
					     get_order(size));

	if (page)
		return page_address(page);
	return NULL;
}

/*
 * The kernel goes on allocating: the page allocator hands out the pages freed last first (per-CPU
 * lists are LIFO), so a page freed before the IOMMU was told is the first to be reused. Then the
 * deferred work runs and everything is given back.
 */
static void reuse(void)
{
	unsigned long a = get_zeroed_page(GFP_KERNEL);
	unsigned long b = get_zeroed_page(GFP_KERNEL);
	unsigned long c = get_zeroed_page(GFP_KERNEL);

	flush_scheduled_work();
	if (a)
		free_pages(a, 0);
	if (b)
		free_pages(b, 0);
	if (c)
		free_pages(c, 0);
}

/* Scenarios (memdesc check --run): the same three as designs 1 and 2. */

void scenario_vfree_pte_table(void)
{
	pte_t *pte = pte_alloc_one_kernel(&init_mm);

	if (!pte)
		return;
	pte_free_kernel(&init_mm, pte);
	reuse();
}

void scenario_memory_hot_remove(void)
{
	// expect-run MD006 MD008 MD009 MD017 MD018
	void *table = alloc_low_pages(1);
	void *vmemmap = vmemmap_alloc_block(PMD_SIZE, 0);

	if (!table || !vmemmap)
		return;
	free_pagetable(virt_to_page(table), 0);
	free_pagetable(virt_to_page(vmemmap), get_order(PMD_SIZE)); /* free_hugepage_table() */
	reuse();
}

void scenario_cpa_collapse(void)
{
	// expect-run MD006
	LIST_HEAD(pgtables);
	int i;

	for (i = 0; i < 2; i++) {
		unsigned long pte = get_zeroed_page(GFP_KERNEL);

		if (!pte)
			return;
		list_add(&page_ptdesc(virt_to_page((void *)pte))->pt_list, &pgtables); // expect MD006
	}
	cpa_free_pgtables(&pgtables);
	flush_scheduled_work();
}
