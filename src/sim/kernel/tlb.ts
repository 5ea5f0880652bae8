/**
 * mmu_gather: include/asm-generic/tlb.h and mm/mmu_gather.c with
 * CONFIG_MMU_GATHER_TABLE_FREE and CONFIG_MMU_GATHER_RCU_TABLE_FREE (as x86
 * builds them), and x86's ___pte_free_tlb()/___pmd_free_tlb()/___pud_free_tlb()
 * (arch/x86/mm/pgtable.c).
 *
 * Page tables go into a batch page (`struct mmu_table_batch`, itself a plain page from
 * `__get_free_page(GFP_NOWAIT | __GFP_NOWARN)`); a full batch, or tlb_finish_mmu(), hands the
 * batch to call_rcu(), and after the grace period each table is freed with
 * __tlb_remove_table() = pagetable_dtor_free() and the batch page with free_page(). When no
 * batch page can be had, the table is freed at once after tlb_remove_table_sync_one().
 *
 * Modelled grace period: RCU callbacks run at synchronize_rcu()/rcu_barrier(), or when
 * scheduled work runs (flush_scheduled_work(), which `--run` calls after each scenario).
 * Not modelled: the CPU TLB flush itself, the IPI of tlb_remove_table_sync_one(), tlb ranges,
 * the swap cache of free_pages_and_swap_cache().
 */

import type { AnyPtdesc } from "./descriptors.js";
import { __GFP_NOWARN, GFP_NOWAIT } from "./gfp.js";
import type { mm_struct } from "./mm.js";
import { PAGE_SIZE, pfnOf, virtToPfn } from "./objects.js";
import { type AnyAddress, type AnyPage, pageAt } from "./page.js";
import { dtor, freeAny } from "./pgtable.js";
import { machine } from "./port.js";
import { INIT_WORK, schedule_work } from "./work.js";

/**
 * include/asm-generic/tlb.h (linux-mm tree @0a1e70b4): MAX_TABLE_BATCH = (PAGE_SIZE -
 * sizeof(struct mmu_table_batch)) / sizeof(void *), where struct mmu_table_batch is { struct
 * rcu_head rcu (CONFIG_MMU_GATHER_RCU_TABLE_FREE, 16 bytes); unsigned int nr (4); void *tables[]
 * (aligned to 8: 4 bytes of padding) } = 24 bytes on x86-64, so (4096 - 24) / 8 = 509.
 */
export const MAX_TABLE_BATCH = (PAGE_SIZE - 24) / 8;

interface TableBatch {
  readonly pfn: number;
  readonly tables: number[];
}

/** struct mmu_gather: `const tlb = new mmu_gather(); tlb_gather_mmu(tlb, mm);`. */
export class mmu_gather {
  mm: mm_struct | null = null;
  batch: TableBatch | null = null;
  readonly pages: number[] = [];
  freed_tables = false;
  fullmm = false;
}

const rcuCallbacks = new WeakMap<object, (() => void)[]>();
const rcuWork = new WeakMap<object, ReturnType<typeof INIT_WORK>>();
function callbacks(): (() => void)[] {
  const m = machine();
  let q = rcuCallbacks.get(m);
  if (!q) {
    q = [];
    rcuCallbacks.set(m, q);
  }
  return q;
}

/** call_rcu(): run `fn` after a grace period (modelled: at rcu_barrier() or when work runs). */
function call_rcu(fn: () => void): void {
  callbacks().push(fn);
  const m = machine();
  let w = rcuWork.get(m);
  if (!w) {
    w = INIT_WORK(() => rcu_barrier(), "rcu_grace_period");
    rcuWork.set(m, w);
  }
  schedule_work(w);
}

/**
 * rcu_barrier(): every callback queued by call_rcu() has run.
 *
 * @c void rcu_barrier(void)
 * @kernel text:include/linux/rcutree.h
 */
export function rcu_barrier(): void {
  const q = callbacks();
  while (q.length > 0) q.shift()?.();
}

/**
 * synchronize_rcu(): a grace period has elapsed (the queued callbacks run).
 *
 * @c void synchronize_rcu(void)
 * @kernel include/linux/rcupdate.h
 */
export function synchronize_rcu(): void {
  rcu_barrier();
}

