/**
 * Design 1 — three lists: Lu Baolu's patch "mm: Conditionally defer freeing of kernel page table
 * pages", posted inside "Re: [PATCH v3 1/1] iommu/sva: Invalidate KVA range on kernel TLB flush"
 * (Sat, 23 Aug 2025; https://lore.kernel.org/all/e321d374-38a7-4f60-b991-58458a2761b9@linux.intel.com/).
 * The TypeScript twin of 1-three-lists.c: the posted code against memdesc/sim, kernel names, C
 * argument order.
 *
 * With CONFIG_ASYNC_PGTABLE_FREE, kernel page-table pages are not freed at once: they go on one of
 * three lists of `kernel_pgtable_work`, and its work item frees each list with its own function:
 *   dtor  — ptdescs that need their destructor (pte_free_kernel, pud_free_pmd_page) → pagetable_dtor_free()
 *   page  — order-0 pages, queued as ptdescs (cpa_collapse_large_pages, free_pagetable(page, 0)) → __free_page()
 *   pages — higher-order blocks (free_pagetable(page, order)), each in a kzalloc()ed
 *           struct async_free_data { node; addr; order; }                      → free_pages(addr, order)
 * Order-0 pages are chained through ptdesc->pt_list — `page_ptdesc(pages)->pt_list` for a struct
 * page — after Jason Gunthorpe's "Please don't add new usages of lru" earlier in the thread. The
 * worker does not tell the IOMMU: the patch "provides a safe context for a future patch to add an
 * IOMMU-specific callback".
 *
 * memdesc: only the CONFIG_ASYNC_PGTABLE_FREE=y side of each IS_ENABLED() is kept.
 * memdesc: struct async_free_data is kmalloc memory on a list, which memdesc/sim does not model
 *   (its lists are of struct pages); `pages` is an array of the structs, list_add() = unshift(),
 *   list_splice_tail_init() = take them all. kzalloc(sizeof(*data), GFP_ATOMIC), its failure branch
 *   (free_pages() at once) and kfree(data) are left out: they touch no page.
 * memdesc: the lock (spin_lock()/spin_unlock()) is not modelled; pud_free_pmd_page(), pmd_free()
 *   and the Kconfig/header parts of the patch are left out (no scenario reaches them).
 * docs/decisions/0606-iommu-sva-design-1-in-c.md.
 */
import {
  __free_page,
  alloc_low_pages,
  alloc_pages_node,
  flush_scheduled_work,
  free_pages,
  GFP_KERNEL,
  get_order,
  get_zeroed_page,
  INIT_WORK,
  init_mm,
  type KernelAddress,
  LIST_HEAD,
  list_add,
  list_del,
  list_for_each_entry_safe,
  list_splice_tail,
  list_splice_tail_init,
  type mm_struct,
  type Page,
  PMD_SIZE,
  type Ptdesc,
  page_address,
  page_ptdesc,
  pagetable_dtor_free,
  ptdesc_page,
  pte_alloc_one_kernel,
  schedule_work,
  virt_to_page,
  virt_to_ptdesc,
} from "memdesc/sim";

/** Machine configuration for the scenarios: an IOMMU with SVA; the patch has its own worker. */
export const machine = { iommuSva: true, asyncKernelPgtableFree: false };

/** struct async_free_data (mm/pgtable-generic.c, as posted); `node` is its place in the array. */
interface async_free_data {
  addr: number;
  order: number;
}

// mm/pgtable-generic.c: static struct { struct list_head dtor, page, pages; spinlock_t lock;
// struct work_struct work; } kernel_pgtable_work
const kernel_pgtable_work = {
  /* list for pagetable_dtor_free() */
  dtor: LIST_HEAD(),
  /* list for __free_page() */
  page: LIST_HEAD(),
  /* list for free_pages() */
  pages: [] as async_free_data[],
  work: INIT_WORK(kernel_pgtable_work_func, "kernel_pgtable_work_func"),
};

function kernel_pgtable_work_func(): void {
  const dtor_list = LIST_HEAD();
  const page_list = LIST_HEAD();
  // spin_lock(&kernel_pgtable_work.lock);
  list_splice_tail_init(kernel_pgtable_work.dtor, dtor_list);
  list_splice_tail_init(kernel_pgtable_work.page, page_list);
  const pages_list = kernel_pgtable_work.pages.splice(0); // list_splice_tail_init(&….pages, &pages_list)
  // spin_unlock(&kernel_pgtable_work.lock);

  // No iommu_sva_invalidate_kva_range() here: "a future patch".
  for (const ptdesc of list_for_each_entry_safe(dtor_list, "ptdesc", "pt_list")) {
    list_del(ptdesc.pt_list);
    pagetable_dtor_free(ptdesc);
  }

  for (const ptdesc of list_for_each_entry_safe(page_list, "ptdesc", "pt_list")) {
    list_del(ptdesc.pt_list);
    __free_page(ptdesc_page(ptdesc));
  }

  for (const data of pages_list) {
    // list_del(&data->node);
    free_pages(data.addr, data.order);
    // kfree(data);
  }
}

