/**
 * Page-table allocation and installation: the rest of include/asm-generic/pgalloc.h
 * (@1df1ca75), x86's arch/x86/include/asm/pgalloc.h (@5aaa2bca) and
 * arch/x86/mm/pgtable.c (@0b5da90e), and mm/memory.c's __pte_alloc().
 *
 * The page-table tree of a simulated mm: an entry (`pmd_t *`, `pud_t *`, `p4d_t *`)
 * is named by its address; what it holds is a `pmd_t` value whose PFN field names the
 * table it points to. Installing a table into init_mm (pmd_populate_kernel(),
 * pud_populate()/p4d_populate() for init_mm, set_pmd()/set_pud()/set_p4d() of an entry
 * whose mm the model cannot tell) marks the table reachable for the IOMMU
 * (markPgtableReachable, MD017, decision 0211). Not modelled: the hardware walk itself,
 * paravirt hooks, the split page-table lock, mm_inc_nr_ptes(), the x86 5-level switch
 * (the machine is 5-level: p4d tables are real, pgtable_l5_enabled() is true).
 */
import type { KernelAddress, Page } from "../../model/handles.js";
import { page_ptdesc, virt_to_ptdesc } from "./descriptors.js";
import { GFP_KERNEL, GFP_PGTABLE_KERNEL, GFP_PGTABLE_USER, type GfpMask } from "./gfp.js";
import { init_mm, type mm_struct } from "./mm.js";
import { kobject, PAGE_SHIFT, PAGE_SIZE, pfnOf, pfnToVirt, virtToPfn } from "./objects.js";
import { type AnyAddress, type AnyPage, type FreedAddress, pageAt } from "./page.js";
import {
  ctor,
  dtor,
  freeAny,
  type PteFreeChecked,
  ptAlloc,
  ptdesc_set_kernel,
  type TableMeta,
} from "./pgtable.js";
import { machine } from "./port.js";

/** arch/x86/include/asm/pgtable_types.h: _PAGE_PRESENT|_PAGE_RW|_PAGE_ACCESSED|_PAGE_DIRTY. */
export const _KERNPG_TABLE = 0x63;
/** _KERNPG_TABLE | _PAGE_USER. */
export const _PAGE_TABLE = 0x67;
/** arch/x86/include/asm/pgtable_types.h: _PAGE_PSE (bit 7), a leaf (huge) PMD or PUD entry. */
export const _PAGE_PSE = 0x80;
/** -ENOMEM as __pte_alloc() returns it. */
export const ENOMEM = 12;

/** `pmd_t`, `pud_t`, `p4d_t`: one entry value (`{ pmdval_t pmd; }`), 64 bits exact. */
export interface pmd_t {
  readonly pmd: bigint;
}
export interface pud_t {
  readonly pud: bigint;
}
export interface p4d_t {
  readonly p4d: bigint;
}

/**
 * __pmd(val) / __pud(val) / __p4d(val): an entry value.
 *
 * @c #define __pmd(x)
 * @kernel arch/x86/include/asm/pgtable.h
 */
export const __pmd = (val: number | bigint): pmd_t => ({ pmd: BigInt(val) });
/**
 * __pud(val): a PUD entry value.
 *
 * @c #define __pud(x)
 * @kernel arch/x86/include/asm/pgtable.h
 */
export const __pud = (val: number | bigint): pud_t => ({ pud: BigInt(val) });
/**
 * __p4d(val): a P4D entry value.
 *
 * @c #define __p4d(x)
 * @kernel arch/x86/include/asm/pgtable.h
 */
export const __p4d = (val: number | bigint): p4d_t => ({ p4d: BigInt(val) });
/**
 * pmd_val(pmd): the 64-bit value of a PMD entry.
 *
 * @c #define pmd_val(x)
 * @kernel arch/x86/include/asm/pgtable.h
 */
