// Must pass: pagetable_dtor() runs on a ptdesc converted from the table's page; the table is then
// freed through the first handle (as pte_free_kernel()-style helpers do it across a conversion).
import {
  GFP_PGTABLE_USER,
  init_mm,
  page_ptdesc,
  pagetable_alloc,
  pagetable_dtor,
  pagetable_free,
  pagetable_pte_ctor,
  ptdesc_page,
} from "memdesc/sim";

export function scenario_dtor_through_alias() {
  const pt = pagetable_alloc(GFP_PGTABLE_USER, 0);
  if (!pt) return;
  if (!pagetable_pte_ctor(init_mm, pt)) return pagetable_free(pt);
  pagetable_dtor(page_ptdesc(ptdesc_page(pt)));
  pagetable_free(pt);
}
