// kernel: include/asm-generic/pgalloc.h __pgd_alloc_noprof(), __pgd_free()
// tree: linux-mm/linux-mm @1df1ca75bc017a2851be148aec246e1a8d97bd3c
// A user PGD at order 0 (the asm-generic pgd_alloc() of arch/*/mm/pgtable.c passes order 0):
// allocated with GFP_PGTABLE_USER, constructed with pagetable_pgd_ctor() (which cannot fail), and
// freed with __pgd_free() -> pagetable_dtor_free(virt_to_ptdesc(pgd)).
import {
  GFP_PGTABLE_USER,
  pagetable_alloc,
  pagetable_dtor_free,
  pagetable_pgd_ctor,
  ptdesc_address,
  virt_to_ptdesc,
} from "memdesc/sim";

function __pgd_alloc() {
  const ptdesc = pagetable_alloc(GFP_PGTABLE_USER, 0);
  if (!ptdesc) return null;
  pagetable_pgd_ctor(ptdesc);
  return ptdesc_address(ptdesc);
}

export function scenario_pgd_alloc_free() {
  const pgd = __pgd_alloc();
  if (!pgd) return;
  pagetable_dtor_free(virt_to_ptdesc(pgd));
}
