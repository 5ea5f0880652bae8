// kernel: arch/x86/mm/pat/set_memory.c unmap_pte_range() / try_to_free_pte_page()
// tree: linux-mm/linux-mm (December 2026). The PTE table is given back with pte_free_kernel()
// before pmd_clear() unlinks it from init_mm. Bug of the kind "a page table freed while still
// installed", no specific commit for this call site, as it is on a kernel without
// CONFIG_ASYNC_KERNEL_PGTABLE_FREE (before 5ba2f0a15564 "mm: introduce deferred freeing for kernel
// page tables" and the IOMMU flush it brought): pte_free_kernel() frees at once, the page is
// reused, and an SVA-bound IOMMU may still walk it.
import {
  __free_page,
  alloc_page,
  GFP_KERNEL,
  init_mm,
  pmd_clear,
  pmd_page_vaddr,
  pmd_populate_kernel,
  pmdp_get,
  pte_alloc_one_kernel,
  pte_free_kernel,
} from "memdesc/sim";

/** SVA on; the kernel frees kernel page tables at once. */
export const machine = { iommuSva: true, asyncKernelPgtableFree: false };

// A PMD entry of init_mm covering an EFI / vmalloc range.
const PMD = 0xffff_8880_0000_3010n;

export function scenario_unmap_pte_range_frees_installed_table() {
  // expect-run MD017 — the installed table's page goes to a new owner before any IOMMU invalidation
  const pte = pte_alloc_one_kernel(init_mm);
  if (!pte) return;
  pmd_populate_kernel(init_mm, PMD, pte);
  // unmap_pte_range(): every entry is none → try_to_free_pte_page() → pte_free_kernel()
  pte_free_kernel(init_mm, pmd_page_vaddr(pmdp_get(PMD)));
  const next = alloc_page(GFP_KERNEL); // reused while the PMD still points at it
  pmd_clear(PMD);
  if (next) __free_page(next);
}
