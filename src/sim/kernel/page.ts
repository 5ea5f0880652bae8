/**
 * Pages: allocation, freeing, references and addresses, with the kernel's
 * names and argument order (mm/page_alloc.c, include/linux/gfp.h,
 * include/linux/mm.h). Each function's parameter types carry the memdesc
 * rules the compiler can decide; each body runs the same rule on the
 * simulated machine.
 */
import type {
  AnyHandle,
  BrandOf,
  ConvertTo,
  CurrentStage,
  KernelAddress,
  Meta,
  Page,
  WithFact,
} from "../../model/handles.js";
import type { FreeOrder, Live, NotCompound, NotKernelTable, OrderIsZero, Violation } from "./checks.js";
import { __GFP_ZERO, type GfpHasComp, type GfpMask, gfpEval } from "./gfp.js";
import { kobject, pfnOf, pfnToVirt, virtToPfn } from "./objects.js";
import { machine } from "./port.js";
import { beforeFree } from "./state.js";

/**
 * MD007 for accessors: a function that reads a struct page field is an error at a stage where
 * the field is gone, exactly like the field access (`page->private` at `final`).
 */
export type HasField<P, F extends string, Fn extends string> = P extends { readonly [K in F]: unknown }
  ? unknown
  : Violation<"MD007", Fn, { struct: "page"; member: F; stage: CurrentStage }>;

/** A `struct page *` of any allocation (the constraint of page functions). */
export type AnyPage = Page<Meta>;

/** What alloc_pages(gfp, order) returns: plain pages, compound exactly when order > 0 and gfp has __GFP_COMP. */
export type AllocatedPages<G, O extends number> = Page<
  Meta<"plain", O, O extends 0 ? false : GfpHasComp<G>, "none">
>;

/** Brand a run-time page object. SAFETY: see objects.ts — the brand is phantom. */
export function pageAt<P>(pfn: number): P {
  return kobject("page", pfn) as unknown as P;
}

/** Report MD015 when kernel code uses a page that is free. */
export function checkLive(op: string, pfn: number): void {
  const m = machine();
  const state = m.pageState(pfn);
  if (state !== "allocated") {
    // The words the machine's own MD015 uses (context.ts checkLive), so one state reads one way.
    const what =
      state === "orphan"
        ? "belongs to an allocation that was freed without it"
        : state === "leaked"
          ? "was leaked by bad_page()"
          : "is free";
    m.report({
      rule: "MD015",
      op,
      pfn,
      message: `MD015 ${op}: use after free — pfn 0x${pfn.toString(16)} ${what}`,
    });
  }
}

function gfpToMask(gfp: string | number): number {
  return gfpEval(gfp);
}

/**
 * alloc_pages(gfp, order): 2^order contiguous, naturally aligned pages, or
 * NULL. The block is compound — a head and tails that point at it — only
 * when `order > 0` and `gfp` has `__GFP_COMP` (mm/page_alloc.c prep_new_page).
 *
 * @c #define alloc_pages(...)
 * @c struct page *alloc_pages_noprof(gfp_t gfp, unsigned int order)
 * @kernel include/linux/gfp.h
 */
export function alloc_pages<const G extends string | number, const O extends number>(
  gfp: GfpMask<G>,
  order: O,
): AllocatedPages<G, O> | null {
  const pfn = machine().allocPages("alloc_pages", gfpToMask(gfp), order, "alloc_pages");
  return pfn < 0 ? null : pageAt(pfn);
}

/**
 * alloc_pages_node(nid, gfp, order): alloc_pages() on node `nid` (the machine has one node).
 *
 * @c #define alloc_pages_node(...)
 * @c struct page *alloc_pages_node_noprof(int nid, gfp_t gfp_mask, unsigned int order)
 * @kernel include/linux/gfp.h
 */
export function alloc_pages_node<const G extends string | number, const O extends number>(
  _nid: number,
  gfp: GfpMask<G>,
  order: O,
): AllocatedPages<G, O> | null {
  const pfn = machine().allocPages("alloc_pages_node", gfpToMask(gfp), order, "alloc_pages_node");
  return pfn < 0 ? null : pageAt(pfn);
}

