// kernel: kernel/events/ring_buffer.c rb_alloc_aux_page(), rb_free_aux_page(), rb_alloc_aux(),
// __rb_free_aux()
// tree: linux-mm/linux-mm (December 2026), kernel/events/ring_buffer.c as read through the
// search index (the functions are unchanged since 0a4e38e64f5e "perf: Support high-order
// allocations for AUX space" but for the MAX_PAGE_ORDER cap)
// The AUX area is built from high-order blocks where it can be: alloc_pages_node(node,
// PERF_AUX_GFP, order), retried at smaller orders; a block that came out high-order is
// split_page()d and its first page records the order in page->private (PG_private set) for the
// PMU driver. Every page is then a page of its own: __rb_free_aux() frees them one by one with
// __free_page() after clearing PG_private and page->mapping. Not modelled: the driver's
// setup_aux(), the user page mapping. Correct today; the struct page fields it uses
// (->private, ->mapping) are gone at the smaller stages, so MD007 there is expected (decision
// 0032): the code must move the order somewhere else before struct page shrinks.
import {
  __free_page,
  __GFP_NORETRY,
  __GFP_NOWARN,
  __GFP_ZERO,
  alloc_pages_node,
  ClearPagePrivate,
  GFP_KERNEL,
  MAX_PAGE_ORDER,
  nth_page,
  type Page,
  page_address,
  page_private,
  SetPagePrivate,
  set_page_private,
  split_page,
  virt_to_page,
} from "memdesc/sim";

const PERF_AUX_GFP = GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN | __GFP_NORETRY;

interface perf_buffer {
  aux_pages: number[];
  aux_nr_pages: number;
}

function rb_alloc_aux_page(node: number, order: number): Page | null {
  let page: Page | null;

  if (order > MAX_PAGE_ORDER) order = MAX_PAGE_ORDER;

  do {
    page = alloc_pages_node(node, PERF_AUX_GFP, order);
  } while (!page && order--);

  if (page && order) {
    /*
     * Communicate the allocation size to the driver:
     * if we managed to secure a high-order allocation,
     * set its first page's private to this order;
     * !PagePrivate(page) means it's just a normal page.
     */
    split_page(page, order);
    SetPagePrivate(page);
    set_page_private(page, order); // expect MD007 at interim16,final — page->private goes too
  }

  return page;
}

function rb_free_aux_page(rb: perf_buffer, idx: number) {
  const page = virt_to_page(rb.aux_pages[idx]);

  ClearPagePrivate(page);
  page.mapping = null; // expect MD007 at interim32,interim16,final — no page->mapping in a small struct page
  __free_page(page);
}

function __rb_free_aux(rb: perf_buffer) {
  if (rb.aux_nr_pages) {
    for (let pg = 0; pg < rb.aux_nr_pages; pg++) rb_free_aux_page(rb, pg);
    rb.aux_pages = [];
    rb.aux_nr_pages = 0;
  }
}

function rb_alloc_aux(rb: perf_buffer, node: number, nr_pages: number, max_order: number) {
  for (rb.aux_nr_pages = 0; rb.aux_nr_pages < nr_pages; ) {
    const order = Math.min(max_order, Math.floor(Math.log2(nr_pages - rb.aux_nr_pages)));
    let page = rb_alloc_aux_page(node, order);
    if (!page) {
      __rb_free_aux(rb);
      return -12;
    }

    const last = rb.aux_nr_pages + (1 << page_private(page)); // expect MD007 at interim16,final
    for (; last > rb.aux_nr_pages; rb.aux_nr_pages++) {
      rb.aux_pages[rb.aux_nr_pages] = page_address(page);
      page = nth_page(page, 1);
    }
  }
  return 0;
}

export function scenario_aux_buffer_of_high_order_blocks() {
  const rb: perf_buffer = { aux_pages: [], aux_nr_pages: 0 };
  // 12 pages with max_order 3: one order-3 block (split), one order-2 block (split)
  if (rb_alloc_aux(rb, -1, 12, 3)) return;
  __rb_free_aux(rb);
}