export const pmd_val = (pmd: pmd_t): bigint => pmd.pmd;
/**
 * pud_val(pud): the 64-bit value of a PUD entry.
 *
 * @c #define pud_val(x)
 * @kernel arch/x86/include/asm/pgtable.h
 */
export const pud_val = (pud: pud_t): bigint => pud.pud;
/**
 * p4d_val(p4d): the 64-bit value of a P4D entry.
 *
 * @c #define p4d_val(x)
 * @kernel arch/x86/include/asm/pgtable.h
 */
export const p4d_val = (p4d: p4d_t): bigint => p4d.p4d;

// PTE_PFN_MASK: bits 12..51 of an entry.
const PFN_MASK = ((1n << 52n) - 1n) & ~((1n << 12n) - 1n);
const entryPfn = (v: bigint): number => Number((v & PFN_MASK) >> BigInt(PAGE_SHIFT));

interface Entry {
  value: bigint;
  mm: mm_struct | null;
}
const trees = new WeakMap<object, Map<string, Entry>>();
function tree(): Map<string, Entry> {
  const m = machine();
  let t = trees.get(m);
  if (!t) {
    t = new Map();
    trees.set(m, t);
  }
  return t;
}
const key = (entry: AnyAddress | bigint): string => BigInt(entry).toString(16);

function install(op: string, entry: AnyAddress | bigint, value: bigint, mm: mm_struct | null): void {
  tree().set(key(entry), { value, mm });
  const pfn = entryPfn(value);
  const m = machine();
  // Into init_mm, or into an entry whose mm the model cannot tell: the IOMMU may walk it.
  if ((mm === null || mm.owner === "kernel") && pfn < m.nrPages && m.isAllocated(pfn))
    m.markPgtableReachable(op, pfn);
}

const paOf = (op: string, va: AnyAddress): bigint => {
  const pfn = virtToPfn(va as number, machine().nrPages);
  if (pfn < 0) throw new RangeError(`${op}: ${va} is not a direct-map address of this machine`);
  return BigInt(pfn) << BigInt(PAGE_SHIFT);
};

/**
 * set_pmd(pmdp, pmd): write an entry (mm unknown: a table it points to counts as reachable).
 *
 * @c #define set_pmd(pmdp, pmd)
 * @kernel arch/x86/include/asm/pgtable.h
 */
export function set_pmd(pmdp: AnyAddress | bigint, pmd: pmd_t): void {
  install("set_pmd", pmdp, pmd.pmd, null);
}
/**
 * set_pud(pudp, pud).
 *
 * @c #define set_pud(pudp, pud)
 * @kernel arch/x86/include/asm/pgtable.h
 */
export function set_pud(pudp: AnyAddress | bigint, pud: pud_t): void {
  install("set_pud", pudp, pud.pud, null);
}
/**
 * set_p4d(p4dp, p4d).
 *
 * @c #define set_p4d(p4dp, p4d)
 * @kernel arch/x86/include/asm/pgtable.h
 */
export function set_p4d(p4dp: AnyAddress | bigint, p4d: p4d_t): void {
  install("set_p4d", p4dp, p4d.p4d, null);
}
/**
 * pmd_clear(pmdp): the entry becomes none. The table stays reachable for MD017: the
 * IOMMU may have cached the walk until an invalidation (decision 0211).
 *
 * @c #define pmd_clear(pmd)
 * @kernel arch/x86/include/asm/pgtable.h
 */
export function pmd_clear(pmdp: AnyAddress | bigint): void {
  tree().delete(key(pmdp));
}
/**
 * pud_clear(pudp).
 *
 * @c #define pud_clear(pud)
 * @kernel arch/x86/include/asm/pgtable.h
 */
export function pud_clear(pudp: AnyAddress | bigint): void {
  tree().delete(key(pudp));
}
/**
 * p4d_clear(p4dp).
 *
 * @c #define p4d_clear(p4d)
 * @kernel arch/x86/include/asm/pgtable.h
 */
