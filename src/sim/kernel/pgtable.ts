/**
 * Page tables: the ptdesc API of include/linux/mm.h, the asm-generic
 * allocators of include/asm-generic/pgalloc.h and the deferred freeing of
 * kernel page tables of mm/pgtable-generic.c (upstream 5ba2f0a15564, "mm:
 * introduce deferred freeing for kernel page tables", Dave Hansen, in Lu
 * Baolu's "Fix stale IOTLB entries for kernel address space" v7).
 *
 * Compile time: a ptdesc's type carries its owner (kernel or user, from the
 * GFP mask or the mm at allocation), its lifecycle (constructed, destructed)
 * and whether PT_kernel was set. Run time: the same, per page, in the machine.
 */
import type { KernelAddress, Meta, Page, Ptdesc, WithFact } from "../../model/handles.js";
import { PT_FLAGS } from "../../model/page-flags.js";
import type {
  Constructed,
  KernelTableMarked,
  Live,
  NotConstructed,
  NotKernelTable,
  NotLiveTable,
} from "./checks.js";
import { type AnyPtdesc, checkKind, page_ptdesc, virt_to_ptdesc } from "./descriptors.js";
import { __GFP_ACCOUNT, __GFP_COMP, type GfpHasAccount, type GfpMask, gfpEval } from "./gfp.js";
import { LIST_HEAD, list_add, list_del, list_splice_tail_init, listPfns } from "./list.js";
import type { mm_struct } from "./mm.js";
import { EmbeddedListHead, kobject, PAGE_OFFSET, PAGE_SIZE, pfnOf, pfnToVirt } from "./objects.js";
import { type AnyAddress, type AnyPage, checkLive, type FreedAddress } from "./page.js";
import { machine } from "./port.js";
import { beforeFree, kernelState, noteInvalidation, noteRelease } from "./state.js";
import { INIT_WORK, schedule_work } from "./work.js";

/** TLB_FLUSH_ALL (-1UL): "the whole range". */
export const TLB_FLUSH_ALL = -1;

/** Owner of a table allocated with mask G: GFP_PGTABLE_USER carries __GFP_ACCOUNT. */
type OwnerOfGfp<G> =
  GfpHasAccount<G> extends true ? "user" : GfpHasAccount<G> extends false ? "kernel" : "kernel" | "user";

/** What pagetable_alloc(gfp, order) returns. */
export type AllocatedPtdesc<G, O extends number> = Ptdesc<
  Meta<"ptdesc", O, O extends 0 ? false : true, OwnerOfGfp<G>>
>;

/** A constructed table as the asm-generic helpers return it. */
export type TableMeta<Owner extends "kernel" | "user"> = Meta<"ptdesc", 0, false, Owner> & {
  readonly ctor: true;
  readonly typeSet: { readonly table: true };
} & (Owner extends "kernel" ? { readonly PT_kernel: true } : unknown);

const ptdesc = <T>(pfn: number): T => kobject("ptdesc", pfn) as unknown as T;

export function ptAlloc(gfp: string | number, order: number, op: string): number {
  const m = machine();
  const mask = gfpEval(gfp) | __GFP_COMP;
  const pfn = m.allocPages(op, mask, order, op);
  if (pfn < 0) return pfn;
  m.setMemdescKind(op, pfn, "ptdesc");
  m.setPtdescState(op, pfn, "allocated");
  // A table allocated without __GFP_ACCOUNT is a kernel table (GFP_PGTABLE_KERNEL): the IOMMU may walk it.
  if ((mask & __GFP_ACCOUNT) === 0)
    for (let p = pfn; p < pfn + 2 ** order; p++) kernelState(m).kernelTables.add(p);
  return pfn;
}

