// MD012: pagetable_free() does not run the destructor; a constructed table leaks its split lock
// and stays counted in NR_PAGETABLE.
import { GFP_PGTABLE_USER, mm_alloc, pagetable_alloc, pagetable_free, pagetable_pte_ctor } from "memdesc/sim";

export function scenario_free_constructed_table() {
  // expect-run MD012
  const pt = pagetable_alloc(GFP_PGTABLE_USER, 0);
  if (!pt) return;
  if (!pagetable_pte_ctor(mm_alloc(), pt)) return pagetable_free(pt);
  pagetable_free(pt); // expect MD012
}