/**
 * cpu_to_node(cpu): the NUMA node of a CPU. The prototype is include/linux/topology.h's, under
 * CONFIG_USE_PERCPU_NUMA_NODE_ID: `per_cpu(numa_node, cpu)`. The machine has one node, so every
 * CPU's numa_node is 0 — what a kernel without CONFIG_NUMA gets from the
 * include/asm-generic/topology.h macro `#define cpu_to_node(cpu) ((void)(cpu),0)`. A CPU number
 * that is not a non-negative integer is a bug in the caller (per_cpu(numa_node, cpu) would read
 * outside the per-CPU areas) and throws.
 *
 * @c static inline int cpu_to_node(int cpu)
 * @kernel include/linux/topology.h
 */
export function cpu_to_node(cpu: number): number {
  if (!Number.isInteger(cpu) || cpu < 0) throw new Error(`cpu_to_node: no CPU ${cpu}`);
  return 0;
}

/**
 * alloc_page(gfp) = alloc_pages(gfp, 0).
 *
 * @c #define alloc_page(gfp_mask)
 * @kernel include/linux/gfp.h
 */
export function alloc_page<const G extends string | number>(gfp: GfpMask<G>): AllocatedPages<G, 0> | null {
  const pfn = machine().allocPages("alloc_page", gfpToMask(gfp), 0, "alloc_page");
  return pfn < 0 ? null : pageAt(pfn);
}

/**
 * __free_pages(page, order): free a block allocated at `order` (MD002). A
 * non-compound block whose first page still has another reference keeps the
 * first page until the last put_page() (mm/page_alloc.c ___free_pages). A kernel page table
 * the IOMMU may walk (an alloc_low_pages() table: no PT_kernel mark) given back here before an
 * iommu_sva_invalidate_kva_range() is stale (MD017 on reuse; decision 0609), as it is when given
 * back with __free_page(), free_pages() or free_page().
 *
 * @c extern void __free_pages(struct page *page, unsigned int order)
 * @kernel include/linux/gfp.h
 */
export function __free_pages<const P extends AnyPage, const O extends number>(
  page: P & Live<P, "__free_pages", "free"> & NotKernelTable<P, "__free_pages">,
  order: FreeOrder<P, O, "__free_pages">,
): asserts page is P &
  Live<P, "__free_pages", "free"> &
  NotKernelTable<P, "__free_pages"> &
  WithFact<"freed"> {
  const pfn = pfnOf(page);
  beforeFree("__free_pages", pfn, 2 ** (order as number));
  machine().freePages("__free_pages", pfn, order as number);
}

/**
 * __free_page(page) = __free_pages(page, 0).
 *
 * @c #define __free_page(page)
 * @kernel include/linux/gfp.h
 */
export function __free_page<const P extends AnyPage>(
  page: P & Live<P, "__free_page", "free"> & NotKernelTable<P, "__free_page"> & OrderIsZero<P, "__free_page">,
): asserts page is P &
  Live<P, "__free_page", "free"> &
  NotKernelTable<P, "__free_page"> &
  OrderIsZero<P, "__free_page"> &
  WithFact<"freed"> {
  const pfn = pfnOf(page);
  beforeFree("__free_page", pfn, 1);
  machine().freePages("__free_page", pfn, 0);
}

/**
 * __get_free_pages(gfp, order): the direct-map address of a new block, or 0.
 *
 * @c #define __get_free_pages(...)
 * @c extern unsigned long get_free_pages_noprof(gfp_t gfp_mask, unsigned int order)
 * @kernel include/linux/gfp.h
 */
export function __get_free_pages<const G extends string | number, const O extends number>(
  gfp: GfpMask<G>,
  order: O,
): KernelAddress<Meta<"plain", O, O extends 0 ? false : GfpHasComp<G>, "none">> | 0 {
  const pfn = machine().allocPages("__get_free_pages", gfpToMask(gfp), order, "__get_free_pages");
  return (pfn < 0 ? 0 : pfnToVirt(pfn)) as KernelAddress<
    Meta<"plain", O, O extends 0 ? false : GfpHasComp<G>, "none">
  >;
}

/**
 * get_zeroed_page(gfp) = __get_free_pages(gfp | __GFP_ZERO, 0).
 *
 * @c #define get_zeroed_page(...)
 * @c extern unsigned long get_zeroed_page_noprof(gfp_t gfp_mask)
 * @kernel include/linux/gfp.h
 */
