// kernel: mm/mmu_gather.c tlb_gather_mmu(), tlb_remove_table(), tlb_table_flush(), tlb_finish_mmu();
// mm/memory.c free_pte_range() (pte_free_tlb()) and zap_present_ptes() (tlb_remove_page())
// tree: linux-mm/linux-mm @0796b489ebe26df7a50e9dcb33e7430b8f5f685f (mm/mmu_gather.c)
// munmap() of a user range: the mapped page's reference goes into the gather and is dropped at
// tlb_finish_mmu(); the emptied PTE table goes into a table batch (a page from
// __get_free_page(GFP_NOWAIT)) that is handed to call_rcu() and freed with __tlb_remove_table()
// (pagetable_dtor_free()) after the grace period. A full batch (MAX_TABLE_BATCH tables) is flushed
// on the spot. Nothing is freed twice and nothing is left: the RCU callbacks run when the
// scenario's queued work runs.
import {
  alloc_page,
  GFP_HIGHUSER_MOVABLE,
  MAX_TABLE_BATCH,
  mm_alloc,
  mmu_gather,
  pte_alloc_one,
  pte_free_tlb,
  tlb_finish_mmu,
  tlb_gather_mmu,
  tlb_gather_mmu_fullmm,
  tlb_remove_page,
} from "memdesc/sim";

export function scenario_munmap_one_table() {
  const mm = mm_alloc();
  const pte_page = pte_alloc_one(mm);
  if (!pte_page) return;
  const page = alloc_page(GFP_HIGHUSER_MOVABLE);
  if (!page) return;
  const tlb = new mmu_gather();
  tlb_gather_mmu(tlb, mm);
  tlb_remove_page(tlb, page); // zap: the page's reference is dropped after the TLB flush
  pte_free_tlb(tlb, pte_page, 0x7f0000000000); // free_pte_range()
  tlb_finish_mmu(tlb);
}

export function scenario_exit_many_tables() {
  // exit_mmap() of a large address space: more tables than one batch page holds.
  const mm = mm_alloc();
  const tables = [];
  for (let i = 0; i < MAX_TABLE_BATCH + 8; i++) {
    const t = pte_alloc_one(mm);
    if (!t) break;
    tables.push(t);
  }
  const tlb = new mmu_gather();
  tlb_gather_mmu_fullmm(tlb, mm);
  for (const [i, t] of tables.entries()) pte_free_tlb(tlb, t, i * 0x200000);
  tlb_finish_mmu(tlb);
}
