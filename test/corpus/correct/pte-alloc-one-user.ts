// kernel: include/asm-generic/pgalloc.h __pte_alloc_one_noprof(), pte_alloc_one_noprof(), pte_free()
// tree: linux-mm/linux-mm @1df1ca75bc017a2851be148aec246e1a8d97bd3c
// A user PTE table: allocated with GFP_PGTABLE_USER, constructed (freed with pagetable_free() when
// the ctor fails: nothing was constructed), handed out as its struct page (pgtable_t), and freed by
// pte_free() -> pagetable_dtor_free(page_ptdesc(pte_page)).
import {
  GFP_PGTABLE_USER,
  mm_alloc,
  type mm_struct,
  page_ptdesc,
  pagetable_alloc,
  pagetable_dtor_free,
  pagetable_free,
  pagetable_pte_ctor,
  ptdesc_page,
} from "memdesc/sim";

function __pte_alloc_one(mm: mm_struct) {
  const ptdesc = pagetable_alloc(GFP_PGTABLE_USER, 0);
  if (!ptdesc) return null;
  if (!pagetable_pte_ctor(mm, ptdesc)) {
    pagetable_free(ptdesc);
    return null;
  }
  return ptdesc_page(ptdesc);
}

export function scenario_user_pte_table() {
  const mm = mm_alloc();
  const pte_page = __pte_alloc_one(mm);
  if (!pte_page) return;
  // pte_free(mm, pte_page)
  const ptdesc = page_ptdesc(pte_page);
  pagetable_dtor_free(ptdesc);
}
