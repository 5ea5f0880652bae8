// MD004: only the page type that is set is cleared.
import { __ClearPageSlab, __free_page, __SetPageTable, alloc_page, GFP_KERNEL } from "memdesc/sim";

export function scenario_clear_wrong_type() {
  // expect-run MD004
  const page = alloc_page(GFP_KERNEL);
  if (!page) return;
  __SetPageTable(page);
  __ClearPageSlab(page); // expect MD004
  __free_page(page);
}