/** __tlb_remove_table(table) (include/asm-generic/tlb.h): pagetable_dtor_free((struct ptdesc *)table). */
function __tlb_remove_table(pfn: number): void {
  dtor(pfn, "__tlb_remove_table");
  freeAny(pfn, "__tlb_remove_table");
}

/**
 * tlb_gather_mmu(tlb, mm) (mm/mmu_gather.c).
 *
 * @c void tlb_gather_mmu(struct mmu_gather *tlb, struct mm_struct *mm)
 * @kernel mm/mmu_gather.c
 * @example
 * ```c
 * struct mmu_gather tlb;
 *
 * tlb_gather_mmu(&tlb, mm);
 * tlb_remove_ptdesc(&tlb, page_ptdesc(pte));	// arch/x86/mm/pgtable.c ___pte_free_tlb()
 * tlb_finish_mmu(&tlb);
 * ```
 * ```ts
 * import { type mm_struct, mmu_gather, page_ptdesc, type struct_page, tlb_finish_mmu, tlb_gather_mmu, tlb_remove_ptdesc } from "memdesc/sim";
 *
 * export function free_pte_table(mm: mm_struct, pte: struct_page): void {
 *   const tlb = new mmu_gather();
 *   tlb_gather_mmu(tlb, mm);
 *   tlb_remove_ptdesc(tlb, page_ptdesc(pte));
 *   tlb_finish_mmu(tlb);
 * }
 * ```
 */
export function tlb_gather_mmu(tlb: mmu_gather, mm: mm_struct): void {
  tlb.mm = mm;
  tlb.batch = null;
  tlb.pages.length = 0;
  tlb.freed_tables = false;
  tlb.fullmm = false;
}

/**
 * tlb_gather_mmu_fullmm(tlb, mm): the whole address space is going (exit_mmap).
 *
 * @c void tlb_gather_mmu_fullmm(struct mmu_gather *tlb, struct mm_struct *mm)
 * @kernel mm/mmu_gather.c
 */
export function tlb_gather_mmu_fullmm(tlb: mmu_gather, mm: mm_struct): void {
  tlb_gather_mmu(tlb, mm);
  tlb.fullmm = true;
}

function tlb_table_flush(tlb: mmu_gather): void {
  const batch = tlb.batch;
  if (!batch) return;
  tlb.batch = null;
  // tlb_remove_table_free(): call_rcu(&batch->rcu, tlb_remove_table_rcu).
  call_rcu(() => {
    for (const t of batch.tables) __tlb_remove_table(t);
    machine().freePages("tlb_remove_table_rcu", batch.pfn, 0);
  });
}

/**
 * tlb_remove_table(tlb, table) (mm/mmu_gather.c): queue a page table for freeing after the
 * grace period; the first table takes a batch page, a full batch (MAX_TABLE_BATCH) is flushed.
 *
 * @c void tlb_remove_table(struct mmu_gather *tlb, void *table)
 * @kernel mm/mmu_gather.c
 */
export function tlb_remove_table(tlb: mmu_gather, table: AnyPtdesc): void {
  const m = machine();
  const pfn = pfnOf(table);
  if (!tlb.batch) {
    const batch = m.allocPages("tlb_remove_table", GFP_NOWAIT | __GFP_NOWARN, 0, "tlb_remove_table");
    if (batch < 0) {
      // tlb_table_invalidate(); tlb_remove_table_one(): sync with walkers, then free at once.
      __tlb_remove_table(pfn);
      return;
    }
    tlb.batch = { pfn: batch, tables: [] };
  }
  tlb.batch.tables.push(pfn);
  if (tlb.batch.tables.length === MAX_TABLE_BATCH) tlb_table_flush(tlb);
}

/**
 * tlb_remove_ptdesc(tlb, pt) = tlb_remove_table(tlb, pt) (include/asm-generic/tlb.h).
 *
 * @c static inline void tlb_remove_ptdesc(struct mmu_gather *tlb, struct ptdesc *pt)
 * @kernel include/asm-generic/tlb.h
 */
export function tlb_remove_ptdesc(tlb: mmu_gather, pt: AnyPtdesc): void {
  tlb.freed_tables = true;
  tlb_remove_table(tlb, pt);
}

/**
 * tlb_remove_page(tlb, page): the page's reference is dropped at tlb_finish_mmu()
 * (free_pages_and_swap_cache(): a put per page).
 *
 * @c static inline void tlb_remove_page(struct mmu_gather *tlb, struct page *page)
 * @kernel include/asm-generic/tlb.h
 */
