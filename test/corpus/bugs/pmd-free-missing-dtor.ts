// kernel: include/asm-generic/pgalloc.h pmd_alloc_one() / pmd_free()
// tree: linux-mm/linux-mm (December 2026). Bug of the kind "a missing pagetable_dtor", no specific
// commit, written as it happens when a page-table free is open-coded: the table was constructed by
// pmd_alloc_one() (pagetable_pmd_ctor()) and is freed with pagetable_free() instead of
// pagetable_dtor_free(), as arm64 free_hotplug_pgtable_page() did until 2026
// (arm64-hot-remove-missing-dtor.ts).
import { GFP_PGTABLE_USER, mm_alloc, pagetable_alloc, pagetable_free, pagetable_pmd_ctor } from "memdesc/sim";

export function scenario_pmd_free_without_dtor() {
  // expect-run MD012 — the split PMD lock and NR_PAGETABLE of a constructed table are never released
  const mm = mm_alloc();
  // pmd_alloc_one(mm, addr)
  const ptdesc = pagetable_alloc(GFP_PGTABLE_USER, 0);
  if (!ptdesc) return;
  if (!pagetable_pmd_ctor(mm, ptdesc)) {
    pagetable_free(ptdesc);
    return;
  }
  // pmd_free(mm, pmd), open-coded without pagetable_dtor()
  pagetable_free(ptdesc); // expect MD012
}
