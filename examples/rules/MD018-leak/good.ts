// MD018 kept: what is allocated is freed.
import { __free_pages, alloc_pages, GFP_KERNEL } from "memdesc/sim";

export function scenario_free_what_you_allocate() {
  const page = alloc_pages(GFP_KERNEL, 1);
  if (!page) return;
  __free_pages(page, 1);
}