/**
 * pagetable_alloc(gfp, order): alloc_pages(gfp | __GFP_COMP, order) as a
 * ptdesc. Page tables are always compound (include/linux/mm.h).
 *
 * @c #define pagetable_alloc(...)
 * @c static inline struct ptdesc *pagetable_alloc_noprof(gfp_t gfp, unsigned int order)
 * @kernel include/linux/mm.h
 * @example
 * ```c
 * // arch/x86/mm/pgtable.c preallocate_pmds()
 * gfp_t gfp = GFP_PGTABLE_USER;
 *
 * if (mm == &init_mm)
 *         gfp &= ~__GFP_ACCOUNT;
 * gfp &= ~__GFP_HIGHMEM;
 *
 * struct ptdesc *ptdesc = pagetable_alloc(gfp, 0);
 *
 * if (!ptdesc)
 *         failed = true;
 * if (ptdesc && !pagetable_pmd_ctor(mm, ptdesc)) {
 *         pagetable_free(ptdesc);
 *         ptdesc = NULL;
 *         failed = true;
 * }
 * ```
 * ```ts
 * import {
 *   __GFP_ACCOUNT,
 *   __GFP_HIGHMEM,
 *   GFP_PGTABLE_USER,
 *   type gfp_t,
 *   init_mm,
 *   type mm_struct,
 *   pagetable_alloc,
 *   pagetable_free,
 *   pagetable_pmd_ctor,
 * } from "memdesc/sim";
 *
 * export function preallocate_pmd(mm: mm_struct): boolean {
 *   let gfp: gfp_t = GFP_PGTABLE_USER;
 *   if (mm === init_mm) gfp &= ~__GFP_ACCOUNT;
 *   gfp &= ~__GFP_HIGHMEM;
 *   const ptdesc = pagetable_alloc(gfp, 0);
 *   if (!ptdesc) return false;
 *   if (!pagetable_pmd_ctor(mm, ptdesc)) {
 *     pagetable_free(ptdesc);
 *     return false;
 *   }
 *   return true;
 * }
 * ```
 */
export function pagetable_alloc<const G extends string | number, const O extends number>(
  gfp: GfpMask<G>,
  order: O,
): AllocatedPtdesc<G, O> | null {
  const pfn = ptAlloc(gfp, order, "pagetable_alloc");
  return pfn < 0 ? null : ptdesc(pfn);
}

export function ctor(pt: unknown, op: string): boolean {
  const m = machine();
  const pfn = pfnOf(pt);
  checkLive(op, pfn);
  checkKind(op, pfn, "ptdesc");
  const state = m.ptdescState(pfn);
  if (state === "constructed") {
    m.report({
      rule: "MD011",
      op,
      pfn,
      message: `MD011 ${op}: pfn 0x${pfn.toString(16)} is already a constructed page table`,
    });
    return true;
  }
  m.setPageType(op, pfn, "table");
  m.setPtdescState(op, pfn, "constructed");
  return true;
}

type CtorChecked<T, Fn extends string> = T & Live<T, Fn> & NotConstructed<T, Fn>;
type CtorResult<T, Fn extends string> = CtorChecked<T, Fn> &
  WithFact<"ctor"> &
  WithFact<"typeSet", { readonly table: true }>;

/**
 * pagetable_pte_ctor(mm, ptdesc): construct a PTE table (split lock unless init_mm; PGTY_table).
 *
 * @c static inline bool pagetable_pte_ctor(struct mm_struct *mm, struct ptdesc *ptdesc)
 * @kernel include/linux/mm.h
 */
export function pagetable_pte_ctor<const T extends AnyPtdesc>(
  _mm: mm_struct,
  pt: CtorChecked<T, "pagetable_pte_ctor">,
): pt is CtorResult<T, "pagetable_pte_ctor"> {
  return ctor(pt, "pagetable_pte_ctor");
}

/**
 * pagetable_pmd_ctor(mm, ptdesc).
 *
 * @c static inline bool pagetable_pmd_ctor(struct mm_struct *mm, struct ptdesc *ptdesc)
 * @kernel include/linux/mm.h
 */
export function pagetable_pmd_ctor<const T extends AnyPtdesc>(
  _mm: mm_struct,
  pt: CtorChecked<T, "pagetable_pmd_ctor">,
): pt is CtorResult<T, "pagetable_pmd_ctor"> {
  return ctor(pt, "pagetable_pmd_ctor");
}

/**
 * pagetable_pud_ctor(ptdesc).
 *
 * @c static inline void pagetable_pud_ctor(struct ptdesc *ptdesc)
 * @kernel include/linux/mm.h
 */
export function pagetable_pud_ctor<const T extends AnyPtdesc>(
  pt: CtorChecked<T, "pagetable_pud_ctor">,
): asserts pt is CtorResult<T, "pagetable_pud_ctor"> {
  ctor(pt, "pagetable_pud_ctor");
}

/**
 * pagetable_p4d_ctor(ptdesc).
 *
 * @c static inline void pagetable_p4d_ctor(struct ptdesc *ptdesc)
 * @kernel include/linux/mm.h
 */
