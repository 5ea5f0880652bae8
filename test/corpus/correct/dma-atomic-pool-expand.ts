// kernel: kernel/dma/pool.c atomic_pool_expand()
// tree: linux-mm/linux-mm @41bd2b7dcc72be7cb003e4d9aac2b265e3446383 (kernel/dma/pool.c)
// The atomic DMA pool grows by one high-order block: alloc_pages(gfp | __GFP_NOWARN, order),
// retried at smaller orders (order-- > min_order) until it succeeds, so the order the block has is
// known only at run time. When gen_pool_add_virt() fails the block goes back with
// __free_pages(page, order) at the order the loop ended on. Not modelled: CMA
// (cma_in_zone() is false here), the remap (CONFIG_DMA_DIRECT_REMAP off: addr =
// page_to_virt(page)), memory encryption (cc_shared false), the gen_pool itself.
import {
  __free_pages,
  __GFP_NOWARN,
  alloc_pages,
  ENOMEM,
  GFP_KERNEL,
  get_order,
  MAX_PAGE_ORDER,
  PAGE_SHIFT,
  type Page,
  page_address,
} from "memdesc/sim";

/** The pool's chunks, as gen_pool_add_virt() records them; the pool never shrinks. */
const pool: { addr: number; size: number }[] = [];

function gen_pool_add_virt(addr: number, size: number, fail: boolean) {
  if (fail) return -ENOMEM;
  pool.push({ addr, size });
  return 0;
}

function atomic_pool_expand(pool_size: number, gfp: number, gen_pool_fails: boolean) {
  const min_order = 0;
  let order: number;
  let page: Page | null = null;
  let ret = -ENOMEM;

  /* Cannot allocate larger than MAX_PAGE_ORDER */
  order = Math.min(get_order(pool_size), MAX_PAGE_ORDER);

  do {
    pool_size = 1 << (PAGE_SHIFT + order);
    page = alloc_pages(gfp | __GFP_NOWARN, order);
  } while (!page && order-- > min_order);
  if (!page) return ret;

  const addr = page_address(page);
  ret = gen_pool_add_virt(addr, pool_size, gen_pool_fails);
  if (ret) {
    // encrypt_mapping: remove_mapping: free_page:
    __free_pages(page, order);
    return ret;
  }
  return 0;
}

export function scenario_expand_fails_to_add_chunk() {
  // The default pool is 128 KiB: an order-5 block.
  atomic_pool_expand(128 << 10, GFP_KERNEL, true);
}

export function scenario_expand_beyond_max_order() {
  // 8 MiB asks for order 11; the min() caps it at MAX_PAGE_ORDER.
  atomic_pool_expand(8 << 20, GFP_KERNEL, true);
}
