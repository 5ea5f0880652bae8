// MD006 kept: the ptdesc comes from pagetable_alloc(); its page converts back to it.
import { GFP_PGTABLE_USER, page_ptdesc, pagetable_alloc, pagetable_free, ptdesc_page } from "memdesc/sim";

export function scenario_ptdesc_round_trip() {
  const pt = pagetable_alloc(GFP_PGTABLE_USER, 0);
  if (!pt) return;
  const again = page_ptdesc(ptdesc_page(pt));
  pagetable_free(again);
}
