// kernel: include/asm-generic/pgalloc.h __pte_alloc_one_kernel_noprof(), pte_free_kernel()
// tree: linux-mm/linux-mm (December 2026; ptdesc_set_kernel() from the series of 5ba2f0a15564
// "mm: introduce deferred freeing for kernel page tables")
import {
  GFP_PGTABLE_KERNEL,
  init_mm,
  pagetable_alloc,
  pagetable_dtor_free,
  pagetable_free,
  pagetable_pte_ctor,
  ptdesc_address,
  ptdesc_set_kernel,
  virt_to_ptdesc,
} from "memdesc/sim";

function __pte_alloc_one_kernel() {
  const ptdesc = pagetable_alloc(GFP_PGTABLE_KERNEL, 0);
  if (!ptdesc) return null;
  if (!pagetable_pte_ctor(init_mm, ptdesc)) {
    pagetable_free(ptdesc);
    return null;
  }
  ptdesc_set_kernel(ptdesc);
  return ptdesc_address(ptdesc);
}

export function scenario_kernel_pte_table() {
  const pte = __pte_alloc_one_kernel();
  if (!pte) return;
  // pte_free_kernel(mm, pte)
  pagetable_dtor_free(virt_to_ptdesc(pte));
}