export function p4d_clear(p4dp: AnyAddress | bigint): void {
  tree().delete(key(p4dp));
}
/**
 * pmdp_get(pmdp): `*pmdp` (include/linux/pgtable.h).
 *
 * @c static inline pmd_t pmdp_get(pmd_t *pmdp)
 * @kernel include/linux/pgtable.h
 */
export function pmdp_get(pmdp: AnyAddress | bigint): pmd_t {
  return { pmd: tree().get(key(pmdp))?.value ?? 0n };
}
/**
 * pudp_get(pudp): `*pudp`.
 *
 * @c static inline pud_t pudp_get(pud_t *pudp)
 * @kernel include/linux/pgtable.h
 */
export function pudp_get(pudp: AnyAddress | bigint): pud_t {
  return { pud: tree().get(key(pudp))?.value ?? 0n };
}
/**
 * pmd_none(pmd): the entry holds nothing.
 *
 * @c static inline int pmd_none(pmd_t pmd)
 * @kernel arch/x86/include/asm/pgtable.h
 */
export const pmd_none = (pmd: pmd_t): boolean => pmd.pmd === 0n;
/**
 * pmd_leaf(pmd) (arch/x86/include/asm/pgtable.h: `pmd_flags(pte) & _PAGE_PSE`): the entry maps a
 * huge page itself instead of pointing at a PTE table.
 *
 * @c static inline bool pmd_leaf(pmd_t pte)
 * @kernel arch/x86/include/asm/pgtable.h
 */
export const pmd_leaf = (pmd: pmd_t): boolean => (pmd.pmd & BigInt(_PAGE_PSE)) !== 0n;
/**
 * pud_none(pud).
 *
 * @c static inline int pud_none(pud_t pud)
 * @kernel arch/x86/include/asm/pgtable.h
 */
export const pud_none = (pud: pud_t): boolean => pud.pud === 0n;
/**
 * pmd_page(pmd): the struct page of the table (or huge page) the entry points to.
 *
 * @c #define pmd_page(pmd)
 * @kernel arch/x86/include/asm/pgtable.h
 */
export function pmd_page(pmd: pmd_t): Page {
  return pageAt(entryPfn(pmd.pmd));
}
/**
 * pmd_page_vaddr(pmd) / pud_pgtable(pud): the direct-map address of the table an entry points to.
 *
 * @c static inline unsigned long pmd_page_vaddr(pmd_t pmd)
 * @kernel arch/x86/include/asm/pgtable.h
 */
export const pmd_page_vaddr = (pmd: pmd_t): number => pfnToVirt(entryPfn(pmd.pmd));
/**
 * pud_pgtable(pud): the direct-map address of the PMD table a PUD entry points to.
 *
 * @c static inline pmd_t *pud_pgtable(pud_t pud)
 * @kernel arch/x86/include/asm/pgtable.h
 */
export const pud_pgtable = (pud: pud_t): number => pfnToVirt(entryPfn(pud.pud));

/**
 * pmd_populate_kernel(mm, pmd, pte): `set_pmd(pmd, __pmd(__pa(pte) | _PAGE_TABLE))` (x86).
 *
 * @c static inline void pmd_populate_kernel(struct mm_struct *mm, pmd_t *pmd, pte_t *pte)
 * @kernel arch/x86/include/asm/pgalloc.h
 * @example
 * ```c
 * // mm/memory.c __pte_alloc_kernel(), init_mm.page_table_lock left out
 * pte_t *new = pte_alloc_one_kernel(&init_mm);
 * if (!new)
 *         return -ENOMEM;
 * if (likely(pmd_none(*pmd))) {	// Has another populated it ?
 *         pmd_populate_kernel(&init_mm, pmd, new);
 *         new = NULL;
 * }
 * if (new)
 *         pte_free_kernel(&init_mm, new);
 * return 0;
 * ```
 * ```ts
 * import { ENOMEM, init_mm, pmd_none, pmd_populate_kernel, pmdp_get, pte_alloc_one_kernel, pte_free_kernel } from "memdesc/sim";
 *
 * export function my_pte_alloc_kernel(pmd: bigint): number {
 *   const pte = pte_alloc_one_kernel(init_mm);
 *   if (!pte) return -ENOMEM;
 *   if (pmd_none(pmdp_get(pmd))) pmd_populate_kernel(init_mm, pmd, pte);
 *   else pte_free_kernel(init_mm, pte);
 *   return 0;
 * }
 * ```
 */
