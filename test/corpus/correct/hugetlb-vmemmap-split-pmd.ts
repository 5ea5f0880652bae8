// kernel: mm/hugetlb_vmemmap.c vmemmap_split_pmd(), free_vmemmap_page()
// tree: linux-mm/linux-mm @0454b15e9bbd35d2dd3f52b071ca30b8cf5e44f1 (mm/hugetlb_vmemmap.c)
// HVO splits a PMD-mapped stretch of the vmemmap before it remaps it: a kernel PTE table from
// pte_alloc_one_kernel(&init_mm) replaces the 2 MiB leaf, and the order-9 block behind the leaf
// (a non-compound vmemmap_alloc_block(PMD_SIZE) block) is split_page()d, "Higher order
// allocations from buddy allocator must be able to be treated as independent small pages (as
// they can be freed individually)"; free_vmemmap_page() then gives the pages back one by one with
// __free_page(). When the PMD is no longer a leaf the table is freed with pte_free_kernel().
// Not modelled: the PTE entries themselves (mk_pte(head + i)), the TLB flush, the local __pmd the
// kernel fills before try_populate_vmemmap_pmd() (the table is installed into the PMD directly).
// The scenario's teardown (pmd_clear(), pte_free_kernel()) stands for memory hot-remove.
import {
  __free_page,
  __free_pages,
  __pa,
  __pmd,
  _PAGE_PSE,
  get_order,
  init_mm,
  nth_page,
  type Page,
  PageReserved,
  PMD_SIZE,
  pmd_clear,
  pmd_leaf,
  pmd_populate_kernel,
  pmdp_get,
  pte_alloc_one_kernel,
  pte_free_kernel,
  set_pmd,
  split_page,
  virt_to_page,
  vmemmap_alloc_block,
} from "memdesc/sim";

// The vmemmap PMD entry of one 2 MiB stretch of struct pages (init_mm).
const VMEMMAP_PMD = 0xffff_ea00_0000_0008n;
const __PAGE_KERNEL_LARGE = 0x163; // present, rw, accessed, dirty, global

function free_vmemmap_page(page: Page) {
  // not PageReserved(): memmap_pages_add(-1); __free_page(page)
  __free_page(page);
}

function vmemmap_split_pmd(pmd: bigint, head: Page) {
  let ret = 0;
  const pgtable = pte_alloc_one_kernel(init_mm);
  if (!pgtable) return -12;

  if (pmd_leaf(pmdp_get(pmd))) {
    // hvo_populate_vmemmap_pmd(start, pmd, pgtable) -> try_populate_vmemmap_pmd()
    pmd_populate_kernel(init_mm, pmd, pgtable);
    if (!PageReserved(head)) split_page(head, get_order(PMD_SIZE));
    return { ret, pgtable };
  }
  // free:
  pte_free_kernel(init_mm, pgtable);
  ret = 0;
  return { ret, pgtable: null };
}

function map_vmemmap_pmd() {
  // vmemmap_populate_hugepages(): vmemmap_alloc_block_buf(PMD_SIZE, node, altmap)
  const p = vmemmap_alloc_block(PMD_SIZE, 0);
  if (!p) return null;
  set_pmd(VMEMMAP_PMD, __pmd(__pa(p) | _PAGE_PSE | __PAGE_KERNEL_LARGE));
  return virt_to_page(p);
}

export function scenario_split_then_free_each_page() {
  const head = map_vmemmap_pmd();
  if (!head) return;
  const r = vmemmap_split_pmd(VMEMMAP_PMD, head);
  if (typeof r === "number" || !r.pgtable) return;
  // vmemmap_remap_free() -> free_vmemmap_page_list(): each page freed on its own
  for (let i = 0; i < 512; i++) free_vmemmap_page(nth_page(head, i));
  // memory hot-remove: the PTE table goes
  pmd_clear(VMEMMAP_PMD);
  pte_free_kernel(init_mm, r.pgtable);
}

export function scenario_pmd_no_longer_leaf() {
  const head = map_vmemmap_pmd();
  if (!head) return;
  // Another split won the race: the PMD already points at a PTE table.
  pmd_clear(VMEMMAP_PMD);
  vmemmap_split_pmd(VMEMMAP_PMD, head);
  // The block was never split: hot-remove gives it back whole (free_hugepage_table()).
  __free_pages(head, get_order(PMD_SIZE));
}
