// SPDX-License-Identifier: GPL-2.0
/*
 * Design 1 — three lists: Lu Baolu's patch "mm: Conditionally defer freeing of kernel page table
 * pages", posted inside "Re: [PATCH v3 1/1] iommu/sva: Invalidate KVA range on kernel TLB flush"
 * (Sat, 23 Aug 2025;
 * https://lore.kernel.org/all/e321d374-38a7-4f60-b991-58458a2761b9@linux.intel.com/), the
 * parts the scenarios reach, as posted; 1-three-lists.ts is its TypeScript twin.
 *
 * With CONFIG_ASYNC_PGTABLE_FREE, kernel page-table pages go on one of three lists and a work
 * item frees each list with its own function:
 *   dtor  — ptdescs that need their destructor (pte_free_kernel)              -> pagetable_dtor_free()
 *   page  — order-0 pages as ptdescs (cpa_collapse_large_pages, free_pagetable) -> __free_page()
 *   pages — higher-order blocks in kzalloc()ed struct async_free_data          -> free_pages()
 * The worker does not tell the IOMMU yet ("a future patch").
 *
 * memdesc: only the CONFIG_ASYNC_PGTABLE_FREE=y side of each IS_ENABLED() is kept (the C front
 *   end's default configuration leaves it unset).
 * memdesc: struct async_free_data is kmalloc memory on a list; memdesc/sim models lists of
 *   struct pages only, and the C front end makes `data->addr = …` and sizeof(*data) opaque. So
 *   the posted kzalloc()/list_add(&data->node, …)/free_pages(data->addr, data->order)/kfree(data)
 *   is kept below under `#if 0`, and what runs keeps the one block the scenarios queue in two
 *   statics (pending_addr, pending_order): the same free_pages(addr, order), by the worker.
 * memdesc: pud_free_pmd_page(), mm/Kconfig and the header declarations are left out (no
 *   scenario reaches them); free_pagetable() keeps only its non-bootmem branch.
 * docs/decisions/0606-iommu-sva-design-1-in-c.md.
 */
/* memdesc-machine: { "iommuSva": true, "asyncKernelPgtableFree": false } */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
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
	/* protect all the ptdesc lists */
	spinlock_t lock;
	struct work_struct work;
} kernel_pgtable_work = {
	.dtor = LIST_HEAD_INIT(kernel_pgtable_work.dtor),
	.page = LIST_HEAD_INIT(kernel_pgtable_work.page),
	.pages = LIST_HEAD_INIT(kernel_pgtable_work.pages),
	.lock = __SPIN_LOCK_UNLOCKED(kernel_pgtable_work.lock),
	.work = __WORK_INITIALIZER(kernel_pgtable_work.work, kernel_pgtable_work_func),
};

struct async_free_data {
	struct list_head node;
	unsigned long addr;
	int order;
};

/* memdesc: the one queued async_free_data the scenarios need (see the header). */
static unsigned long pending_addr;
static int pending_order;

static void kernel_pgtable_work_func(struct work_struct *work)
{
	struct ptdesc *ptdesc, *next;
	unsigned long addr;
	int order;
	LIST_HEAD(dtor_list);
	LIST_HEAD(page_list);

	spin_lock(&kernel_pgtable_work.lock);
	list_splice_tail_init(&kernel_pgtable_work.dtor, &dtor_list);
	list_splice_tail_init(&kernel_pgtable_work.page, &page_list);
	/* memdesc: list_splice_tail_init(&kernel_pgtable_work.pages, &pages_list); */
	addr = pending_addr;
	order = pending_order;
	pending_addr = 0;
	spin_unlock(&kernel_pgtable_work.lock);

	list_for_each_entry_safe(ptdesc, next, &dtor_list, pt_list) {
		list_del(&ptdesc->pt_list);
		pagetable_dtor_free(ptdesc);
	}

	list_for_each_entry_safe(ptdesc, next, &page_list, pt_list) {
		list_del(&ptdesc->pt_list);
		__free_page(ptdesc_page(ptdesc));
	}

#if 0 /* memdesc: as posted, not modelled */
	list_for_each_entry_safe(data, temp, &pages_list, node) {
		list_del(&data->node);
		free_pages(data->addr, data->order);
		kfree(data);
	}
#else
	if (addr)
		free_pages(addr, order);
#endif
}

