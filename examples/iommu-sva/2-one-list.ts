/**
 * Design 2 — Dave Hansen's consolidation (26–27 Aug 2025, same thread), as Lu Baolu coded it on
 * 27 Aug and Dave refined it the same day:
 *   - one deferred list instead of three;
 *   - #1: pte_free_kernel() tells the free path to defer — "a bit in the ptdesc or a new argument
 *     to pagetable_dtor_free()" (Baolu: ASYNC_PGTABLE_FREE_DTOR in the ptdesc's flags);
 *   - #2: order-0 struct pages "just append these to the deferred page table free list";
 *   - #3: higher-order blocks: "make sure it's got __GFP_COMP metadata. If so, you can just use
 *     __free_pages() for everything";
 *   - Dave, 27 Aug: "What I had in mind was that kernel_pgtable_work_func() only does
 *     __free_pages(page, compound_order(page)). All of the things that queue gunk to the list do
 *     the legwork" — so the destructor runs before queueing, and the worker needs no flag.
 * Baolu's code chains every entry through ptdesc->pt_list (a struct page is queued as
 * page_ptdesc(page)); it is kept here. Dave's objection to the flag bit ("it aliases with page
 * flags") is why the queueing functions run the destructor themselves.
 */
import {
  __free_pages,
  alloc_low_pages,
  alloc_pages_node,
  compound_order,
  flush_scheduled_work,
  free_pages,
  GFP_KERNEL,
  get_order,
  get_zeroed_page,
  INIT_WORK,
  init_mm,
  iommu_sva_invalidate_kva_range,
  type KernelAddress,
  LIST_HEAD,
  list_add,
  list_del,
  list_for_each_entry_safe,
  list_splice_tail,
  list_splice_tail_init,
  type mm_struct,
  PAGE_OFFSET,
  type Page,
  PMD_SIZE,
  type Ptdesc,
  page_address,
  page_ptdesc,
  pagetable_dtor,
  ptdesc_page,
  pte_alloc_one_kernel,
  schedule_work,
  TLB_FLUSH_ALL,
  virt_to_page,
  virt_to_ptdesc,
} from "memdesc/sim";

/** Machine configuration for the scenarios: an IOMMU with SVA; the design has its own worker. */
export const machine = { iommuSva: true, asyncKernelPgtableFree: false };

const kernel_pgtable_work = {
  list: LIST_HEAD(),
  work: INIT_WORK(kernel_pgtable_work_func, "kernel_pgtable_work_func"),
};

function kernel_pgtable_work_func(): void {
  const page_list = LIST_HEAD();
  list_splice_tail_init(kernel_pgtable_work.list, page_list);

  iommu_sva_invalidate_kva_range(PAGE_OFFSET, TLB_FLUSH_ALL);

  for (const ptdesc of list_for_each_entry_safe(page_list, "ptdesc", "pt_list")) {
    list_del(ptdesc.pt_list);
    const page = ptdesc_page(ptdesc);
    __free_pages(page, compound_order(page));
  }
}

/** #1: a ptdesc that needs its destructor: run it, then queue. */
export function kernel_pgtable_async_free_dtor(ptdesc: Ptdesc): void {
  pagetable_dtor(ptdesc);
  list_add(ptdesc.pt_list, kernel_pgtable_work.list);
  schedule_work(kernel_pgtable_work.work);
}

/** #2 and #3: a struct page (order 0, or a compound block) goes on the same list. */
export function kernel_pgtable_async_free_page(page: Page): void {
  list_add(page_ptdesc(page).pt_list, kernel_pgtable_work.list);
  schedule_work(kernel_pgtable_work.work);
}

/** A list of ptdescs (cpa_collapse_large_pages) joins the deferred list as a whole. */
export function kernel_pgtable_async_free_page_list(list: ReturnType<typeof LIST_HEAD>): void {
  list_splice_tail(list, kernel_pgtable_work.list);
  schedule_work(kernel_pgtable_work.work);
}

/** include/asm-generic/pgalloc.h pte_free_kernel(). */
export function pte_free_kernel(_mm: mm_struct, pte: KernelAddress): void {
  kernel_pgtable_async_free_dtor(virt_to_ptdesc(pte));
}

/** arch/x86/mm/init_64.c free_pagetable(page, order): every block is compound now (#3). */
export function free_pagetable(page: Page, _order: number): void {
  kernel_pgtable_async_free_page(page);
}

/** mm/sparse-vmemmap.c vmemmap_alloc_block(), with __GFP_COMP added (#3). */
function vmemmap_alloc_block(size: number, node: number): KernelAddress | 0 {
  const page = alloc_pages_node(
    node,
    "GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN | __GFP_COMP",
    get_order(size),
  );
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
// Scenarios (memdesc check --run): the same three as design 1.

export function scenario_vfree_pte_table() {
  const pte = pte_alloc_one_kernel(init_mm);
  if (!pte) return;
  pte_free_kernel(init_mm, pte);
  reuse();
}

export function scenario_memory_hot_remove() {
  // expect-run MD006
  const table = alloc_low_pages(1);
  const vmemmap = vmemmap_alloc_block(PMD_SIZE, 0);
  if (!table || !vmemmap) return;
  free_pagetable(virt_to_page(table), 0);
  free_pagetable(virt_to_page(vmemmap), get_order(PMD_SIZE));
  reuse();
}

export function scenario_cpa_collapse() {
  // expect-run MD006
  const pgtables = LIST_HEAD();
  for (let i = 0; i < 2; i++) {
    const pte = get_zeroed_page(GFP_KERNEL);
    if (!pte) return;
    list_add(page_ptdesc(virt_to_page(pte)).pt_list, pgtables); // expect MD006
  }
  kernel_pgtable_async_free_page_list(pgtables);
  flush_scheduled_work();
}
