// kernel: lib/scatterlist.c sg_kmalloc() / sg_kfree()
// tree: linux-mm/linux-mm (December 2026). A chain of SG_MAX_SINGLE_ALLOC entries is one page from
// __get_free_page(). Bug of the kind "wrong-order free_pages", no specific commit, written as it
// happens when the allocation side is changed and the free side is not: the table grows to two
// pages (__get_free_pages(gfp, 1)) while sg_kfree() still frees one (free_page()).
import { __get_free_pages, free_page, GFP_ATOMIC } from "memdesc/sim";

const SG_CHAIN_ORDER = 1;

function sg_kmalloc(gfp_mask: number) {
  return __get_free_pages(gfp_mask, SG_CHAIN_ORDER);
}

function sg_kfree(sg: number) {
  free_page(sg);
}

export function scenario_sg_table_free() {
  // expect-run MD002 MD018 — an order-1 block freed at order 0; its second page is lost
  const sg = sg_kmalloc(GFP_ATOMIC);
  if (!sg) return;
  sg_kfree(sg);
}
