// SPDX-License-Identifier: GPL-2.0
/*
 * Design 2 — Dave Hansen's consolidation (the C twin of 2-one-list.ts). Lu Baolu posted the code
 * on 27 Aug 2025, "Re: [PATCH v3 1/1] iommu/sva: Invalidate KVA range on kernel TLB flush"
 * (<c69950ee-660b-4f51-9277-522470d0ce5d@linux.intel.com>): one list, kernel_pgtable_work.list,
 * every entry chained through ptdesc->pt_list, a struct page queued as page_ptdesc(page).
 * Dave Hansen's answer the same day: "kernel_pgtable_work_func() only does
 * __free_pages(page, compound_order(page)). All of the things that queue gunk to the list do the
 * legwork" — so here the destructor runs before queueing and the worker needs no
 * ASYNC_PGTABLE_FREE_DTOR bit (which "aliases with page flags"), and the higher-order block is
 * allocated __GFP_COMP (#3).
 */
/* memdesc-machine: { "iommuSva": true, "asyncKernelPgtableFree": false } */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/workqueue.h>
#include <asm/pgalloc.h>

/* mm/pgtable-generic.c, as posted */
static void kernel_pgtable_work_func(struct work_struct *work);

static struct {
	struct list_head list;
	/* protect above ptdesc lists */
	spinlock_t lock;
	struct work_struct work;
} kernel_pgtable_work = {
	.list = LIST_HEAD_INIT(kernel_pgtable_work.list),
	.lock = __SPIN_LOCK_UNLOCKED(kernel_pgtable_work.lock),
	.work = __WORK_INITIALIZER(kernel_pgtable_work.work, kernel_pgtable_work_func),
};

static void kernel_pgtable_work_func(struct work_struct *work)
{
	struct ptdesc *ptdesc, *next;
	LIST_HEAD(page_list);

	spin_lock(&kernel_pgtable_work.lock);
	list_splice_tail_init(&kernel_pgtable_work.list, &page_list);
	spin_unlock(&kernel_pgtable_work.lock);

	iommu_sva_invalidate_kva_range(PAGE_OFFSET, TLB_FLUSH_ALL);

	list_for_each_entry_safe(ptdesc, next, &page_list, pt_list) {
		struct page *page = ptdesc_page(ptdesc);

		list_del(&ptdesc->pt_list);
		__free_pages(page, compound_order(page));
	}
}

/* #1: a ptdesc that needs its destructor: run it, then queue. */
void kernel_pgtable_async_free_dtor(struct ptdesc *ptdesc)
{
	pagetable_dtor(ptdesc);

	spin_lock(&kernel_pgtable_work.lock);
	list_add(&ptdesc->pt_list, &kernel_pgtable_work.list);
	spin_unlock(&kernel_pgtable_work.lock);

	schedule_work(&kernel_pgtable_work.work);
}

/* #2 and #3: a struct page (order 0, or a compound block) goes on the same list. */
void kernel_pgtable_async_free_page(struct page *page)
{
	spin_lock(&kernel_pgtable_work.lock);
	list_add(&page_ptdesc(page)->pt_list, &kernel_pgtable_work.list);
	spin_unlock(&kernel_pgtable_work.lock);

	schedule_work(&kernel_pgtable_work.work);
}

/* A list of ptdescs (cpa_collapse_large_pages) joins the deferred list as a whole. */
void kernel_pgtable_async_free_page_list(struct list_head *list)
{
	spin_lock(&kernel_pgtable_work.lock);
	list_splice_tail(list, &kernel_pgtable_work.list);
	spin_unlock(&kernel_pgtable_work.lock);

	schedule_work(&kernel_pgtable_work.work);
}

/* include/asm-generic/pgalloc.h pte_free_kernel() */
static inline void pte_free_kernel(struct mm_struct *mm, pte_t *pte)
{
	kernel_pgtable_async_free_dtor(virt_to_ptdesc(pte));
}

/* arch/x86/mm/init_64.c free_pagetable(page, order): every block is compound now (#3). */
static void free_pagetable(struct page *page, int order)
{
	kernel_pgtable_async_free_page(page);
}

/* mm/sparse-vmemmap.c vmemmap_alloc_block(), with __GFP_COMP added (#3). */
static void *vmemmap_alloc_block(unsigned long size, int node)
{
	struct page *page = alloc_pages_node(node, GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN |
					     __GFP_COMP, get_order(size));

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

/* Scenarios (memdesc check --run): the same three as design 1. */

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
	// expect-run MD006
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
	kernel_pgtable_async_free_page_list(&pgtables);
	flush_scheduled_work();
}
