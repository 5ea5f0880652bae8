/**
 * mmu_gather with CONFIG_MMU_GATHER_RCU_TABLE_FREE (mm/mmu_gather.c,
 * include/asm-generic/tlb.h): tables wait in a batch page for the grace period;
 * MAX_TABLE_BATCH = (PAGE_SIZE - sizeof(struct mmu_table_batch)) / sizeof(void *)
 * = (4096 - 24) / 8 = 509 on x86-64.
 */
import { describe, expect, it } from "vitest";
import {
  alloc_page,
  flush_scheduled_work,
  GFP_KERNEL,
  MAX_TABLE_BATCH,
  Machine,
  mm_alloc,
  mmu_gather,
  page_ptdesc,
  page_to_pfn,
  pagetable_dtor,
  pmd_alloc_one,
  pmd_free_tlb,
  pte_alloc_one,
  pte_free_tlb,
  rcu_barrier,
  runOn,
  tlb_finish_mmu,
  tlb_gather_mmu,
  tlb_remove_page,
  tlb_remove_page_ptdesc,
  virt_to_pfn,
} from "../../../src/sim/index.js";

const machine = () => new Machine({ pages: 4096, onViolation: "collect", trackAllocSites: true });

describe("tlb_remove_table and the RCU grace period", () => {
  it("a freed table waits in a plain batch page until the grace period", () => {
    const m = machine();
    runOn(m, () => {
      const mm = mm_alloc();
      const tlb = new mmu_gather();
      tlb_gather_mmu(tlb, mm);
      const pte = pte_alloc_one(mm)!;
      const pmd = pmd_alloc_one(mm, 0)!;
      pte_free_tlb(tlb, pte, 0);
      pmd_free_tlb(tlb, pmd, 0);
      tlb_finish_mmu(tlb);
      // Still allocated: the two tables and the batch page.
      expect(m.isAllocated(page_to_pfn(pte))).toBe(true);
      expect(m.isAllocated(virt_to_pfn(pmd))).toBe(true);
      const batch = m.ledger().allocations.find((a) => a.site === "tlb_remove_table");
      expect(batch?.order).toBe(0);
      expect(batch?.kind).not.toBe("ptdesc");
      expect(batch?.compound).toBe(false);
      rcu_barrier();
      expect(m.isAllocated(page_to_pfn(pte))).toBe(false);
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.ledger().allocations).toEqual([]);
  });
  it("a full batch of MAX_TABLE_BATCH tables is handed to RCU and a new batch page taken", () => {
    expect(MAX_TABLE_BATCH).toBe(509);
    const m = machine();
    runOn(m, () => {
      const mm = mm_alloc();
      const tlb = new mmu_gather();
      tlb_gather_mmu(tlb, mm);
      for (let i = 0; i < MAX_TABLE_BATCH + 1; i++) pte_free_tlb(tlb, pte_alloc_one(mm)!, 0);
      const batches = m.ledger().allocations.filter((a) => a.site === "tlb_remove_table");
      expect(batches.length).toBe(2);
      tlb_finish_mmu(tlb);
      flush_scheduled_work(); // the grace period, as --run ends a scenario
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.ledger().allocations).toEqual([]);
  });
  it("tlb_remove_page / tlb_remove_page_ptdesc drop the reference at tlb_finish_mmu", () => {
    const m = machine();
    runOn(m, () => {
      const mm = mm_alloc();
      const tlb = new mmu_gather();
      tlb_gather_mmu(tlb, mm);
      const page = alloc_page(GFP_KERNEL)!;
      const pte = pte_alloc_one(mm)!;
      const pt = page_ptdesc(pte);
      pagetable_dtor(pt);
      tlb_remove_page(tlb, page);
      tlb_remove_page_ptdesc(tlb, pt);
      expect(m.isAllocated(page_to_pfn(page))).toBe(true);
      tlb_finish_mmu(tlb);
      expect(m.isAllocated(page_to_pfn(page))).toBe(false);
      expect(m.isAllocated(page_to_pfn(pte))).toBe(false);
    });
    expect(m.takeViolations()).toEqual([]);
    expect(m.ledger().allocations).toEqual([]);
  });
});
