// kernel: lib/scatterlist.c sg_kmalloc(), sg_kfree(), __sg_alloc_table(), __sg_free_table()
// tree: torvalds/linux (unchanged in v6.x; read in the 0day-ci/linux mirror @324e2fd13c8dbbe4b9bd2a9367dcd7a122330abc)
// A scatterlist larger than one page is a chain of chunks: a full chunk (SG_MAX_SINGLE_ALLOC
// entries) is one page from __get_free_page(gfp_mask), freed with free_page((unsigned long) sg);
// the last, smaller chunk comes from kmalloc_array() and goes back with kfree().
import { __get_free_page, free_page, GFP_KERNEL, kfree, kmalloc, PAGE_SIZE } from "memdesc/sim";

const SIZEOF_SCATTERLIST = 32; // x86-64 without CONFIG_DEBUG_SG
const SG_MAX_SINGLE_ALLOC = PAGE_SIZE / SIZEOF_SCATTERLIST;

function sg_kmalloc(nents: number) {
  if (nents === SG_MAX_SINGLE_ALLOC) return { nents, page: __get_free_page(GFP_KERNEL), obj: null };
  return { nents, page: null, obj: kmalloc(nents * SIZEOF_SCATTERLIST, GFP_KERNEL) };
}

function sg_kfree(sg: ReturnType<typeof sg_kmalloc>) {
  if (sg.nents === SG_MAX_SINGLE_ALLOC) {
    if (sg.page) free_page(sg.page);
  } else if (sg.obj) kfree(sg.obj);
}

export function scenario_sg_alloc_free_chained_table() {
  // __sg_alloc_table(table, nents = 300, SG_MAX_SINGLE_ALLOC, ...): chunks of 128 (one entry of
  // each full chunk is the chain link: 127 data entries), then the rest.
  let left = 300;
  const chunks = [];
  while (left > 0) {
    const alloc_size = left > SG_MAX_SINGLE_ALLOC - 1 ? SG_MAX_SINGLE_ALLOC : left;
    chunks.push(sg_kmalloc(alloc_size));
    left -= alloc_size === SG_MAX_SINGLE_ALLOC ? SG_MAX_SINGLE_ALLOC - 1 : alloc_size;
  }
  // __sg_free_table(): walk the chain, sg_kfree() each chunk with the size it was allocated at
  for (const sg of chunks) sg_kfree(sg);
}