void kernel_pgtable_async_free_dtor(struct ptdesc *ptdesc)
{
	spin_lock(&kernel_pgtable_work.lock);
	list_add(&ptdesc->pt_list, &kernel_pgtable_work.dtor);
	spin_unlock(&kernel_pgtable_work.lock);

	schedule_work(&kernel_pgtable_work.work);
}

void kernel_pgtable_async_free_page_list(struct list_head *list)
{
	spin_lock(&kernel_pgtable_work.lock);
	list_splice_tail(list, &kernel_pgtable_work.page);
	spin_unlock(&kernel_pgtable_work.lock);

	schedule_work(&kernel_pgtable_work.work);
}

void kernel_pgtable_async_free_pages(struct page *pages, int order)
{
	if (order == 0) {
		spin_lock(&kernel_pgtable_work.lock);
		list_add(&page_ptdesc(pages)->pt_list, &kernel_pgtable_work.page);
		spin_unlock(&kernel_pgtable_work.lock);

		goto out;
	}

#if 0 /* memdesc: as posted, not modelled */
	data = kzalloc(sizeof(*data), GFP_ATOMIC);
	if (!data) {
		free_pages((unsigned long)page_address(pages), order);
		goto out;
	}

	data->addr = (unsigned long)page_address(pages);
	data->order = order;

	spin_lock(&kernel_pgtable_work.lock);
	list_add(&data->node, &kernel_pgtable_work.pages);
	spin_unlock(&kernel_pgtable_work.lock);
#else
	spin_lock(&kernel_pgtable_work.lock);
	pending_addr = (unsigned long)page_address(pages);
	pending_order = order;
	spin_unlock(&kernel_pgtable_work.lock);
#endif

out:
	schedule_work(&kernel_pgtable_work.work);
}

/* include/asm-generic/pgalloc.h pte_free_kernel(), as the patch changes it. */
static inline void pte_free_kernel(struct mm_struct *mm, pte_t *pte)
{
	struct ptdesc *ptdesc = virt_to_ptdesc(pte);

	kernel_pgtable_async_free_dtor(ptdesc);
}

/* arch/x86/mm/init_64.c free_pagetable(page, order) (memory hot-remove), the non-bootmem branch. */
static void free_pagetable(struct page *page, int order)
{
	kernel_pgtable_async_free_pages(page, order);
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
	/* The table is still queued while reuse() allocates; the worker frees it after (not reused). */
	pte_t *pte = pte_alloc_one_kernel(&init_mm);

	if (!pte)
		return;
	pte_free_kernel(&init_mm, pte);
	reuse();
}

/* The same, but the kernel allocates again after the work has run, which told no IOMMU. */
void scenario_vfree_reuse_after_work(void)
{
	// expect-run MD017
	pte_t *pte = pte_alloc_one_kernel(&init_mm);
	unsigned long p;

	if (!pte)
		return;
	pte_free_kernel(&init_mm, pte);
	flush_scheduled_work();
	p = get_zeroed_page(GFP_KERNEL);
	if (p)
		free_pages(p, 0);
}

/* Memory hot-remove: a direct-map PTE table and a PMD-sized vmemmap block are freed. */
void scenario_memory_hot_remove(void)
{
	// expect-run MD006
	void *table = alloc_low_pages(1);
	void *vmemmap = vmemmap_alloc_block(PMD_SIZE, 0);

	if (!table || !vmemmap)
		return;
	free_pagetable(virt_to_page(table), 0); /* page_ptdesc() of a plain page */
	free_pagetable(virt_to_page(vmemmap), get_order(PMD_SIZE)); /* free_hugepage_table() */
	reuse();
}

/* Hot-remove, and the kernel allocates after the work has run: the table went back with __free_page(). */
void scenario_hot_remove_reuse_after_work(void)
{
	// expect-run MD006, MD017
	void *table = alloc_low_pages(1);
	unsigned long p;

	if (!table)
		return;
	free_pagetable(virt_to_page(table), 0);
	flush_scheduled_work();
	p = get_zeroed_page(GFP_KERNEL);
	if (p)
		free_pages(p, 0);
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
	kernel_pgtable_async_free_page_list(&pgtables);
	flush_scheduled_work();
}
