// MD006: a page is converted to a descriptor only if it is of that kind.
import { __free_page, alloc_page, GFP_KERNEL, page_ptdesc, page_to_pfn, ptdesc_page } from "memdesc/sim";

export function scenario_plain_page_as_ptdesc() {
  // expect-run MD006
  const page = alloc_page(GFP_KERNEL);
  if (!page) return;
  const pt = page_ptdesc(page); // expect MD006
  __free_page(page);
  return page_to_pfn(ptdesc_page(pt));
}