export function pagetable_p4d_ctor<const T extends AnyPtdesc>(
  pt: CtorChecked<T, "pagetable_p4d_ctor">,
): asserts pt is CtorResult<T, "pagetable_p4d_ctor"> {
  ctor(pt, "pagetable_p4d_ctor");
}

/**
 * pagetable_pgd_ctor(ptdesc).
 *
 * @c static inline void pagetable_pgd_ctor(struct ptdesc *ptdesc)
 * @kernel include/linux/mm.h
 */
export function pagetable_pgd_ctor<const T extends AnyPtdesc>(
  pt: CtorChecked<T, "pagetable_pgd_ctor">,
): asserts pt is CtorResult<T, "pagetable_pgd_ctor"> {
  ctor(pt, "pagetable_pgd_ctor");
}

export function dtor(pfn: number, op: string): void {
  const m = machine();
  const state = m.ptdescState(pfn);
  if (state !== "constructed") {
    m.report({
      rule: "MD011",
      op,
      pfn,
      expected: "constructed",
      got: state,
      message: `MD011 ${op}: pfn 0x${pfn.toString(16)} is ${state === "destructed" ? "already destructed" : "not a constructed page table"}`,
    });
    return;
  }
  m.clearPageType(op, pfn, "table");
  m.setPtdescState(op, pfn, "destructed");
}

/**
 * pagetable_dtor(ptdesc): free the split lock, clear PGTY_table, uncount NR_PAGETABLE.
 *
 * @c static inline void pagetable_dtor(struct ptdesc *ptdesc)
 * @kernel include/linux/mm.h
 */
export function pagetable_dtor<const T extends AnyPtdesc>(
  pt: T & Live<T, "pagetable_dtor"> & Constructed<T, "pagetable_dtor">,
): asserts pt is T & Live<T, "pagetable_dtor"> & Constructed<T, "pagetable_dtor"> & WithFact<"dtor"> {
  const pfn = pfnOf(pt);
  checkLive("pagetable_dtor", pfn);
  dtor(pfn, "pagetable_dtor");
}

/** The pure free (include/linux/mm.h __pagetable_free): __free_pages(page, compound_order(page)). */
function freeTable(pfn: number, op: string): void {
  const m = machine();
  // MD012 (still constructed) and MD013 (PT_kernel still set) are the machine's: its prepare step
  // asks the page's state on every path that gives pages back.
  const order = m.isHead(pfn) ? m.compoundOrder(pfn) : 0;
  beforeFree(op, pfn, 2 ** order);
  m.setMemdescKind(op, pfn, "misc");
  m.freeCompoundOrder(op, pfn);
}

/**
 * __pagetable_free(pt): free without looking at PT_kernel (MD013 for a kernel page table).
 *
 * @c static inline void __pagetable_free(struct ptdesc *pt)
 * @kernel include/linux/mm.h
 */
export function __pagetable_free<const T extends AnyPtdesc>(
  pt: T &
    Live<T, "__pagetable_free", "free"> &
    NotLiveTable<T, "__pagetable_free"> &
    NotKernelTable<T, "__pagetable_free">,
): asserts pt is T &
  Live<T, "__pagetable_free", "free"> &
  NotLiveTable<T, "__pagetable_free"> &
  NotKernelTable<T, "__pagetable_free"> &
  WithFact<"freed"> {
  const pfn = pfnOf(pt);
  noteRelease(pfn);
  freeTable(pfn, "__pagetable_free");
}

// mm/pgtable-generic.c: kernel_pgtable_work { list, lock, work }.
interface KernelPgtableWork {
  readonly list: ReturnType<typeof LIST_HEAD>;
  readonly work: ReturnType<typeof INIT_WORK>;
}
const works = new WeakMap<object, KernelPgtableWork>();
function kernelPgtableWork(): KernelPgtableWork {
  const s = kernelState();
  let w = works.get(s);
  if (!w) {
    w = { list: LIST_HEAD(), work: INIT_WORK(kernel_pgtable_work_func, "kernel_pgtable_work_func") };
    works.set(s, w);
  }
  return w;
}

/**
 * kernel_pgtable_work_func(): take the queued tables, tell the IOMMU, then
 * free them (mm/pgtable-generic.c after "iommu/sva: Invalidate stale IOTLB
 * entries for kernel address space").
 */
