// kernel: arch/x86/mm/pgtable.c free_pmds() / preallocate_pmds() before c283610e44ec
// Fixes: e009bb30c8df ("mm: implement split page table lock for PMD level"); the fix is
// c283610e44ec ("x86, mm: do not leak page->ptl for pmd page tables", Kirill A. Shutemov, 2013),
// named as the earlier of the two missing-destructor sites in d1c5246e08eb's message.
// With PAE, pgd_alloc() preallocates PMD tables and constructs each (pgtable_pmd_page_ctor(),
// today pagetable_pmd_ctor()); free_pmds(), run when pgd_alloc() fails after the preallocation,
// freed them with free_page((unsigned long)pmds[i]) and no destructor. Written against today's
// API (the correct form is test/corpus/correct/x86-preallocate-pmds.ts): the table is reached
// through its address, so the finding is the run-time one.
import {
  ENOMEM,
  free_page,
  GFP_PGTABLE_USER,
  type gfp_t,
  mm_alloc,
  type mm_struct,
  pagetable_alloc,
  pagetable_free,
  pagetable_pmd_ctor,
  ptdesc_address,
} from "memdesc/sim";

const PREALLOCATED_PMDS = 4;

function free_pmds(pmds: (number | null)[]) {
  for (let i = 0; i < PREALLOCATED_PMDS; i++) {
    const pmd = pmds[i];
    if (pmd) {
      free_page(pmd);
    }
  }
}

function preallocate_pmds(mm: mm_struct, pmds: (number | null)[]) {
  let failed = false;
  const gfp: gfp_t = GFP_PGTABLE_USER;

  for (let i = 0; i < PREALLOCATED_PMDS; i++) {
    let pmd: number | null = null;
    let ptdesc = pagetable_alloc(gfp, 0);

    if (!ptdesc) failed = true;
    if (ptdesc && !pagetable_pmd_ctor(mm, ptdesc)) {
      pagetable_free(ptdesc);
      ptdesc = null;
      failed = true;
    }
    if (ptdesc) pmd = ptdesc_address(ptdesc);
    pmds[i] = pmd;
  }

  if (failed) {
    free_pmds(pmds);
    return -ENOMEM;
  }
  return 0;
}

export function scenario_pgd_alloc_fails_after_preallocation() {
  // expect-run MD012 — each PMD table freed with free_page(): its split lock is never freed
  const mm = mm_alloc();
  const pmds: (number | null)[] = [];
  if (preallocate_pmds(mm, pmds) !== 0) return;
  // paravirt_pgd_alloc(mm) failed: out_free_pmds: free_pmds(pmds)
  free_pmds(pmds);
}