export function pmd_populate_kernel(mm: mm_struct, pmd: AnyAddress | bigint, pte: AnyAddress): void {
  install("pmd_populate_kernel", pmd, paOf("pmd_populate_kernel", pte) | BigInt(_PAGE_TABLE), mm);
}
/**
 * pmd_populate(mm, pmd, pte): a user PTE table given as its struct page (x86).
 *
 * @c static inline void pmd_populate(struct mm_struct *mm, pmd_t *pmd, struct page *pte)
 * @kernel arch/x86/include/asm/pgalloc.h
 */
export function pmd_populate(mm: mm_struct, pmd: AnyAddress | bigint, pte: AnyPage): void {
  install("pmd_populate", pmd, (BigInt(pfnOf(pte)) << BigInt(PAGE_SHIFT)) | BigInt(_PAGE_TABLE), mm);
}
/**
 * pud_populate(mm, pud, pmd): `set_pud(pud, __pud(_PAGE_TABLE | __pa(pmd)))` (x86, !PAE).
 *
 * @c static inline void pud_populate(struct mm_struct *mm, pud_t *pud, pmd_t *pmd)
 * @kernel arch/x86/include/asm/pgalloc.h
 */
export function pud_populate(mm: mm_struct, pud: AnyAddress | bigint, pmd: AnyAddress): void {
  install("pud_populate", pud, paOf("pud_populate", pmd) | BigInt(_PAGE_TABLE), mm);
}
/**
 * p4d_populate(mm, p4d, pud): `set_p4d(p4d, __p4d(_PAGE_TABLE | __pa(pud)))` (x86).
 *
 * @c static inline void p4d_populate(struct mm_struct *mm, p4d_t *p4d, pud_t *pud)
 * @kernel arch/x86/include/asm/pgalloc.h
 */
export function p4d_populate(mm: mm_struct, p4d: AnyAddress | bigint, pud: AnyAddress): void {
  install("p4d_populate", p4d, paOf("p4d_populate", pud) | BigInt(_PAGE_TABLE), mm);
}

type Owned<M extends mm_struct> = M extends mm_struct<infer O> ? O : never;

function allocLevel(mm: mm_struct, order: number, op: string, ctorOp: string): number {
  const kernel = mm.owner === "kernel";
  const pfn = ptAlloc(kernel ? GFP_PGTABLE_KERNEL : GFP_PGTABLE_USER, order, op);
  if (pfn < 0) return pfn;
  ctor(kobject("ptdesc", pfn), ctorOp);
  if (kernel) ptdesc_set_kernel(kobject("ptdesc", pfn) as never);
  return pfn;
}

function freeLevel(op: string, va: AnyAddress): void {
  if ((va as number) % PAGE_SIZE !== 0)
    throw new Error(`kernel BUG: ${op}: BUG_ON((unsigned long)${op.replace(/_free$/, "")} & (PAGE_SIZE-1))`);
  const pfn = pfnOf(virt_to_ptdesc(va as never));
  dtor(pfn, op);
  freeAny(pfn, op);
}

