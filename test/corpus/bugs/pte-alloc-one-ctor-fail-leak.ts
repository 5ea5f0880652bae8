// kernel: include/asm-generic/pgalloc.h __pte_alloc_one_noprof(), with the bug of the kind "a leaked
// page on an error path": when pagetable_pte_ctor() fails (ptlock_alloc() could not allocate the
// split lock), the table is not given back before returning NULL (the real function calls
// pagetable_free(ptdesc) there). No specific commit: the bug is injected.
// tree: linux-mm/linux-mm (December 2026)
import { GFP_PGTABLE_USER, mm_alloc, pagetable_alloc, pagetable_pte_ctor, ptdesc_page } from "memdesc/sim";

function __pte_alloc_one(fail_ctor: boolean) {
  const mm = mm_alloc();
  const ptdesc = pagetable_alloc(GFP_PGTABLE_USER, 0);
  if (!ptdesc) return null;
  if (fail_ctor || !pagetable_pte_ctor(mm, ptdesc)) {
    return null; // BUG: pagetable_free(ptdesc) missing
  }
  return ptdesc_page(ptdesc);
}

export function scenario_ctor_failure_leaks_table() {
  // expect-run MD018 — the table's page is never freed
  const pte = __pte_alloc_one(true);
  if (pte) throw new Error("the ctor was told to fail");
}
