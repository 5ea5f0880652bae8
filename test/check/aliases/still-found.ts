// Findings that hold through every alias stay compile-time findings.
import {
  __free_pages,
  __get_free_pages,
  alloc_pages,
  free_pages,
  GFP_KERNEL,
  page_address,
  virt_to_page,
} from "memdesc/sim";

export function scenario_no_alias() {
  // expect-run MD002 MD018
  const page = alloc_pages(GFP_KERNEL, 2);
  if (!page) return;
  __free_pages(page, 0); // expect MD002
}

export function scenario_larger_order_through_alias() {
  // expect-run MD002 MD018 — the simulator stops the free (pages it does not own), so the block leaks
  const addr = __get_free_pages(GFP_KERNEL, 1);
  if (!addr) return;
  const page = virt_to_page(addr);
  free_pages(page_address(page), 2); // expect MD002
}

export function scenario_double_free_through_alias() {
  // expect-run MD014
  const page = alloc_pages(GFP_KERNEL, 0);
  if (!page) return;
  const addr = page_address(page);
  free_pages(addr, 0);
  free_pages(addr, 0); // expect MD014
}
