// MD012 kept: pagetable_dtor() before pagetable_free() (what pagetable_dtor_free() does).
import {
  GFP_PGTABLE_USER,
  mm_alloc,
  pagetable_alloc,
  pagetable_dtor,
  pagetable_free,
  pagetable_pte_ctor,
} from "memdesc/sim";

export function scenario_dtor_then_free() {
  const pt = pagetable_alloc(GFP_PGTABLE_USER, 0);
  if (!pt) return;
  if (!pagetable_pte_ctor(mm_alloc(), pt)) return pagetable_free(pt);
  pagetable_dtor(pt);
  pagetable_free(pt);
}