/**
 * pgd_alloc(mm) (arch/x86/mm/pgtable.c): __pgd_alloc(mm, pgd_allocation_order()) — order 0
 * (no PTI), GFP_PGTABLE_KERNEL and PT_kernel for init_mm. Not modelled: pgd_ctor()'s clone of
 * the kernel half and pgd_list.
 *
 * @c pgd_t *pgd_alloc(struct mm_struct *mm)
 * @kernel arch/x86/mm/pgtable.c
 * @example
 * ```c
 * // kernel/fork.c mm_alloc_pgd() and mm_free_pgd()
 * mm->pgd = pgd_alloc(mm);
 * if (unlikely(!mm->pgd))
 *         return -ENOMEM;
 * ...
 * pgd_free(mm, mm->pgd);
 * ```
 * ```ts
 * import { ENOMEM, mm_alloc, pgd_alloc, pgd_free } from "memdesc/sim";
 *
 * export function mm_pgd(): number {
 *   const mm = mm_alloc();
 *   const pgd = pgd_alloc(mm);
 *   if (!pgd) return -ENOMEM;
 *   pgd_free(mm, pgd);
 *   return 0;
 * }
 * ```
 */
export function pgd_alloc<M extends mm_struct>(mm: M): KernelAddress<TableMeta<Owned<M>>> | null {
  const pfn = allocLevel(mm, 0, "pgd_alloc", "pagetable_pgd_ctor");
  return pfn < 0 ? null : (pfnToVirt(pfn) as KernelAddress<TableMeta<Owned<M>>>);
}
/**
 * pgd_free(mm, pgd): pgd_dtor(), then __pgd_free(): BUG_ON unaligned, pagetable_dtor_free(virt_to_ptdesc(pgd)).
 *
 * @c void pgd_free(struct mm_struct *mm, pgd_t *pgd)
 * @kernel arch/x86/mm/pgtable.c
 */
export function pgd_free<const A extends AnyAddress>(
  _mm: mm_struct,
  pgd: PteFreeChecked<A, "pgd_free">,
): asserts pgd is FreedAddress<A, PteFreeChecked<A, "pgd_free">> {
  freeLevel("pgd_free", pgd);
}
/**
 * p4d_alloc_one(mm, addr) = __p4d_alloc_one(mm, addr) (asm-generic): pagetable_p4d_ctor, PT_kernel for init_mm.
 *
 * @c #define p4d_alloc_one(...)
 * @c static inline p4d_t *p4d_alloc_one_noprof(struct mm_struct *mm, unsigned long addr)
 * @kernel include/asm-generic/pgalloc.h
 */
export function p4d_alloc_one<M extends mm_struct>(
  mm: M,
  _addr: number,
): KernelAddress<TableMeta<Owned<M>>> | null {
  const pfn = allocLevel(mm, 0, "p4d_alloc_one", "pagetable_p4d_ctor");
  return pfn < 0 ? null : (pfnToVirt(pfn) as KernelAddress<TableMeta<Owned<M>>>);
}
/**
 * p4d_free(mm, p4d): `if (!mm_p4d_folded(mm)) __p4d_free(mm, p4d)` — never folded here (5-level).
 *
 * @c static inline void p4d_free(struct mm_struct *mm, p4d_t *p4d)
 * @kernel include/asm-generic/pgalloc.h
 */
export function p4d_free<const A extends AnyAddress>(
  _mm: mm_struct,
  p4d: PteFreeChecked<A, "p4d_free">,
): asserts p4d is FreedAddress<A, PteFreeChecked<A, "p4d_free">> {
  freeLevel("p4d_free", p4d);
}
/**
 * pud_alloc_one(mm, addr) = __pud_alloc_one(mm, addr) (asm-generic).
 *
 * @c #define pud_alloc_one(...)
 * @c static inline pud_t *pud_alloc_one_noprof(struct mm_struct *mm, unsigned long addr)
 * @kernel include/asm-generic/pgalloc.h
 */
