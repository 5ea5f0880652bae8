// kernel: net/core/sock.c skb_page_frag_refill()
// tree: linux-mm/linux-mm (December 2026). The fragment page is allocated with alloc_pages(gfp |
// __GFP_COMP | __GFP_NOWARN | __GFP_NORETRY, SKB_FRAG_PAGE_ORDER) and released with put_page().
// Bug of the kind "a non-compound high-order block given back through a compound_order() path",
// no specific commit: __GFP_COMP left out, so the last put_page() frees compound_order() = 0
// pages, one page of the eight.
import { alloc_pages, GFP_KERNEL, put_page } from "memdesc/sim";

const SKB_FRAG_PAGE_ORDER = 3; // get_order(32768)

export function scenario_frag_page_put() {
  // expect-run MD009 MD018 — put_page() of a non-compound order-3 block frees one page; seven are lost
  const page = alloc_pages(`${GFP_KERNEL} | __GFP_NOWARN | __GFP_NORETRY`, SKB_FRAG_PAGE_ORDER);
  if (!page) return;
  // the socket is done with the fragment: the last reference
  put_page(page);
}
