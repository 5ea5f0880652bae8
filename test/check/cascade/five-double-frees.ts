// Five separate double frees of five live pages: five findings of one rule (not a cascade).
import { __free_page, alloc_page, GFP_KERNEL } from "memdesc/sim";

export function scenario_five_double_frees() {
  const pages = [0, 1, 2, 3, 4].map(() => alloc_page(GFP_KERNEL));
  for (const page of pages) {
    if (!page) return;
    __free_page(page);
    __free_page(page);
  }
}
