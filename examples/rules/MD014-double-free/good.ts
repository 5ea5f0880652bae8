// MD014 kept: a second reference is taken before the page is handed on; each reference is dropped once.
import { alloc_page, GFP_KERNEL, get_page, put_page } from "memdesc/sim";

export function scenario_two_references() {
  const page = alloc_page(GFP_KERNEL);
  if (!page) return;
  const other = page;
  get_page(page);
  put_page(page);
  put_page(other);
}

export function scenario_get_then_put_twice() {
  const page = alloc_page(GFP_KERNEL);
  if (!page) return;
  get_page(page); // a second reference, held through the same pointer
  put_page(page);
  put_page(page); // the last reference frees the page: not a double free
}
