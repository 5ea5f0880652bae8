// MD003 kept: the old type is cleared before another is set.
import {
  __ClearPageOffline,
  __ClearPageTable,
  __free_page,
  __SetPageOffline,
  __SetPageTable,
  alloc_page,
  GFP_KERNEL,
} from "memdesc/sim";

export function scenario_retype() {
  const page = alloc_page(GFP_KERNEL);
  if (!page) return;
  __SetPageTable(page);
  __ClearPageTable(page);
  __SetPageOffline(page);
  __ClearPageOffline(page);
  __free_page(page);
}