export function pud_alloc_one<M extends mm_struct>(
  mm: M,
  _addr: number,
): KernelAddress<TableMeta<Owned<M>>> | null {
  const pfn = allocLevel(mm, 0, "pud_alloc_one", "pagetable_pud_ctor");
  return pfn < 0 ? null : (pfnToVirt(pfn) as KernelAddress<TableMeta<Owned<M>>>);
}
/**
 * pud_free(mm, pud) = __pud_free(mm, pud): BUG_ON unaligned, pagetable_dtor_free(virt_to_ptdesc(pud)).
 *
 * @c static inline void pud_free(struct mm_struct *mm, pud_t *pud)
 * @kernel include/asm-generic/pgalloc.h
 */
export function pud_free<const A extends AnyAddress>(
  _mm: mm_struct,
  pud: PteFreeChecked<A, "pud_free">,
): asserts pud is FreedAddress<A, PteFreeChecked<A, "pud_free">> {
  freeLevel("pud_free", pud);
}

/**
 * __pte_alloc_one(mm, gfp) (asm-generic): pagetable_alloc(gfp, 0), pagetable_pte_ctor(), the
 * table's struct page (pgtable_t). The owner follows gfp (__GFP_ACCOUNT: a user table).
 *
 * @c #define __pte_alloc_one(...)
 * @c static inline pgtable_t __pte_alloc_one_noprof(struct mm_struct *mm, gfp_t gfp)
 * @kernel include/asm-generic/pgalloc.h
 */
export function __pte_alloc_one<const G extends string | number>(
  mm: mm_struct,
  gfp: GfpMask<G>,
): Page<TableMeta<"kernel" | "user">> | null {
  const pfn = ptAlloc(gfp as string | number, 0, "__pte_alloc_one");
  if (pfn < 0) return null;
  ctor(kobject("ptdesc", pfn), "pagetable_pte_ctor");
  void mm;
  return pageAt(pfn);
}

/**
 * __pte_alloc(mm, pmd) (mm/memory.c): pte_alloc_one(); pmd_install() populates the entry
 * only if it is still none — if another thread populated it first, the new table is freed
 * with pte_free(). Returns 0, or -ENOMEM (mm/memory.c, linux-mm tree @009857a2).
 *
 * @c int __pte_alloc(struct mm_struct *mm, pmd_t *pmd)
 * @kernel include/linux/mm.h
 * @example
 * ```c
 * // mm/memory.c: pmd_install() populates the entry only if it is still none
 * int __pte_alloc(struct mm_struct *mm, pmd_t *pmd)
 * {
 *         pgtable_t new = pte_alloc_one(mm);
 *         if (!new)
 *                 return -ENOMEM;
 *         pmd_install(mm, pmd, &new);
 *         if (new)
 *                 pte_free(mm, new);
 *         return 0;
 * }
 * ```
 * ```ts
 * import { ENOMEM, pmd_none, pmd_populate, pmdp_get, pte_alloc_one, pte_free, type mm_struct } from "memdesc/sim";
 *
 * export function my_pte_alloc(mm: mm_struct, pmd: bigint): number {
 *   const pte = pte_alloc_one(mm);
 *   if (!pte) return -ENOMEM;
 *   if (pmd_none(pmdp_get(pmd))) pmd_populate(mm, pmd, pte);
 *   else pte_free(mm, pte);
 *   return 0;
 * }
 * ```
 * ```c
 * // include/linux/mm.h
 * #define pte_alloc(mm, pmd) (unlikely(pmd_none(*(pmd))) && __pte_alloc(mm, pmd))
 * ```
 * ```ts
 * import { __pte_alloc, type mm_struct, pmd_none, pmdp_get } from "memdesc/sim";
 *
 * export const pte_alloc = (mm: mm_struct, pmd: bigint): boolean => pmd_none(pmdp_get(pmd)) && __pte_alloc(mm, pmd) !== 0;
 * ```
 */
