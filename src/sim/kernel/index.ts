/** The kernel-named API, re-exported by memdesc/sim. */

export type {
  Folio,
  KernelAddress,
  list_head,
  Meta,
  Page,
  Ptdesc,
  Slab,
  Zpdesc,
} from "../../model/handles.js";
export * from "./addr.js";
export * from "./arch/x86.js";
// Modules with internal helpers (pageAt, checkLive, folioAt, checkKind, listPfns) export their
// kernel names explicitly; the helpers stay internal.
export {
  type AnyPtdesc,
  type AnySlab,
  type AnyZpdesc,
  page_ptdesc,
  page_slab,
  page_zpdesc,
  ptdesc_address,
  ptdesc_folio,
  ptdesc_page,
  slab_page,
  virt_to_ptdesc,
  zpdesc_page,
} from "./descriptors.js";
export {
  type AnyFolio,
  folio_address,
  folio_alloc,
  folio_alloc_node,
  folio_get,
  folio_ioptdesc,
  folio_nr_pages,
  folio_order,
  folio_page,
  folio_pfn,
  folio_put,
  folio_test_large,
  ioptdesc_folio,
  page_folio,
  virt_to_folio,
  virt_to_ioptdesc,
} from "./folio.js";
export * from "./gfp.js";
export {
  INIT_LIST_HEAD,
  LIST_HEAD,
  type ListMember,
  list_add,
  list_add_tail,
  list_del,
  list_del_init,
  list_empty,
  list_first_entry,
  list_for_each_entry_safe,
  list_splice_init,
  list_splice_tail,
  list_splice_tail_init,
} from "./list.js";
export * from "./memdesc.js";
export * from "./mm.js";
export {
  MAX_PAGE_ORDER,
  PAGE_OFFSET,
  PAGE_SHIFT,
  PAGE_SIZE,
  PMD_ORDER,
  PMD_SHIFT,
  PMD_SIZE,
  VMEMMAP_START,
} from "./objects.js";
export * from "./owner-fields.js";
export {
  __free_page,
  __free_pages,
  __get_free_page,
  __get_free_pages,
  type AllocatedPages,
  type AnyAddress,
  type AnyPage,
  alloc_page,
  alloc_pages,
  alloc_pages_node,
  compound_head,
  compound_order,
  cpu_to_node,
  free_page,
  free_pages,
  get_page,
  get_zeroed_page,
  type HasField,
  nth_page,
  PageCompound,
  PageHead,
  PageTail,
  page_address,
  page_count,
  page_mapcount,
  page_private,
  page_ref_count,
  page_to_pfn,
  pfn_to_page,
  put_page,
  set_page_private,
  split_page,
  virt_to_head_page,
  virt_to_page,
} from "./page.js";
export * from "./page-alloc.js";
export * from "./page-ref.js";
export * from "./page-type.js";
export * from "./pgalloc.js";
// pgtable.ts exports helpers for pgalloc.ts; its kernel names are listed.
export {
  __pagetable_free,
  type AllocatedPtdesc,
  iommu_sva_invalidate_kva_range,
  pagetable_alloc,
  pagetable_dtor,
  pagetable_dtor_free,
  pagetable_free,
  pagetable_free_kernel,
  pagetable_p4d_ctor,
  pagetable_pgd_ctor,
  pagetable_pmd_ctor,
  pagetable_pte_ctor,
  pagetable_pud_ctor,
  pmd_alloc_one,
  pmd_free,
  ptdesc_clear_kernel,
  ptdesc_set_kernel,
  ptdesc_test_kernel,
  pte_alloc_one,
  pte_alloc_one_kernel,
  pte_free,
  pte_free_kernel,
  ptlock_ptr,
  TLB_FLUSH_ALL,
} from "./pgtable.js";
export type { KernelViolation, MachinePort, PtdescState } from "./port.js";
export { runOn, withMachine } from "./port.js";
export * from "./slab.js";
export * from "./tlb.js";
export * from "./types.js";
export * from "./vmemmap.js";
export * from "./work.js";
