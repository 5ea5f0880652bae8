// kernel: lib/scatterlist.c sg_kmalloc() / sg_kfree()
// tree: linux-mm/linux-mm (December 2026). A chain of exactly SG_MAX_SINGLE_ALLOC entries is a page
// from __get_free_page(), any other length comes from kmalloc_array(); sg_kfree() must be told the
// same nents. Bug of the kind "a slab page given back through the page allocator", no specific
// commit: the free side is told SG_MAX_SINGLE_ALLOC for a short table and calls free_page() on a
// kmalloc() object, so the slab's page goes to the buddy allocator while the slab still hands out
// objects from it.
import { __get_free_page, free_page, GFP_ATOMIC, kfree, kmalloc, PAGE_SIZE } from "memdesc/sim";

const SG_ENTRY_SIZE = 32; // sizeof(struct scatterlist) on x86-64
const SG_MAX_SINGLE_ALLOC = PAGE_SIZE / SG_ENTRY_SIZE;

function sg_kmalloc(nents: number, gfp_mask: number) {
  if (nents === SG_MAX_SINGLE_ALLOC) return __get_free_page(gfp_mask);
  return kmalloc(nents * SG_ENTRY_SIZE, gfp_mask);
}

function sg_kfree(sg: bigint | number, nents: number) {
  if (nents === SG_MAX_SINGLE_ALLOC) free_page(Number(sg));
  else kfree(sg);
}

export function scenario_short_table_freed_as_page() {
  // expect-run MD015 — the next kmalloc() of that size takes an object from the freed slab page
  const sg = sg_kmalloc(16, GFP_ATOMIC);
  if (!sg) return;
  sg_kfree(sg, SG_MAX_SINGLE_ALLOC); // BUG: the table was allocated with nents = 16
  const next = sg_kmalloc(16, GFP_ATOMIC);
  if (next) sg_kfree(next, 16);
}