export function __pte_alloc(mm: mm_struct, pmd: AnyAddress | bigint): number {
  const pfn = ptAlloc(GFP_PGTABLE_USER, 0, "__pte_alloc");
  if (pfn < 0) return -ENOMEM;
  ctor(kobject("ptdesc", pfn), "pagetable_pte_ctor");
  if (pmd_none(pmdp_get(pmd))) {
    pmd_populate(mm, pmd, pageAt(pfn));
    return 0;
  }
  const pt = pfnOf(page_ptdesc(pageAt(pfn) as never));
  dtor(pt, "pte_free");
  freeAny(pt, "pte_free");
  return 0;
}

/**
 * __pte_alloc_kernel(pmd) (mm/memory.c): the same race for init_mm, with pmd_populate_kernel().
 *
 * @c int __pte_alloc_kernel(pmd_t *pmd)
 * @kernel include/linux/mm.h
 */
export function __pte_alloc_kernel(pmd: AnyAddress | bigint): number {
  const pfn = ptAlloc(GFP_PGTABLE_KERNEL, 0, "__pte_alloc_kernel");
  if (pfn < 0) return -ENOMEM;
  ctor(kobject("ptdesc", pfn), "pagetable_pte_ctor");
  ptdesc_set_kernel(kobject("ptdesc", pfn) as never);
  if (pmd_none(pmdp_get(pmd))) {
    pmd_populate_kernel(init_mm, pmd, pfnToVirt(pfn));
    return 0;
  }
  dtor(pfn, "pte_free_kernel");
  freeAny(pfn, "pte_free_kernel");
  return 0;
}

/**
 * pmd_free_pte_page(pmd, addr) (arch/x86/mm/pgtable.c): the PTE table the entry points to is
 * unlinked (pmd_clear), the CPU TLB flushed (flush_tlb_kernel_range: not an IOMMU
 * invalidation), and the table freed with pagetable_dtor_free(). Returns 1.
 *
 * @c int pmd_free_pte_page(pmd_t *pmd, unsigned long addr)
 * @kernel arch/x86/mm/pgtable.c
 */
export function pmd_free_pte_page(pmd: AnyAddress | bigint, _addr: number): number {
  const pfn = entryPfn(pmdp_get(pmd).pmd);
  pmd_clear(pmd);
  dtor(pfn, "pmd_free_pte_page");
  freeAny(pfn, "pmd_free_pte_page");
  return 1;
}

/**
 * pud_free_pmd_page(pud, addr) (arch/x86/mm/pgtable.c): save the PMD table's entries in a
 * __get_free_page(GFP_KERNEL) page, clear them and the PUD entry, free each PTE table they
 * pointed to with pagetable_dtor_free(), free the save page, then pmd_free(&init_mm, pmd).
 * Returns 1, or 0 when the save page cannot be allocated. The PMD table's entries are the
 * tree's entries whose address lies in the PMD table's page.
 *
 * @c int pud_free_pmd_page(pud_t *pud, unsigned long addr)
 * @kernel arch/x86/mm/pgtable.c
 */
export function pud_free_pmd_page(pud: AnyAddress | bigint, _addr: number): number {
  const m = machine();
  const pmdPfn = entryPfn(pudp_get(pud).pud);
  const save = m.allocPages("pud_free_pmd_page", GFP_KERNEL, 0, "pud_free_pmd_page");
  if (save < 0) return 0;
  const lo = BigInt(pfnToVirt(pmdPfn));
  const hi = lo + BigInt(PAGE_SIZE);
  const saved: number[] = [];
  for (const [k, e] of tree()) {
    const a = BigInt(`0x${k}`);
    if (a >= lo && a < hi) {
      saved.push(entryPfn(e.value));
      tree().delete(k);
    }
  }
  pud_clear(pud);
  for (const pfn of saved) {
    dtor(pfn, "pud_free_pmd_page");
    freeAny(pfn, "pud_free_pmd_page");
  }
  m.freePages("pud_free_pmd_page", save, 0);
  dtor(pmdPfn, "pmd_free");
  freeAny(pmdPfn, "pmd_free");
  return 1;
}
