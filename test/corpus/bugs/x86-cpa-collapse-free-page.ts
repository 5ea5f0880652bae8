// kernel: arch/x86/mm/pat/set_memory.c cpa_collapse_large_pages() before bf9e4e30f353
// tree: linux-mm/linux-mm history (the fix is bf9e4e30f353; the 2026 form of split_large_page())
// "x86/mm: use pagetable_free()" (Lu Baolu, series "Fix stale IOTLB entries for kernel address
// space", v4 patch 5/8, 2025-09-05): the PTE tables collapse_pmd_page() queued are given back
// with __free_page(ptdesc_page(ptdesc)), past pagetable_free()'s PT_kernel path, so with IOMMU SVA
// the page is reused before iommu_sva_invalidate_kva_range() (the fix: pagetable_free(ptdesc)).
// The table is made as split_large_page() makes it (pagetable_alloc(GFP_KERNEL, 0), 2026 form of
// e751303e0ad2) and marked PT_kernel as the series' kernel-table allocators mark theirs (the
// model knows a kernel table by that mark); it is installed in init_mm by __set_pmd_pte().
import {
  __free_page,
  __pa,
  __pmd,
  _KERNPG_TABLE,
  alloc_page,
  GFP_KERNEL,
  LIST_HEAD,
  list_add,
  list_del,
  list_for_each_entry_safe,
  page_ptdesc,
  pagetable_alloc,
  pmd_page,
  pmdp_get,
  ptdesc_address,
  ptdesc_page,
  ptdesc_set_kernel,
  set_pmd,
} from "memdesc/sim";

/** x86 selects ASYNC_KERNEL_PGTABLE_FREE with IOMMU_SVA; an SVA-bound IOMMU walks init_mm. */
export const machine = { iommuSva: true, asyncKernelPgtableFree: true };

// The PMD entry of one 2 MiB direct-map range in init_mm.
const KPTE = 0xffff_8880_0000_2008n;

/** split_large_page() → __split_large_page(): a PTE table replaces the 2 MiB leaf. */
function split_large_page() {
  const ptdesc = pagetable_alloc(GFP_KERNEL, 0);
  if (!ptdesc) return -12;
  ptdesc_set_kernel(ptdesc);
  set_pmd(KPTE, __pmd(__pa(ptdesc_address(ptdesc)) | _KERNPG_TABLE));
  return 0;
}

/** collapse_pmd_page(): the leaf comes back; the old table is queued for freeing. */
function collapse_pmd_page(pgtables: ReturnType<typeof LIST_HEAD>) {
  const old_pmd = pmdp_get(KPTE);
  set_pmd(KPTE, __pmd(0x2_0000_0000n | 0x80n | 0x63n)); // pfn_pmd(pfn, pgprot | _PAGE_PSE)
  list_add(page_ptdesc(pmd_page(old_pmd)).pt_list, pgtables);
  return 1;
}

/** cpa_collapse_large_pages() before bf9e4e30f353. */
function cpa_collapse_large_pages() {
  const pgtables = LIST_HEAD();
  if (!collapse_pmd_page(pgtables)) return;
  // flush_tlb_all(): the CPU's TLB, not the IOMMU's
  for (const ptdesc of list_for_each_entry_safe(pgtables, "ptdesc", "pt_list")) {
    list_del(ptdesc.pt_list);
    __free_page(ptdesc_page(ptdesc));
  }
}

export function scenario_set_memory_rox_collapse() {
  // expect-run MD013 MD017 — a PT_kernel table past the kernel-aware path, reused before the IOMMU flush
  if (split_large_page()) return;
  cpa_collapse_large_pages();
  const next = alloc_page(GFP_KERNEL); // the table's page, to its next owner
  if (next) __free_page(next);
}
