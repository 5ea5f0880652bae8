// kernel: arch/arm64/mm/mmu.c pgd_pgtable_alloc() after 5e8eb9aeeda3 "arm64: mm: always call
// PTE/PMD ctor in __create_pgd_mapping()" moved the ctor into the allocator; tree: linux-mm/linux-mm
// (December 2026). Bug of the kind "a page table constructed twice": a caller written against the
// old contract still runs pagetable_pte_ctor() on the table it gets back (through the physical
// address the allocator returns), and ptlock_init() finds the split lock already set. Injected.
import {
  __pa,
  __va,
  GFP_PGTABLE_USER,
  mm_alloc,
  type mm_struct,
  pagetable_alloc,
  pagetable_dtor_free,
  pagetable_pte_ctor,
  ptdesc_address,
  virt_to_ptdesc,
} from "memdesc/sim";

/** pgd_pgtable_alloc(mm, pgtable_type): allocate, construct, return the table's physical address. */
function pgd_pgtable_alloc(mm: mm_struct) {
  const ptdesc = pagetable_alloc(GFP_PGTABLE_USER, 0);
  if (!ptdesc) return -1;
  if (!pagetable_pte_ctor(mm, ptdesc)) return -1;
  return __pa(ptdesc_address(ptdesc));
}

export function scenario_old_caller_constructs_again() {
  // expect-run MD011 — the second pagetable_pte_ctor(): VM_BUG_ON_PAGE(ptdesc->ptl) in ptlock_init()
  const mm = mm_alloc();
  const pa = pgd_pgtable_alloc(mm);
  if (pa < 0) return;
  const ptdesc = virt_to_ptdesc(__va(pa));
  pagetable_pte_ctor(mm, ptdesc); // the old caller's own ctor
  pagetable_dtor_free(ptdesc);
}
