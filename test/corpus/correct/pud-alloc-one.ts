// kernel: include/asm-generic/pgalloc.h __pud_alloc_one_noprof(), __pud_free()
// tree: linux-mm/linux-mm @1df1ca75bc017a2851be148aec246e1a8d97bd3c
// A PUD table for a user mm (GFP_PGTABLE_USER) and one for init_mm (GFP_PGTABLE_KERNEL, marked
// ptdesc_set_kernel()); pagetable_pud_ctor() cannot fail. Both are freed with
// __pud_free() -> pagetable_dtor_free(virt_to_ptdesc(pud)), which sends the kernel one through
// the kernel-aware path.
import {
  GFP_PGTABLE_KERNEL,
  GFP_PGTABLE_USER,
  pagetable_alloc,
  pagetable_dtor_free,
  pagetable_pud_ctor,
  ptdesc_address,
  ptdesc_set_kernel,
  virt_to_ptdesc,
} from "memdesc/sim";

function __pud_alloc_one_user() {
  const ptdesc = pagetable_alloc(GFP_PGTABLE_USER, 0);
  if (!ptdesc) return null;
  pagetable_pud_ctor(ptdesc);
  return ptdesc_address(ptdesc);
}

function __pud_alloc_one_kernel() {
  // mm == &init_mm
  const ptdesc = pagetable_alloc(GFP_PGTABLE_KERNEL, 0);
  if (!ptdesc) return null;
  pagetable_pud_ctor(ptdesc);
  ptdesc_set_kernel(ptdesc);
  return ptdesc_address(ptdesc);
}

export function scenario_user_pud() {
  const pud = __pud_alloc_one_user();
  if (!pud) return;
  // __pud_free(mm, pud)
  pagetable_dtor_free(virt_to_ptdesc(pud));
}

export function scenario_kernel_pud() {
  const pud = __pud_alloc_one_kernel();
  if (!pud) return;
  pagetable_dtor_free(virt_to_ptdesc(pud));
}
