// kernel: include/linux/gfp.h folio_alloc() (order > 0 gets __GFP_COMP), mm/swap.c folio_put()
// tree: linux-mm/linux-mm (December 2026). A large folio is one compound allocation: the last
// folio_put() frees folio_order() pages, all of them.
import { folio_alloc, folio_order, folio_put, GFP_KERNEL } from "memdesc/sim";

export function scenario_large_folio() {
  const folio = folio_alloc(GFP_KERNEL, 2);
  if (!folio) return;
  const order = folio_order(folio);
  folio_put(folio);
  return order;
}
