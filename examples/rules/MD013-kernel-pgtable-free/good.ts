// MD013 kept: the asm-generic pair marks the table at allocation and frees it through
// pagetable_dtor_free() → pagetable_free() → pagetable_free_kernel().
import {
  GFP_PGTABLE_KERNEL,
  init_mm,
  pagetable_alloc,
  pagetable_free,
  pagetable_pte_ctor,
  ptdesc_address,
  ptdesc_set_kernel,
  pte_alloc_one_kernel,
  pte_free_kernel,
} from "memdesc/sim";

export function scenario_kernel_pte_table() {
  const pte = pte_alloc_one_kernel(init_mm);
  if (!pte) return;
  pte_free_kernel(init_mm, pte);
}

// include/asm-generic/pgalloc.h __pte_alloc_one_kernel_noprof() (linux-mm/linux-mm): when the ctor
// fails, the table — never marked, never installed — goes back with pagetable_free() at once.
// No IOMMU can have walked it: not MD013.
export function scenario_ctor_failure_branch() {
  const ptdesc = pagetable_alloc(GFP_PGTABLE_KERNEL, 0);
  if (!ptdesc) return null;
  if (!pagetable_pte_ctor(init_mm, ptdesc)) {
    pagetable_free(ptdesc);
    return null;
  }
  ptdesc_set_kernel(ptdesc);
  const pte = ptdesc_address(ptdesc);
  pte_free_kernel(init_mm, pte);
  return pte;
}