export function kernel_pgtable_async_free_dtor(ptdesc: Ptdesc): void {
  list_add(ptdesc.pt_list, kernel_pgtable_work.dtor);
  schedule_work(kernel_pgtable_work.work);
}

export function kernel_pgtable_async_free_page_list(list: ReturnType<typeof LIST_HEAD>): void {
  list_splice_tail(list, kernel_pgtable_work.page);
  schedule_work(kernel_pgtable_work.work);
}

export function kernel_pgtable_async_free_pages(pages: Page, order: number): void {
  if (order === 0) {
    // A struct page of unknown kind (the caller's): page_ptdesc() is a cast today; the run decides.
    list_add(page_ptdesc(pages).pt_list, kernel_pgtable_work.page);
    schedule_work(kernel_pgtable_work.work); // goto out
    return;
  }
  // data = kzalloc(sizeof(*data), GFP_ATOMIC); (memdesc: not modelled, never fails)
  const data: async_free_data = { addr: page_address(pages), order };
  kernel_pgtable_work.pages.unshift(data); // list_add(&data->node, &kernel_pgtable_work.pages)
  schedule_work(kernel_pgtable_work.work);
}

/** include/asm-generic/pgalloc.h pte_free_kernel(), as the patch changes it. */
export function pte_free_kernel(_mm: mm_struct, pte: KernelAddress): void {
  const ptdesc = virt_to_ptdesc(pte);
  kernel_pgtable_async_free_dtor(ptdesc);
}

/** arch/x86/mm/init_64.c free_pagetable(page, order) (memory hot-remove), the non-bootmem branch. */
export function free_pagetable(page: Page, order: number): void {
  kernel_pgtable_async_free_pages(page, order);
}

/** mm/sparse-vmemmap.c vmemmap_alloc_block(): a non-compound block (alloc_pages_node, no __GFP_COMP). */
function vmemmap_alloc_block(size: number, node: number): KernelAddress | 0 {
  const page = alloc_pages_node(node, "GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN", get_order(size));
  return page ? page_address(page) : 0;
}

/**
 * The kernel goes on allocating: the page allocator hands out the pages freed last first (per-CPU
 * lists are LIFO), so a page freed before the IOMMU was told is the first to be reused. Then the
 * deferred work runs and everything is given back.
 */
function reuse(): void {
  const pages = [get_zeroed_page(GFP_KERNEL), get_zeroed_page(GFP_KERNEL), get_zeroed_page(GFP_KERNEL)];
  flush_scheduled_work();
  for (const p of pages) if (p) free_pages(p, 0);
}

// ---------------------------------------------------------------------------------------------
// Scenarios (memdesc check --run): each runs on a fresh machine, then pending work is flushed.

/** vfree() of a vmalloc area whose PTE table goes away; the page is wanted again at once. */
export function scenario_vfree_pte_table() {
  // The table is still queued while reuse() allocates; the worker frees it after (not reused).
  const pte = pte_alloc_one_kernel(init_mm);
  if (!pte) return;
  pte_free_kernel(init_mm, pte);
  reuse();
}

/**
 * The same, but the kernel allocates again after the work has run: the worker gave the table back
 * with no IOMMU invalidation, so the next page handed out is the table the IOMMU may still walk.
 */
export function scenario_vfree_reuse_after_work() {
  // expect-run MD017
  const pte = pte_alloc_one_kernel(init_mm);
  if (!pte) return;
  pte_free_kernel(init_mm, pte);
  flush_scheduled_work();
  const p = get_zeroed_page(GFP_KERNEL);
  if (p) free_pages(p, 0);
}

/** Memory hot-remove: a direct-map PTE table and a PMD-sized vmemmap block are freed. */
export function scenario_memory_hot_remove() {
  // expect-run MD006
  const table = alloc_low_pages(1);
  const vmemmap = vmemmap_alloc_block(PMD_SIZE, 0);
  if (!table || !vmemmap) return;
  free_pagetable(virt_to_page(table), 0); // page_ptdesc() of a plain page
  free_pagetable(virt_to_page(vmemmap), get_order(PMD_SIZE)); // free_hugepage_table(): async_free_data
  reuse();
}

/**
 * Hot-remove, and the kernel allocates after the work has run: the worker gave the direct-map
 * table back with __free_page() and no IOMMU invalidation.
 */
export function scenario_hot_remove_reuse_after_work() {
  // expect-run MD006, MD017
  const table = alloc_low_pages(1);
  if (!table) return;
  free_pagetable(virt_to_page(table), 0);
  flush_scheduled_work();
  const p = get_zeroed_page(GFP_KERNEL);
  if (p) free_pages(p, 0);
}

/** set_memory: cpa_collapse_large_pages() frees the PTE pages of a collapsed range. */
export function scenario_cpa_collapse() {
  // expect-run MD006
  const pgtables = LIST_HEAD();
  for (let i = 0; i < 2; i++) {
    const pte = get_zeroed_page(GFP_KERNEL); // alloc_pte_page()
    if (!pte) return;
    list_add(page_ptdesc(virt_to_page(pte)).pt_list, pgtables); // expect MD006 — as set_memory.c collects them
  }
  kernel_pgtable_async_free_page_list(pgtables);
  flush_scheduled_work();
}