export function tlb_remove_page(tlb: mmu_gather, page: AnyPage): void {
  tlb.pages.push(pfnOf(page));
}

/**
 * tlb_remove_page_ptdesc(tlb, pt) = tlb_remove_page(tlb, ptdesc_page(pt)): for architectures
 * without table freeing; the caller ran pagetable_dtor() first.
 *
 * Gone from the newest tree: the series "remove tlb_remove_page_ptdesc()" (Qi Zheng, merged for v6.15) removed it, and linux-mm/linux-mm include/asm-generic/tlb.h @0a1e70b4 has only tlb_remove_ptdesc(); the prototype is the one v6.14 had.
 *
 * @c static inline void tlb_remove_page_ptdesc(struct mmu_gather *tlb, struct ptdesc *pt)
 */
export function tlb_remove_page_ptdesc(tlb: mmu_gather, pt: AnyPtdesc): void {
  tlb_remove_page(tlb, pageAt(pfnOf(pt)));
}

/**
 * pte_free_tlb(tlb, ptep, address): x86 ___pte_free_tlb() = tlb_remove_ptdesc(tlb, page_ptdesc(pte)).
 *
 * @c #define pte_free_tlb(tlb, ptep, address)
 * @kernel include/asm-generic/tlb.h
 * @example
 * ```c
 * // mm/memory.c free_pte_range()
 * pgtable_t token = pmd_pgtable(*pmd);
 * pmd_clear(pmd);
 * pte_free_tlb(tlb, token, addr);
 * mm_dec_nr_ptes(tlb->mm);
 * ```
 * ```ts
 * import { type mmu_gather, pmd_clear, pmd_page, pmdp_get, pte_free_tlb } from "memdesc/sim";
 *
 * // x86: pmd_pgtable(pmd) is pmd_page(pmd); mm_dec_nr_ptes() is not modelled.
 * export function free_pte_range(tlb: mmu_gather, pmd: bigint, addr: number): void {
 *   const token = pmd_page(pmdp_get(pmd));
 *   pmd_clear(pmd);
 *   pte_free_tlb(tlb, token, addr);
 * }
 * ```
 */
export function pte_free_tlb(tlb: mmu_gather, ptep: AnyPage, _address: number): void {
  tlb_remove_ptdesc(tlb, pageAt(pfnOf(ptep)) as never);
}

function tableOf(op: string, va: AnyAddress): AnyPtdesc {
  const pfn = virtToPfn(va as number, machine().nrPages);
  if (pfn < 0) throw new RangeError(`${op}: ${va} is not a direct-map address of this machine`);
  return pageAt(pfn) as never;
}

/**
 * pmd_free_tlb(tlb, pmdp, address): x86 ___pmd_free_tlb() = tlb_remove_ptdesc(tlb, virt_to_ptdesc(pmd)).
 *
 * @c #define pmd_free_tlb(tlb, pmdp, address)
 * @kernel include/asm-generic/tlb.h
 */
export function pmd_free_tlb(tlb: mmu_gather, pmdp: AnyAddress, _address: number): void {
  tlb_remove_ptdesc(tlb, tableOf("pmd_free_tlb", pmdp));
}

/**
 * pud_free_tlb(tlb, pudp, address): x86 ___pud_free_tlb() = tlb_remove_ptdesc(tlb, virt_to_ptdesc(pud)).
 *
 * @c #define pud_free_tlb(tlb, pudp, address)
 * @kernel include/asm-generic/tlb.h
 */
export function pud_free_tlb(tlb: mmu_gather, pudp: AnyAddress, _address: number): void {
  tlb_remove_ptdesc(tlb, tableOf("pud_free_tlb", pudp));
}

/**
 * tlb_finish_mmu(tlb) (mm/mmu_gather.c): tlb_flush_mmu() — the table batch goes to call_rcu()
 * (tlb_table_flush) and the gathered pages lose their reference (tlb_batch_pages_flush).
 *
 * @c void tlb_finish_mmu(struct mmu_gather *tlb)
 * @kernel mm/mmu_gather.c
 */
export function tlb_finish_mmu(tlb: mmu_gather): void {
  tlb_table_flush(tlb);
  const m = machine();
  for (const pfn of tlb.pages.splice(0)) m.putPage("tlb_finish_mmu", pfn);
}