export function get_zeroed_page<const G extends string | number>(
  gfp: GfpMask<G>,
): KernelAddress<Meta<"plain", 0, false, "none">> | 0 {
  const pfn = machine().allocPages("get_zeroed_page", gfpToMask(gfp) | __GFP_ZERO, 0, "get_zeroed_page");
  return (pfn < 0 ? 0 : pfnToVirt(pfn)) as KernelAddress<Meta<"plain", 0, false, "none">>;
}

/** A direct-map address of any allocation (`void *`, `unsigned long addr`), or a computed one (a plain number). */
export type AnyAddress = KernelAddress<Meta> | number;

/**
 * What a free function asserts about an address: a branded address gains "freed" (MD014/MD015
 * later in the function); a plain number, whose facts the compiler never knew, stays as it is —
 * so `for (let addr = start; addr < end; addr += PAGE_SIZE) free_page(addr)` compiles.
 */
export type FreedAddress<A, Checked> = [A] extends [AnyHandle] ? Checked & WithFact<"freed"> : Checked;

/**
 * free_pages(addr, order) = __free_pages(virt_to_page(addr), order).
 *
 * @c extern void free_pages(unsigned long addr, unsigned int order)
 * @kernel include/linux/gfp.h
 */
export function free_pages<const A extends AnyAddress, const O extends number>(
  addr: A & Live<A, "free_pages", "free"> & NotKernelTable<A, "free_pages">,
  order: FreeOrder<A, O, "free_pages">,
): asserts addr is FreedAddress<A, A & Live<A, "free_pages", "free"> & NotKernelTable<A, "free_pages">> {
  const m = machine();
  const pfn = virtToPfn(addr, m.nrPages);
  if (pfn < 0) throw new RangeError(`free_pages: ${addr} is not a direct-map address of this machine`);
  beforeFree("free_pages", pfn, 2 ** (order as number));
  m.freePages("free_pages", pfn, order as number);
}

/**
 * free_page(addr) = free_pages(addr, 0).
 *
 * @c #define free_page(addr)
 * @kernel include/linux/gfp.h
 */
export function free_page<const A extends AnyAddress>(
  addr: A & Live<A, "free_page", "free"> & NotKernelTable<A, "free_page"> & OrderIsZero<A, "free_page">,
): asserts addr is FreedAddress<
  A,
  A & Live<A, "free_page", "free"> & NotKernelTable<A, "free_page"> & OrderIsZero<A, "free_page">
> {
  const m = machine();
  const pfn = virtToPfn(addr, m.nrPages);
  if (pfn < 0) throw new RangeError(`free_page: ${addr} is not a direct-map address of this machine`);
  beforeFree("free_page", pfn, 1);
  m.freePages("free_page", pfn, 0);
}

/**
 * get_page(page): take a reference on the page's folio (its compound head).
 *
 * @c static inline void get_page(struct page *page)
 * @kernel include/linux/mm.h
 */
export function get_page<const P extends AnyPage>(page: P & Live<P, "get_page">): void {
  const pfn = pfnOf(page);
  checkLive("get_page", pfn);
  machine().getPage("get_page", pfn);
}

/**
 * put_page(page): drop a reference; the last one frees compound_order(head)
 * pages. On the first page of a non-compound block of order > 0 that frees
 * only that page (MD009 at run time when the other pages are still held).
 * Not an assertion function: after get_page() the same variable may hold
 * another reference, so whether this was the last one is a run-time question.
 *
 * @c static inline void put_page(struct page *page)
 * @kernel include/linux/mm.h
 */
export function put_page<const P extends AnyPage>(page: P & Live<P, "put_page", "free">): void {
  machine().putPage("put_page", pfnOf(page));
}

/**
 * page_ref_count(page) (include/linux/page_ref.h).
 *
 * @c static inline int page_ref_count(const struct page *page)
 * @kernel include/linux/page_ref.h
 */
export function page_ref_count<const P extends AnyPage>(
  page: P & Live<P, "page_ref_count"> & HasField<P, "_refcount", "page_ref_count">,
): number {
  return machine().pageRefCount(pfnOf(page));
}

/**
 * page_count(page): the refcount of the page's folio.
 *
 * @c static inline int page_count(const struct page *page)
 * @kernel include/linux/page_ref.h
 */
export function page_count<const P extends AnyPage>(
  page: P & Live<P, "page_count"> & HasField<P, "_refcount", "page_count">,
): number {
  const m = machine();
  return m.pageRefCount(m.compoundHead(pfnOf(page)));
}

