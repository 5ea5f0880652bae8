// SPDX-License-Identifier: GPL-2.0
/*
 * Design 1 — three lists (the C twin of 1-three-lists.ts). Kernel page-table pages are not freed
 * at once: they go on one of three lists, and a work item first tells the IOMMU
 * (iommu_sva_invalidate_kva_range) and then frees each list with its own function:
 *   dtor  — ptdescs that need their destructor (pte_free_kernel)   -> pagetable_dtor_free()
 *   page  — order-0 struct pages (cpa_collapse_large_pages)         -> __free_page()
 *   pages — higher-order, non-compound blocks (free_pagetable)      -> free_pages()
 * The object and its worker are written as Lu Baolu posted them in "Re: [PATCH v3 1/1] iommu/sva:
 * Invalidate KVA range on kernel TLB flush" (<e321d374-38a7-4f60-b991-58458a2761b9@linux.intel.com>,
 * 23 Aug 2025). The lists are chained as 1-three-lists.ts models them — struct pages through
 * page->lru, the order of a block on `pages` in page->private — which is not what that mail does:
 * it queues order-0 pages as page_ptdesc(page)->pt_list and higher-order blocks in kzalloc()ed
 * `struct async_free_data { node; addr; order; }`, and its worker does not yet invalidate the IOMMU
 * ("a future patch"). docs/decisions/0606-iommu-sva-design-1-in-c.md says why the twin follows the
 * model.
 */
/* memdesc-machine: { "iommuSva": true, "asyncKernelPgtableFree": false } */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/workqueue.h>
#include <asm/pgalloc.h>

/* mm/pgtable-generic.c */
static void kernel_pgtable_work_func(struct work_struct *work);

static struct {
	/* list for pagetable_dtor_free() */
	struct list_head dtor;
	/* list for __free_page() */
	struct list_head page;
	/* list for free_pages() */
	struct list_head pages;
	/* protect all the lists */
	spinlock_t lock;
	struct work_struct work;
} kernel_pgtable_work = {
	.dtor = LIST_HEAD_INIT(kernel_pgtable_work.dtor),
	.page = LIST_HEAD_INIT(kernel_pgtable_work.page),
	.pages = LIST_HEAD_INIT(kernel_pgtable_work.pages),
	.lock = __SPIN_LOCK_UNLOCKED(kernel_pgtable_work.lock),
	.work = __WORK_INITIALIZER(kernel_pgtable_work.work, kernel_pgtable_work_func),
};

static void kernel_pgtable_work_func(struct work_struct *work)
{
	struct ptdesc *ptdesc, *next;
	struct page *page, *tmp;
	LIST_HEAD(pages_list);
	LIST_HEAD(dtor_list);
	LIST_HEAD(page_list);

	spin_lock(&kernel_pgtable_work.lock);
	list_splice_tail_init(&kernel_pgtable_work.dtor, &dtor_list);
	list_splice_tail_init(&kernel_pgtable_work.page, &page_list);
	list_splice_tail_init(&kernel_pgtable_work.pages, &pages_list);
	spin_unlock(&kernel_pgtable_work.lock);

	iommu_sva_invalidate_kva_range(PAGE_OFFSET, TLB_FLUSH_ALL);

	list_for_each_entry_safe(ptdesc, next, &dtor_list, pt_list) {
		list_del(&ptdesc->pt_list);
		pagetable_dtor_free(ptdesc);
	}

	list_for_each_entry_safe(page, tmp, &page_list, lru) { // expect MD007 at interim32,interim16,final
		list_del(&page->lru); // expect MD007 at interim32,interim16,final
		__free_page(page);
	}

	list_for_each_entry_safe(page, tmp, &pages_list, lru) { // expect MD007 at interim32,interim16,final
		list_del(&page->lru); // expect MD007 at interim32,interim16,final
		/* memdesc: the order of a block on `pages` is kept in page->private (owner data). */
		free_pages((unsigned long)page_address(page), page_private(page)); // expect MD007 at interim16,final
	}
}

/* include/asm-generic/pgalloc.h pte_free_kernel(): defer the ptdesc. */
static inline void pte_free_kernel(struct mm_struct *mm, pte_t *pte)
{
	struct ptdesc *ptdesc = virt_to_ptdesc(pte);

	spin_lock(&kernel_pgtable_work.lock);
	list_add(&ptdesc->pt_list, &kernel_pgtable_work.dtor);
	spin_unlock(&kernel_pgtable_work.lock);

	schedule_work(&kernel_pgtable_work.work);
}

/* arch/x86/mm/init_64.c free_pagetable(page, order) (memory hot-remove). */
static void free_pagetable(struct page *page, int order)
{
	spin_lock(&kernel_pgtable_work.lock);
	if (order == 0) {
		list_add(&page->lru, &kernel_pgtable_work.page); // expect MD007 at interim32,interim16,final
	} else {
		set_page_private(page, order); // expect MD007 at interim16,final
		list_add(&page->lru, &kernel_pgtable_work.pages); // expect MD007 at interim32,interim16,final
	}
	spin_unlock(&kernel_pgtable_work.lock);

	schedule_work(&kernel_pgtable_work.work);
}

/* arch/x86/mm/pat/set_memory.c cpa_collapse_large_pages(): the PTE pages it collected on pgtables. */
static void cpa_free_pgtables(struct list_head *pgtables)
{
	struct ptdesc *ptdesc, *tmp;

	spin_lock(&kernel_pgtable_work.lock);
	list_for_each_entry_safe(ptdesc, tmp, pgtables, pt_list) {
		list_del(&ptdesc->pt_list);
		list_add(&ptdesc_page(ptdesc)->lru, &kernel_pgtable_work.page); // expect MD007 at interim32,interim16,final
	}
	spin_unlock(&kernel_pgtable_work.lock);

	schedule_work(&kernel_pgtable_work.work);
}

/* mm/sparse-vmemmap.c vmemmap_alloc_block(): a non-compound block (no __GFP_COMP). */
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

/* Scenarios (memdesc check --run): each runs on a fresh machine, then pending work is flushed. */

/* vfree() of a vmalloc area whose PTE table goes away; the page is wanted again at once. */
void scenario_vfree_pte_table(void)
{
	pte_t *pte = pte_alloc_one_kernel(&init_mm);

	if (!pte)
		return;
	pte_free_kernel(&init_mm, pte);
	reuse();
}

/* Memory hot-remove: a direct-map PTE table and a PMD-sized vmemmap block are freed. */
void scenario_memory_hot_remove(void)
{
	void *table = alloc_low_pages(1);
	void *vmemmap = vmemmap_alloc_block(PMD_SIZE, 0);

	if (!table || !vmemmap)
		return;
	free_pagetable(virt_to_page(table), 0);
	free_pagetable(virt_to_page(vmemmap), get_order(PMD_SIZE)); /* free_hugepage_table() */
	reuse();
}

/* set_memory: cpa_collapse_large_pages() frees the PTE pages of a collapsed range. */
void scenario_cpa_collapse(void)
{
	// expect-run MD006
	LIST_HEAD(pgtables);
	int i;

	for (i = 0; i < 2; i++) {
		unsigned long pte = get_zeroed_page(GFP_KERNEL); /* alloc_pte_page() */

		if (!pte)
			return;
		list_add(&page_ptdesc(virt_to_page((void *)pte))->pt_list, &pgtables); // expect MD006
	}
	cpa_free_pgtables(&pgtables);
	flush_scheduled_work();
}
