// kernel: include/asm-generic/pgalloc.h __pte_alloc_one_kernel_noprof(), with the bug of the kind
// "a double free on one error branch" injected: the ctor-failure branch frees the table and falls
// through instead of returning NULL, so the caller's error path frees it again.
// tree: linux-mm/linux-mm (December 2026)
import {
  GFP_PGTABLE_KERNEL,
  init_mm,
  pagetable_alloc,
  pagetable_free,
  pagetable_pte_ctor,
  ptdesc_address,
} from "memdesc/sim";

function alloc_kernel_pte(ctor_fails: boolean) {
  const ptdesc = pagetable_alloc(GFP_PGTABLE_KERNEL, 0);
  if (!ptdesc) return null;
  if (ctor_fails || !pagetable_pte_ctor(init_mm, ptdesc)) {
    pagetable_free(ptdesc);
    // BUG: missing "return NULL;"
  }
  return { ptdesc, pte: ptdesc_address(ptdesc), ok: !ctor_fails };
}

export function scenario_ctor_failure_double_free() {
  // expect-run MD014 MD015
  const r = alloc_kernel_pte(true);
  if (!r) return;
  if (!r.ok) pagetable_free(r.ptdesc);
}