/**
 * split_page(page, order): turn a non-compound block into 2^order order-0
 * pages, each with its own reference (MD010: never a compound page or folio).
 * After it, each page is freed on its own with __free_page().
 *
 * @c void split_page(struct page *page, unsigned int order)
 * @kernel include/linux/mm.h
 */
export function split_page<const P extends AnyPage, const O extends number>(
  page: P & Live<P, "split_page"> & NotCompound<P, "split_page">,
  order: FreeOrder<P, O, "split_page">,
): asserts page is P & Live<P, "split_page"> & NotCompound<P, "split_page"> & WithFact<"split"> {
  machine().splitPage("split_page", pfnOf(page), order as number);
}

/**
 * set_page_private(page, private).
 *
 * @c static inline void set_page_private(struct page *page, unsigned long private)
 * @kernel include/linux/mm_types.h
 * @example
 * ```c
 * // mm/bootmem_info.c get_page_bootmem()
 * SetPagePrivate(page);
 * set_page_private(page, info << 4 | type);
 * page_ref_inc(page);
 * ```
 * ```ts
 * import { page_private, page_ref_inc, set_page_private, type struct_page } from "memdesc/sim";
 *
 * // At stage final struct page has no `private`: both calls are MD007 there.
 * export function get_page_bootmem(info: number, page: struct_page, type: number): number {
 *   set_page_private(page, (info << 4) | type);
 *   page_ref_inc(page);
 *   return page_private(page) >> 4;
 * }
 * ```
 */
export function set_page_private<const P extends AnyPage>(
  page: P & Live<P, "set_page_private"> & HasField<P, "private", "set_page_private">,
  value: number | bigint,
): void {
  machine().setPrivate("set_page_private", pfnOf(page), value);
}

/**
 * page_private(page).
 *
 * @c #define page_private(page)
 * @kernel include/linux/mm_types.h
 */
export function page_private<const P extends AnyPage>(
  page: P & Live<P, "page_private"> & HasField<P, "private", "page_private">,
): number {
  // A number written comes back the same number; a bigint only for a value a double cannot hold,
  // which only a bigint write can store (src/sim/machine/memmap.ts readULong, decision 0220).
  return machine().private(pfnOf(page)) as number;
}

/**
 * page_address(page): the page's direct-map address (no highmem on 64-bit).
 *
 * @c #define page_address(page)
 * @kernel include/linux/mm.h
 */
export function page_address<const P extends AnyPage>(
  page: P & Live<P, "page_address">,
): KernelAddress<BrandOf<P>> {
  const pfn = pfnOf(page);
  checkLive("page_address", pfn);
  return pfnToVirt(pfn) as KernelAddress<BrandOf<P>>;
}

/**
 * virt_to_page(addr): the page of a direct-map address.
 *
 * @c #define virt_to_page(kaddr)
 * @kernel arch/x86/include/asm/page.h
 * @example
 * ```c
 * unsigned long addr = __get_free_page(GFP_KERNEL);
 * struct page *page = virt_to_page(addr);
 *
 * WARN_ON(page_address(page) != (void *)addr);
 * __free_page(page);
 * ```
 * ```ts
 * import { __free_page, __get_free_page, GFP_KERNEL, page_address, virt_to_page } from "memdesc/sim";
 *
 * export function round_trip(): boolean {
 *   const addr = __get_free_page(GFP_KERNEL);
 *   if (!addr) return false;
 *   const page = virt_to_page(addr);
 *   const same = page_address(page) === addr;
 *   __free_page(page);
 *   return same;
 * }
 * ```
 */
export function virt_to_page<const A extends AnyAddress>(addr: A): ConvertTo<"page", A> {
  const m = machine();
  const pfn = virtToPfn(addr, m.nrPages);
  if (pfn < 0) throw new RangeError(`virt_to_page: ${addr} is not a direct-map address of this machine`);
  return pageAt(pfn);
}

/**
 * page_to_pfn(page).
 *
 * @c #define page_to_pfn __page_to_pfn
 * @kernel include/asm-generic/memory_model.h
 */
export function page_to_pfn(page: AnyHandle): number {
  return pfnOf(page);
}

/**
 * pfn_to_page(pfn): a page the compiler knows nothing about.
 *
 * @c #define pfn_to_page __pfn_to_page
 * @kernel include/asm-generic/memory_model.h
 */