function kernel_pgtable_work_func(): void {
  const w = kernelPgtableWork();
  const list = LIST_HEAD();
  list_splice_tail_init(w.list, list);
  iommu_sva_invalidate_kva_range(PAGE_OFFSET, TLB_FLUSH_ALL);
  for (const pfn of listPfns(list)) {
    list_del(new EmbeddedListHead(pfn, "ptdesc", "pt_list"));
    freeTable(pfn, "kernel_pgtable_work_func");
  }
}

function freeKernel(pfn: number, op: string): void {
  const m = machine();
  // The kernel-aware path has the table: nothing after it looks at PT_kernel (PG_referenced is
  // cleared at free, PAGE_FLAGS_CHECK_AT_PREP), and the machine's MD013 asks exactly this bit.
  if (m.flags(pfn) & (1 << PT_FLAGS.PT_kernel)) m.clearFlag(op, pfn, PT_FLAGS.PT_kernel);
  noteRelease(pfn);
  if (!m.config.asyncKernelPgtableFree) {
    freeTable(pfn, op);
    return;
  }
  const w = kernelPgtableWork();
  list_add(new EmbeddedListHead(pfn, "ptdesc", "pt_list"), w.list);
  schedule_work(w.work);
}

/**
 * pagetable_free_kernel(pt): with CONFIG_ASYNC_KERNEL_PGTABLE_FREE, queue the
 * table for the worker; otherwise __pagetable_free().
 *
 * @c void pagetable_free_kernel(struct ptdesc *pt)
 * @kernel include/linux/mm.h
 */
export function pagetable_free_kernel<const T extends AnyPtdesc>(
  pt: T & Live<T, "pagetable_free_kernel", "free"> & NotLiveTable<T, "pagetable_free_kernel">,
): asserts pt is T &
  Live<T, "pagetable_free_kernel", "free"> &
  NotLiveTable<T, "pagetable_free_kernel"> &
  WithFact<"freed"> {
  freeKernel(pfnOf(pt), "pagetable_free_kernel");
}

export function freeAny(pfn: number, op: string): void {
  const m = machine();
  if (m.flags(pfn) & (1 << PT_FLAGS.PT_kernel)) {
    m.clearFlag(op, pfn, PT_FLAGS.PT_kernel);
    freeKernel(pfn, op);
  } else {
    noteRelease(pfn);
    freeTable(pfn, op);
  }
}

/**
 * pagetable_free(pt): a table marked PT_kernel goes through
 * pagetable_free_kernel() (after ptdesc_clear_kernel()); anything else is
 * freed at once. A kernel table never marked is MD013.
 *
 * @c static inline void pagetable_free(struct ptdesc *pt)
 * @kernel include/linux/mm.h
 */
export function pagetable_free<const T extends AnyPtdesc>(
  pt: T &
    Live<T, "pagetable_free", "free"> &
    NotLiveTable<T, "pagetable_free"> &
    KernelTableMarked<T, "pagetable_free">,
): asserts pt is T &
  Live<T, "pagetable_free", "free"> &
  NotLiveTable<T, "pagetable_free"> &
  KernelTableMarked<T, "pagetable_free"> &
  WithFact<"freed"> {
  freeAny(pfnOf(pt), "pagetable_free");
}

/**
 * pagetable_dtor_free(pt) = pagetable_dtor(pt); pagetable_free(pt).
 *
 * @c static inline void pagetable_dtor_free(struct ptdesc *ptdesc)
 * @kernel include/linux/mm.h
 */
export function pagetable_dtor_free<const T extends AnyPtdesc>(
  pt: T &
    Live<T, "pagetable_dtor_free", "free"> &
    Constructed<T, "pagetable_dtor_free"> &
    KernelTableMarked<T, "pagetable_dtor_free">,
): asserts pt is T &
  Live<T, "pagetable_dtor_free", "free"> &
  Constructed<T, "pagetable_dtor_free"> &
  KernelTableMarked<T, "pagetable_dtor_free"> &
  WithFact<"freed"> {
  const pfn = pfnOf(pt);
  checkLive("pagetable_dtor_free", pfn);
  dtor(pfn, "pagetable_dtor_free");
  freeAny(pfn, "pagetable_dtor_free");
}

/**
 * ptdesc_set_kernel(pt): mark a kernel page table (PT_kernel = PG_referenced).
 *
 * @c static inline void ptdesc_set_kernel(struct ptdesc *ptdesc)
 * @kernel include/linux/mm.h
 */
