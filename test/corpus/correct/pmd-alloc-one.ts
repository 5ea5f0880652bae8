// kernel: include/asm-generic/pgalloc.h pmd_alloc_one_noprof(), pmd_free()
// tree: linux-mm/linux-mm (December 2026): GFP_PGTABLE_KERNEL for init_mm, pagetable_pmd_ctor(),
// "if (mm == &init_mm) ptdesc_set_kernel(ptdesc)", pmd_free() = pagetable_dtor_free(virt_to_ptdesc(pmd)).
import {
  GFP_PGTABLE_KERNEL,
  init_mm,
  pagetable_alloc,
  pagetable_dtor_free,
  pagetable_free,
  pagetable_pmd_ctor,
  ptdesc_address,
  ptdesc_set_kernel,
  virt_to_ptdesc,
} from "memdesc/sim";

function pmd_alloc_one_kernel() {
  const ptdesc = pagetable_alloc(GFP_PGTABLE_KERNEL, 0);
  if (!ptdesc) return null;
  if (!pagetable_pmd_ctor(init_mm, ptdesc)) {
    pagetable_free(ptdesc);
    return null;
  }
  ptdesc_set_kernel(ptdesc);
  return ptdesc_address(ptdesc);
}

export function scenario_kernel_pmd_table() {
  const pmd = pmd_alloc_one_kernel();
  if (!pmd) return;
  pagetable_dtor_free(virt_to_ptdesc(pmd));
}
