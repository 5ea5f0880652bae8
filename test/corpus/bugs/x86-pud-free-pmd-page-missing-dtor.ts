// kernel: arch/x86/mm/pgtable.c pud_free_pmd_page() before d1c5246e08eb
// Fixes: 28ee90fe6048 ("x86/mm: implement free pmd/pte page interfaces"); the fix is
// d1c5246e08eb ("x86/mm: Fix leak of pmd ptlock", Dan Williams, lore message-id
// 160697689204.605323.17629854984697045602.stgit@dwillia2-desk3.amr.corp.intel.com).
// ioremap() replaces a PMD table by a 1 GiB mapping: pud_free_pmd_page() saves and clears the
// table's entries, clears the PUD, then gives the PMD table back with free_page() — without the
// PMD destructor, so the split PMD lock (and, since b2b29d6d0119 made PMD tables PG_table, the
// page type) is never torn down. Written against today's API: the table is made by
// pmd_alloc_one(&init_mm, addr) (pagetable_pmd_ctor(), PT_kernel for init_mm) and installed with
// pud_populate(); the freed table is reached through pud_pgtable(*pud), an address, so the
// compiler cannot know it was constructed and the finding is the run-time one. The PMD here
// maps nothing below it (the ioremap range held 2 MiB leaves), so no PTE table is freed.
import {
  __get_free_page,
  free_page,
  GFP_KERNEL,
  init_mm,
  pmd_alloc_one,
  pud_clear,
  pud_pgtable,
  pud_populate,
  pudp_get,
} from "memdesc/sim";

// A PUD entry of the ioremap area in init_mm.
const PUD = 0xffff_c900_0000_0000n;

function pud_free_pmd_page(pud: bigint, addr: number) {
  const pmd = pud_pgtable(pudp_get(pud));
  const pmd_sv = __get_free_page(GFP_KERNEL);
  if (!pmd_sv) return 0;

  // for (i = 0; i < PTRS_PER_PMD; i++) { pmd_sv[i] = pmd[i]; if (!pmd_none(pmd[i])) pmd_clear(&pmd[i]); }
  pud_clear(pud);
  void addr; // flush_tlb_kernel_range(addr, addr + PAGE_SIZE-1);

  free_page(pmd_sv);
  free_page(pmd);
  return 1;
}

export function scenario_ioremap_pud_replaces_pmd_table() {
  // expect-run MD012 — a constructed PMD table freed with free_page(), without its destructor
  // expect-run MD013 — and the init_mm table skips pagetable_free()'s kernel-table path
  const pmd = pmd_alloc_one(init_mm, 0);
  if (!pmd) return;
  pud_populate(init_mm, PUD, pmd);
  // ioremap_pud_range() -> pud_free_pmd_page(pud, addr)
  pud_free_pmd_page(PUD, 0);
}