export function ptdesc_set_kernel<const T extends AnyPtdesc>(
  pt: T & Live<T, "ptdesc_set_kernel">,
): asserts pt is T & Live<T, "ptdesc_set_kernel"> & WithFact<"PT_kernel"> {
  const m = machine();
  const pfn = pfnOf(pt);
  checkLive("ptdesc_set_kernel", pfn);
  m.setFlag("ptdesc_set_kernel", pfn, PT_FLAGS.PT_kernel);
  const order = m.isHead(pfn) ? m.compoundOrder(pfn) : 0;
  for (let p = pfn; p < pfn + 2 ** order; p++) kernelState(m).kernelTables.add(p);
}

/**
 * ptdesc_clear_kernel(pt).
 *
 * @c static inline void ptdesc_clear_kernel(struct ptdesc *ptdesc)
 * @kernel include/linux/mm.h
 */
export function ptdesc_clear_kernel<const T extends AnyPtdesc>(
  pt: T & Live<T, "ptdesc_clear_kernel">,
): asserts pt is T & Live<T, "ptdesc_clear_kernel"> & WithFact<"PT_kernel_cleared"> {
  machine().clearFlag("ptdesc_clear_kernel", pfnOf(pt), PT_FLAGS.PT_kernel);
}

/**
 * ptdesc_test_kernel(pt).
 *
 * @c static inline bool ptdesc_test_kernel(const struct ptdesc *ptdesc)
 * @kernel include/linux/mm.h
 */
export function ptdesc_test_kernel(pt: AnyPtdesc): boolean {
  return (machine().flags(pfnOf(pt)) & (1 << PT_FLAGS.PT_kernel)) !== 0;
}

/**
 * ptlock_ptr(pt): the split page-table lock; only a constructed table has one (MD011).
 *
 * @c static inline spinlock_t *ptlock_ptr(struct ptdesc *ptdesc)
 * @kernel include/linux/mm.h
 */
export function ptlock_ptr<const T extends AnyPtdesc>(
  pt: T & Live<T, "ptlock_ptr"> & Constructed<T, "ptlock_ptr">,
): object {
  const m = machine();
  const pfn = pfnOf(pt);
  if (m.ptdescState(pfn) !== "constructed") {
    m.report({
      rule: "MD011",
      op: "ptlock_ptr",
      pfn,
      message: `MD011 ptlock_ptr: pfn 0x${pfn.toString(16)} is not a constructed page table`,
    });
  }
  return { ptl: pfn };
}

/**
 * iommu_sva_invalidate_kva_range(start, end): flush the IOMMU's caches of kernel page-table walks.
 *
 * @c void iommu_sva_invalidate_kva_range(unsigned long start, unsigned long end)
 * @kernel include/linux/iommu.h
 */
export function iommu_sva_invalidate_kva_range(start: number, end: number): void {
  noteInvalidation("iommu_sva_invalidate_kva_range", start, end);
}

// ---------------------------------------------------------------------------
// include/asm-generic/pgalloc.h

export type KernelPte = KernelAddress<TableMeta<"kernel">>;

/**
 * __pte_alloc_one_kernel(mm) / pte_alloc_one_kernel(mm): a constructed, PT_kernel-marked PTE table (pte_t *).
 *
 * @c #define pte_alloc_one_kernel(...)
 * @c static inline hw_pte_t *pte_alloc_one_kernel_noprof(struct mm_struct *mm)
 * @kernel include/asm-generic/pgalloc.h
 */
export function pte_alloc_one_kernel(_mm: mm_struct): KernelPte | null {
  const pfn = ptAlloc("GFP_PGTABLE_KERNEL", 0, "pte_alloc_one_kernel");
  if (pfn < 0) return null;
  ctor(kobject("ptdesc", pfn), "pagetable_pte_ctor");
  ptdesc_set_kernel(kobject("ptdesc", pfn) as never);
  // Its caller installs it (__pte_alloc_kernel() -> pmd_populate_kernel()); until the populate
  // functions are modelled the model cannot prove it never installed, so it counts as reachable.
  machine().markPgtableReachable("pte_alloc_one_kernel", pfn);
  return pfnToVirt(pfn) as KernelPte;
}

export type PteFreeChecked<A, Fn extends string> = A &
  Live<A, Fn, "free"> &
  Constructed<A, Fn> &
  KernelTableMarked<A, Fn>;

