// MD011: a page table is constructed once, before it is used.
import {
  GFP_PGTABLE_USER,
  init_mm,
  pagetable_alloc,
  pagetable_dtor_free,
  pagetable_free,
  pagetable_pte_ctor,
  ptlock_ptr,
} from "memdesc/sim";

export function scenario_use_before_ctor() {
  // expect-run MD011
  const pt = pagetable_alloc(GFP_PGTABLE_USER, 0);
  if (!pt) return;
  ptlock_ptr(pt); // expect MD011
  pagetable_free(pt);
}

export function scenario_ctor_twice() {
  // expect-run MD011
  const pt = pagetable_alloc(GFP_PGTABLE_USER, 0);
  if (!pt) return;
  if (!pagetable_pte_ctor(init_mm, pt)) return pagetable_free(pt);
  pagetable_pte_ctor(init_mm, pt); // expect MD011
  pagetable_dtor_free(pt);
}
