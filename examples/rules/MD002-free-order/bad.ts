// MD002: a block is freed at the order it was allocated at.
import { __free_pages, alloc_pages, GFP_KERNEL } from "memdesc/sim";

export function scenario_free_at_wrong_order() {
  // expect-run MD002 MD018 — pages 1–3 are never freed
  const page = alloc_pages(GFP_KERNEL, 2);
  if (!page) return;
  __free_pages(page, 0); // expect MD002
}