/**
 * pte_free_kernel(mm, pte) = pagetable_dtor_free(virt_to_ptdesc(pte)).
 *
 * @c static inline void pte_free_kernel(struct mm_struct *mm, hw_pte_t *pte)
 * @kernel include/asm-generic/pgalloc.h
 */
export function pte_free_kernel<const A extends AnyAddress>(
  _mm: mm_struct,
  pte: PteFreeChecked<A, "pte_free_kernel">,
): asserts pte is FreedAddress<A, PteFreeChecked<A, "pte_free_kernel">> {
  const pt = virt_to_ptdesc(pte as never);
  const pfn = pfnOf(pt);
  dtor(pfn, "pte_free_kernel");
  freeAny(pfn, "pte_free_kernel");
}

/**
 * pte_alloc_one(mm): a constructed user PTE table, as its struct page (pgtable_t).
 *
 * @c pgtable_t pte_alloc_one(struct mm_struct *mm)
 * @kernel arch/x86/mm/pgtable.c
 */
export function pte_alloc_one(mm: mm_struct): Page<TableMeta<"user">> | null {
  const pfn = ptAlloc("GFP_PGTABLE_USER", 0, "pte_alloc_one");
  if (pfn < 0) return null;
  ctor(kobject("ptdesc", pfn), "pagetable_pte_ctor");
  void mm;
  return kobject("page", pfn) as unknown as Page<TableMeta<"user">>;
}

/**
 * pte_free(mm, pte_page) = pagetable_dtor_free(page_ptdesc(pte_page)).
 *
 * @c static inline void pte_free(struct mm_struct *mm, struct page *pte_page)
 * @kernel include/asm-generic/pgalloc.h
 */
export function pte_free<const P extends AnyPage>(
  _mm: mm_struct,
  pte_page: P & Live<P, "pte_free", "free"> & Constructed<P, "pte_free"> & KernelTableMarked<P, "pte_free">,
): asserts pte_page is P &
  Live<P, "pte_free", "free"> &
  Constructed<P, "pte_free"> &
  KernelTableMarked<P, "pte_free"> &
  WithFact<"freed"> {
  const pt = page_ptdesc(pte_page as never);
  const pfn = pfnOf(pt);
  dtor(pfn, "pte_free");
  freeAny(pfn, "pte_free");
}

/**
 * pmd_alloc_one(mm, addr): GFP_PGTABLE_KERNEL and PT_kernel for init_mm, GFP_PGTABLE_USER otherwise.
 *
 * @c #define pmd_alloc_one(...)
 * @c static inline pmd_t *pmd_alloc_one_noprof(struct mm_struct *mm, unsigned long addr)
 * @kernel include/asm-generic/pgalloc.h
 */
export function pmd_alloc_one<Owner extends "kernel" | "user">(
  mm: mm_struct<Owner>,
  _addr: number,
): KernelAddress<TableMeta<Owner>> | null {
  const kernel = mm.owner === "kernel";
  const pfn = ptAlloc(kernel ? "GFP_PGTABLE_KERNEL" : "GFP_PGTABLE_USER", 0, "pmd_alloc_one");
  if (pfn < 0) return null;
  ctor(kobject("ptdesc", pfn), "pagetable_pmd_ctor");
  if (kernel) {
    ptdesc_set_kernel(kobject("ptdesc", pfn) as never);
    // As pte_alloc_one_kernel(): the caller installs it (pud_populate()); reachable until modelled.
    machine().markPgtableReachable("pmd_alloc_one", pfn);
  }
  return pfnToVirt(pfn) as KernelAddress<TableMeta<Owner>>;
}

/**
 * pmd_free(mm, pmd): BUG_ON an unaligned pointer, then pagetable_dtor_free(virt_to_ptdesc(pmd)).
 *
 * @c static inline void pmd_free(struct mm_struct *mm, pmd_t *pmd)
 * @kernel include/asm-generic/pgalloc.h
 */
export function pmd_free<const A extends AnyAddress>(
  _mm: mm_struct,
  pmd: PteFreeChecked<A, "pmd_free">,
): asserts pmd is FreedAddress<A, PteFreeChecked<A, "pmd_free">> {
  if ((pmd as number) % PAGE_SIZE !== 0)
    throw new Error("kernel BUG: pmd_free: BUG_ON((unsigned long)pmd & (PAGE_SIZE-1))");
  const pt = virt_to_ptdesc(pmd as never);
  const pfn = pfnOf(pt);
  dtor(pfn, "pmd_free");
  freeAny(pfn, "pmd_free");
}
