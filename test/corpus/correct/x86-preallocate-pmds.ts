// kernel: arch/x86/mm/pgtable.c preallocate_pmds(), free_pmds(), pgd_alloc()
// tree: linux-mm/linux-mm @0b5da90e93a17e8ec8f4fd1663fe2432841b4bd0 (arch/x86/mm/pgtable.c)
// With PAE, pgd_alloc() preallocates all PREALLOCATED_PMDS (PTRS_PER_PGD = 4) PMD tables: each
// from pagetable_alloc(gfp, 0) with gfp = GFP_PGTABLE_USER less __GFP_ACCOUNT for init_mm and
// less __GFP_HIGHMEM, constructed with pagetable_pmd_ctor() (a failing ctor frees the table at
// once with pagetable_free()); any failure frees the whole array through free_pmds(), which
// reaches each table by its address: virt_to_ptdesc(pmds[i]), pagetable_dtor(), pagetable_free().
// Not modelled: mm_inc_nr_pmds()/mm_dec_nr_pmds(), paravirt, pgd_prepopulate_pmd()'s copy of the
// kernel half, the PGD itself.
import {
  __GFP_ACCOUNT,
  __GFP_HIGHMEM,
  ENOMEM,
  GFP_PGTABLE_USER,
  type gfp_t,
  init_mm,
  mm_alloc,
  type mm_struct,
  pagetable_alloc,
  pagetable_dtor,
  pagetable_free,
  pagetable_pmd_ctor,
  ptdesc_address,
  virt_to_ptdesc,
} from "memdesc/sim";

const PREALLOCATED_PMDS = 4;

function free_pmds(mm: mm_struct, pmds: (number | null)[], count: number) {
  for (let i = 0; i < count; i++) {
    const pmd = pmds[i];
    if (pmd) {
      const ptdesc = virt_to_ptdesc(pmd);

      pagetable_dtor(ptdesc);
      pagetable_free(ptdesc);
      void mm; // mm_dec_nr_pmds(mm)
    }
  }
}

function preallocate_pmds(mm: mm_struct, pmds: (number | null)[], count: number) {
  let failed = false;
  let gfp: gfp_t = GFP_PGTABLE_USER;

  if (mm === init_mm) gfp &= ~__GFP_ACCOUNT;
  gfp &= ~__GFP_HIGHMEM;

  for (let i = 0; i < count; i++) {
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
    free_pmds(mm, pmds, count);
    return -ENOMEM;
  }
  return 0;
}

export function scenario_pgd_alloc_out_free_pmds() {
  const mm = mm_alloc();
  const pmds: (number | null)[] = [];
  if (preallocate_pmds(mm, pmds, PREALLOCATED_PMDS) !== 0) return;
  // paravirt_pgd_alloc(mm) failed: goto out_free_pmds
  free_pmds(mm, pmds, PREALLOCATED_PMDS);
}
