// MD003: a page type is set only on an untyped page — one type at a time.
import {
  __ClearPageTable,
  __free_page,
  __SetPageOffline,
  __SetPageTable,
  alloc_page,
  GFP_KERNEL,
} from "memdesc/sim";

export function scenario_second_type() {
  // expect-run MD003 — with CONFIG_DEBUG_VM the VM_BUG_ON stops the second __SetPage
  const page = alloc_page(GFP_KERNEL);
  if (!page) return;
  __SetPageTable(page);
  __SetPageOffline(page); // expect MD003
  // Without CONFIG_DEBUG_VM the kernel went on and overwrote the type: the page is now offline.
  __ClearPageTable(page); // expect MD004
  __free_page(page);
}