export function pfn_to_page(pfn: number): Page {
  if (!Number.isInteger(pfn) || pfn < 0 || pfn >= machine().nrPages) {
    throw new RangeError(
      `pfn_to_page: pfn 0x${pfn.toString(16)} is outside this machine's ${machine().nrPages} pages`,
    );
  }
  return pageAt(pfn);
}

/**
 * nth_page(page, n): the page n frames after `page` — `page + n` in C.
 *
 * Gone from the newest tree: linux-mm/linux-mm include/linux/mm.h @009857a2 has no nth_page() (upstream "mm: remove nth_page()"); the macro head is the one mainline had.
 *
 * @c #define nth_page(page, n)
 */
export function nth_page(page: AnyPage, n: number): Page {
  return pfn_to_page(pfnOf(page) + n);
}

/**
 * compound_head(page): the head of the page's compound block, or the page itself.
 *
 * @c #define compound_head(page)
 * @kernel include/linux/page-flags.h
 */
export function compound_head<const P extends AnyPage>(page: P): ConvertTo<"page", P> {
  return pageAt(machine().compoundHead(pfnOf(page)));
}

/**
 * compound_order(page): the order of a compound head, 0 otherwise (also 0 for a non-compound block).
 *
 * @c static inline unsigned int compound_order(const struct page *page)
 * @kernel include/linux/mm.h
 */
export function compound_order(page: AnyPage): number {
  const m = machine();
  const pfn = pfnOf(page);
  return m.isHead(pfn) ? m.compoundOrder(pfn) : 0;
}

/**
 * PageHead(page).
 *
 * @c static __always_inline int PageHead(const struct page *page)
 * @kernel include/linux/page-flags.h
 */
export function PageHead(page: AnyPage): boolean {
  return machine().isHead(pfnOf(page));
}

/**
 * PageTail(page).
 *
 * @c static __always_inline int PageTail(const struct page *page)
 * @kernel include/linux/page-flags.h
 */
export function PageTail(page: AnyPage): boolean {
  return machine().isTail(pfnOf(page));
}

/**
 * PageCompound(page) = PageHead || PageTail.
 *
 * @c static __always_inline int PageCompound(const struct page *page)
 * @kernel include/linux/page-flags.h
 */
export function PageCompound(page: AnyPage): boolean {
  const pfn = pfnOf(page);
  return machine().isHead(pfn) || machine().isTail(pfn);
}

/**
 * virt_to_head_page(x): `compound_head(virt_to_page(x))` (include/linux/mm.h) — the head of the
 * compound block an address points into, or the page itself.
 *
 * @c static inline struct page *virt_to_head_page(const void *x)
 * @kernel include/linux/mm.h
 */
export function virt_to_head_page<const A extends AnyAddress>(x: A): ConvertTo<"page", A> {
  const m = machine();
  const pfn = virtToPfn(x, m.nrPages);
  if (pfn < 0) throw new RangeError(`virt_to_head_page: ${x} is not a direct-map address of this machine`);
  return pageAt(m.compoundHead(pfn));
}

/**
 * __get_free_page(gfp) = __get_free_pages(gfp, 0) (include/linux/gfp.h): a direct-map address, or 0.
 *
 * @c #define __get_free_page(gfp_mask)
 * @kernel include/linux/gfp.h
 */
export function __get_free_page<const G extends string | number>(
  gfp: GfpMask<G>,
): KernelAddress<Meta<"plain", 0, false, "none">> | 0 {
  const pfn = machine().allocPages("__get_free_page", gfpToMask(gfp), 0, "__get_free_page");
  return (pfn < 0 ? 0 : pfnToVirt(pfn)) as KernelAddress<Meta<"plain", 0, false, "none">>;
}

/**
 * page_mapcount(page) (include/linux/mm.h, before its removal for folio_mapcount()):
 * `atomic_read(&page->_mapcount) + 1` of a non-compound page; MD007 where _mapcount is gone.
 * Not modelled: the compound path (folio_mapcount of a large folio's page).
 *
 * Gone from the newest tree: linux-mm/linux-mm include/linux/mm.h @009857a2 has folio_mapcount() and no page_mapcount(); the prototype is the one mainline had.
 *
 * @c static inline int page_mapcount(struct page *page)
 */
export function page_mapcount<const P extends AnyPage>(
  page: P & Live<P, "page_mapcount"> & HasField<P, "_mapcount", "page_mapcount">,
): number {
  return (machine().pageTypeWord(pfnOf(page)) | 0) + 1;
}
