// MD004 kept: the type that was set is the type that is cleared.
import {
  __ClearPageTable,
  __free_page,
  __SetPageTable,
  alloc_page,
  GFP_KERNEL,
  PageTable,
} from "memdesc/sim";

export function scenario_clear_own_type() {
  const page = alloc_page(GFP_KERNEL);
  if (!page) return;
  __SetPageTable(page);
  if (PageTable(page)) __ClearPageTable(page);
  __free_page(page);
}
