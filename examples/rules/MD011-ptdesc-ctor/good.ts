// MD011 kept: allocated, constructed once (with the failure path the kernel has), used, destructed.
import {
  GFP_PGTABLE_USER,
  mm_alloc,
  pagetable_alloc,
  pagetable_dtor_free,
  pagetable_free,
  pagetable_pte_ctor,
  ptlock_ptr,
} from "memdesc/sim";

export function scenario_ctor_use_dtor() {
  const mm = mm_alloc();
  const pt = pagetable_alloc(GFP_PGTABLE_USER, 0);
  if (!pt) return;
  if (!pagetable_pte_ctor(mm, pt)) {
    pagetable_free(pt);
    return;
  }
  ptlock_ptr(pt);
  pagetable_dtor_free(pt);
}
