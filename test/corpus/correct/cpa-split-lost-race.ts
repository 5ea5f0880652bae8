// kernel: arch/x86/mm/pat/set_memory.c split_large_page() (the ptdesc version: pagetable_alloc()
// and, when __split_large_page() finds another CPU split the mapping first, pagetable_free())
// tree: linux-mm/linux-mm (2026; the generic CPA split of the series that moved
// split_large_page() to pagetable_alloc()/pagetable_free())
// The table that lost the race was never constructed and never installed in init_mm's page
// tables, so no IOMMU could have walked it (no MD017) and it has no split lock to release (no
// MD012): pagetable_free() gives it straight back.
import { GFP_KERNEL, pagetable_alloc, pagetable_free } from "memdesc/sim";

function __split_large_page_lost_race(): boolean {
  // tmp = _lookup_address_cpa(cpa, address, &level); if (tmp != kpte) { spin_unlock(&pgd_lock); return 1; }
  return true;
}

function split_large_page(): number {
  const ptdesc = pagetable_alloc(GFP_KERNEL, 0);
  if (!ptdesc) return -12; // -ENOMEM
  if (__split_large_page_lost_race()) pagetable_free(ptdesc);
  return 0;
}

export function scenario_split_large_page_lost_race() {
  split_large_page();
}
