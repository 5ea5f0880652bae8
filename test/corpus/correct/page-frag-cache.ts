// kernel: mm/page_frag_cache.c __page_frag_cache_refill(), __page_frag_alloc_align(),
// page_frag_free(), page_frag_cache_drain()
// tree: linux-mm/linux-mm @df924641a34e593a621df5a53070ddea1bf92213
// The network stack's fragment cache: a compound block of PAGE_FRAG_CACHE_MAX_ORDER (32 KiB = order 3
// with 4 KiB pages; __GFP_COMP), each fragment holding one reference of the head page (the kernel
// pre-adds them as pagecnt_bias; modelled as one get_page() per fragment handed out).
// page_frag_free(addr) drops a fragment's reference through virt_to_head_page(), from any offset
// inside any page of the block; the last reference frees compound_order(page) pages.
import {
  __GFP_COMP,
  __GFP_NORETRY,
  __GFP_NOWARN,
  alloc_pages,
  GFP_ATOMIC,
  get_page,
  type Page,
  page_address,
  put_page,
  virt_to_head_page,
} from "memdesc/sim";

const PAGE_FRAG_CACHE_MAX_ORDER = 3; // get_order(PAGE_FRAG_CACHE_MAX_SIZE = 32768)
const PAGE_SIZE = 4096;

interface page_frag_cache {
  page: Page | null;
  offset: number;
}

function __page_frag_alloc(nc: page_frag_cache, fragsz: number): number | null {
  if (!nc.page) {
    nc.page = alloc_pages(GFP_ATOMIC | __GFP_COMP | __GFP_NOWARN | __GFP_NORETRY, PAGE_FRAG_CACHE_MAX_ORDER);
    if (!nc.page) return null;
    nc.offset = 0;
  }
  if (nc.offset + fragsz > PAGE_SIZE << PAGE_FRAG_CACHE_MAX_ORDER) return null;
  get_page(nc.page); // the fragment's share of pagecnt_bias
  const addr = (page_address(nc.page) as number) + nc.offset;
  nc.offset += fragsz;
  return addr;
}

function page_frag_free(addr: number) {
  // put_page_testzero(virt_to_head_page(addr)) -> free_frozen_pages(page, compound_order(page))
  put_page(virt_to_head_page(addr as never));
}

function page_frag_cache_drain(nc: page_frag_cache) {
  if (!nc.page) return;
  put_page(nc.page); // the cache's own reference
  nc.page = null;
}

export function scenario_frags_across_the_block() {
  const nc: page_frag_cache = { page: null, offset: 0 };
  const frags: number[] = [];
  for (let i = 0; i < 12; i++) {
    const f = __page_frag_alloc(nc, 2048 + 512); // skb heads: 2.5 KiB each, they cross page boundaries
    if (f === null) break;
    frags.push(f);
  }
  page_frag_cache_drain(nc); // the cache lets go first; the fragments keep the block alive
  for (const f of frags) page_frag_free(f);
}
