// MD007 kept: the list goes through the descriptor (ptdesc->pt_list), which keeps it at every stage.
import {
  GFP_PGTABLE_USER,
  LIST_HEAD,
  list_add,
  list_del,
  pagetable_alloc,
  pagetable_free,
} from "memdesc/sim";

export function scenario_chain_through_pt_list() {
  const tables = LIST_HEAD();
  const pt = pagetable_alloc(GFP_PGTABLE_USER, 0);
  if (!pt) return;
  list_add(pt.pt_list, tables);
  list_del(pt.pt_list);
  pagetable_free(pt);
}
