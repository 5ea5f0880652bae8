/**
 * More of the page allocator, as mm/page_alloc.c, include/linux/mm.h,
 * include/linux/page-flags.h and mm/bootmem_info.c have it: exact-size
 * allocations, reserved pages, and contiguous ranges.
 */
import type { KernelAddress, Meta, Page, WithFact } from "../../model/handles.js";
import { pageFlagBit } from "../../model/page-flags.js";
import { PAGE_ALIGN } from "./addr.js";
import { get_order } from "./arch/x86.js";
import type { Live } from "./checks.js";
import { __GFP_COMP, __GFP_HIGHMEM, type GfpMask, gfpEval } from "./gfp.js";
import { PAGE_SIZE, pfnOf, pfnToVirt, virtToPfn } from "./objects.js";
import { type AnyAddress, type AnyPage, checkLive, type FreedAddress, pageAt } from "./page.js";
import { machine } from "./port.js";

const PG_reserved = pageFlagBit("PG_reserved");
const PG_private = pageFlagBit("PG_private");

/**
 * alloc_pages_exact(size, gfp_mask) (mm/page_alloc.c, linux-mm tree @00cb34b0): allocates at
 * get_order(size), then make_alloc_exact() `__split_page(page, order)`s the block,
 * set_page_refcounted()s the kept pages after the first and frees each page from
 * `DIV_ROUND_UP(size, PAGE_SIZE)` up to `1 << order` with `__free_pages_ok(page, 0, FPI_TO_TAIL)`:
 * what is left is DIV_ROUND_UP(size, PAGE_SIZE) order-0 allocations, freed with
 * free_pages_exact(). `__GFP_COMP` and `__GFP_HIGHMEM` are removed with a WARN_ON_ONCE, as the
 * kernel does. Not modelled: FPI_TO_TAIL (the freed tail goes where the machine's free path puts
 * it, so the next allocation may reuse it sooner than the kernel's would).
 *
 * @c #define alloc_pages_exact(...)
 * @c void *alloc_pages_exact_noprof(size_t size, gfp_t gfp_mask) __alloc_size(1)
 * @kernel include/linux/gfp.h
 * @example
 * ```c
 * void *buf = alloc_pages_exact(5 * PAGE_SIZE, GFP_KERNEL);
 * if (buf)
 *         free_pages_exact(buf, 5 * PAGE_SIZE);
 * ```
 * ```ts
 * import { alloc_pages_exact, free_pages_exact, GFP_KERNEL, PAGE_SIZE } from "memdesc/sim";
 *
 * export function exact(): void {
 *   const buf = alloc_pages_exact(5 * PAGE_SIZE, GFP_KERNEL);
 *   if (buf) free_pages_exact(buf, 5 * PAGE_SIZE);
 * }
 * ```
 */
export function alloc_pages_exact<const G extends string | number>(
  size: number,
  gfp_mask: GfpMask<G>,
): KernelAddress<Meta<"plain", 0, false, "none">> | null {
  const m = machine();
  const order = get_order(size);
  let gfp = gfpEval(gfp_mask);
  if (gfp & (__GFP_COMP | __GFP_HIGHMEM)) gfp &= ~(__GFP_COMP | __GFP_HIGHMEM);
  const pfn = m.allocPages("alloc_pages_exact", gfp, order, "alloc_pages_exact");
  if (pfn < 0) return null;
  // make_alloc_exact(): split_page-like, then __free_pages_ok(page, 0) for each page past nr.
  const nr = Math.ceil(size / PAGE_SIZE);
  if (order > 0) {
    m.splitPage("alloc_pages_exact", pfn, order);
    for (let p = pfn + nr; p < pfn + 2 ** order; p++) m.freePages("make_alloc_exact", p, 0);
  }
  return pfnToVirt(pfn) as KernelAddress<Meta<"plain", 0, false, "none">>;
}

/**
 * free_pages_exact(virt, size): `void free_pages_exact(void *virt, size_t size)`
 * (mm/page_alloc.c): free_page() of every page in [virt, virt + PAGE_ALIGN(size)).
 *
 * @c void free_pages_exact(void *virt, size_t size)
 * @kernel include/linux/gfp.h
 */
export function free_pages_exact<const A extends AnyAddress>(
  virt: A & Live<A, "free_pages_exact", "free">,
  size: number,
): asserts virt is FreedAddress<A, A & Live<A, "free_pages_exact", "free">> {
  const m = machine();
  const start = virtToPfn(virt as number, m.nrPages);
  if (start < 0)
    throw new RangeError(`free_pages_exact: ${virt} is not a direct-map address of this machine`);
  const n = PAGE_ALIGN(size) / PAGE_SIZE;
  for (let p = start; p < start + n; p++) m.freePages("free_pages_exact", p, 0);
}

/**
 * PageReserved(page) (include/linux/page-flags.h: PAGEFLAG(Reserved, reserved, PF_NO_COMPOUND)).
 *
 * @c static __always_inline int PageReserved(const struct page *page)
 * @kernel include/linux/page-flags.h
 */
export function PageReserved(page: AnyPage): boolean {
  return (machine().flags(pfnOf(page)) & (1 << PG_reserved)) !== 0;
}

/**
 * SetPageReserved(page).
 *
 * @c static __always_inline void SetPageReserved(struct page *page)
 * @kernel include/linux/page-flags.h
 */
export function SetPageReserved<const P extends AnyPage>(page: P & Live<P, "SetPageReserved">): void {
  const pfn = pfnOf(page);
  checkLive("SetPageReserved", pfn);
  machine().setFlag("SetPageReserved", pfn, PG_reserved);
}

/**
 * ClearPageReserved(page).
 *
 * @c static __always_inline void ClearPageReserved(struct page *page)
 * @kernel include/linux/page-flags.h
 */
export function ClearPageReserved<const P extends AnyPage>(page: P & Live<P, "ClearPageReserved">): void {
  machine().clearFlag("ClearPageReserved", pfnOf(page), PG_reserved);
}

/**
 * PagePrivate(page) (include/linux/page-flags.h: PAGEFLAG(Private, private, PF_ANY), whose
 * TESTPAGEFLAG() returns `int`).
 *
 * @c static __always_inline int PagePrivate(const struct page *page)
 * @kernel include/linux/page-flags.h
 */
export function PagePrivate(page: AnyPage): boolean {
  return (machine().flags(pfnOf(page)) & (1 << PG_private)) !== 0;
}

/**
 * SetPagePrivate(page): PG_private is in PAGE_FLAGS_CHECK_AT_FREE, so a page freed with it still
 * set is a bad page ("PAGE_FLAGS_CHECK_AT_FREE flag(s) set", MD016); the owner clears it first.
 *
 * @c static __always_inline void SetPagePrivate(struct page *page)
 * @kernel include/linux/page-flags.h
 */
export function SetPagePrivate<const P extends AnyPage>(page: P & Live<P, "SetPagePrivate">): void {
  const pfn = pfnOf(page);
  checkLive("SetPagePrivate", pfn);
  machine().setFlag("SetPagePrivate", pfn, PG_private);
}

/**
 * ClearPagePrivate(page).
 *
 * @c static __always_inline void ClearPagePrivate(struct page *page)
 * @kernel include/linux/page-flags.h
 */
export function ClearPagePrivate<const P extends AnyPage>(page: P & Live<P, "ClearPagePrivate">): void {
  const pfn = pfnOf(page);
  checkLive("ClearPagePrivate", pfn);
  machine().clearFlag("ClearPagePrivate", pfn, PG_private);
}

/**
 * free_reserved_page(page) (mm/page_alloc.c, include/linux/mm.h before):
 * ClearPageReserved(); init_page_count(); __free_page(); adjust_managed_page_count().
 * Modelled: the flag is cleared and the page freed at order 0 (a reserved page that
 * is not cleared would be a bad page at free: PAGE_FLAGS_CHECK_AT_FREE has PG_reserved).
 * Not modelled: init_page_count() resets the refcount to 1 first (the simulated page
 * came from the page allocator and has its own reference), the managed-page count.
 *
 * @c void free_reserved_page(struct page *page)
 * @kernel include/linux/mm.h
 * @example
 * ```c
 * // arch/x86/mm/init_64.c free_pagetable() before the bootmem-info branch moved out
 * if (PageReserved(page)) {
 *         while (nr_pages--)
 *                 free_reserved_page(page++);
 * } else
 *         free_pages((unsigned long)page_address(page), order);
 * ```
 * ```ts
 * import { free_pages, free_reserved_page, nth_page, page_address, PageReserved, type struct_page } from "memdesc/sim";
 *
 * export function free_pagetable(page: struct_page, order: number): void {
 *   if (PageReserved(page)) {
 *     for (let nr_pages = 1 << order; nr_pages--; page = nth_page(page, 1)) free_reserved_page(page);
 *   } else {
 *     free_pages(page_address(page), order);
 *   }
 * }
 * ```
 */
export function free_reserved_page<const P extends AnyPage>(
  page: P & Live<P, "free_reserved_page", "free">,
): asserts page is P & Live<P, "free_reserved_page", "free"> & WithFact<"freed"> {
  const m = machine();
  const pfn = pfnOf(page);
  m.clearFlag("free_reserved_page", pfn, PG_reserved);
  m.freePages("free_reserved_page", pfn, 0);
}

/**
 * put_page_bootmem(page) (mm/bootmem_info.c): `if (page_ref_dec_return(page) == 1)`
 * the page's bootmem info is cleared (ClearPagePrivate, set_page_private(page, 0)) and
 * it is freed with free_reserved_page(). So a page with refcount 2 (get_page_bootmem's
 * reference plus its own) is freed; one with more only loses a reference.
 * Not modelled: the BUG_ON on the bootmem type (page->index); a refcount of 1, which
 * the kernel leaves at 0, neither free nor held, is reported as an error here.
 *
 * @c void put_page_bootmem(struct page *page)
 * @kernel torvalds/linux:mm/bootmem_info.c
 */
export function put_page_bootmem<const P extends AnyPage>(
  page: P & Live<P, "put_page_bootmem", "free">,
): void {
  const m = machine();
  const pfn = pfnOf(page);
  checkLive("put_page_bootmem", pfn);
  const count = m.pageRefCount(pfn);
  if (count <= 1) {
    throw new Error(
      `put_page_bootmem: pfn ${pfn} has refcount ${count}; the kernel would leave it at ${count - 1}, neither free nor held (get_page_bootmem() takes the extra reference)`,
    );
  }
  if (count > 2) {
    m.putPage("put_page_bootmem", pfn);
    return;
  }
  m.putPage("put_page_bootmem", pfn);
  m.clearFlag("put_page_bootmem", pfn, PG_private);
  m.setPrivate("put_page_bootmem", pfn, 0);
  m.clearFlag("put_page_bootmem", pfn, PG_reserved);
  m.freePages("put_page_bootmem", pfn, 0);
}

/**
 * alloc_contig_pages(nr_pages, gfp_mask, nid, nodemask) (mm/page_alloc.c):
 * nr_pages contiguous pages, each with its own reference (not one compound block unless
 * `__GFP_COMP`), freed with free_contig_range(). Modelled: an allocation of
 * get_order(nr_pages pages) whose pages past nr_pages go straight back (the kernel
 * searches for a free range and isolates exactly nr_pages; the model's block is
 * naturally aligned). With `__GFP_COMP` nr_pages must be a power of two and the result
 * is one compound block of that order.
 *
 * @c #define alloc_contig_pages(...)
 * @c struct page *alloc_contig_pages_noprof(unsigned long nr_pages, gfp_t gfp_mask, int nid, nodemask_t *nodemask)
 * @kernel include/linux/gfp.h
 */
export function alloc_contig_pages<const G extends string | number>(
  nr_pages: number,
  gfp_mask: GfpMask<G>,
  _nid: number,
  _nodemask: null,
): Page | null {
  const m = machine();
  const gfp = gfpEval(gfp_mask);
  const order = get_order(nr_pages * PAGE_SIZE);
  if (gfp & __GFP_COMP) {
    if (2 ** order !== nr_pages) return null;
    const pfn = m.allocPages("alloc_contig_pages", gfp, order, "alloc_contig_pages");
    return pfn < 0 ? null : pageAt(pfn);
  }
  const pfn = m.allocPages("alloc_contig_pages", gfp, order, "alloc_contig_pages");
  if (pfn < 0) return null;
  if (order > 0) {
    m.splitPage("alloc_contig_pages", pfn, order);
    for (let p = pfn + nr_pages; p < pfn + 2 ** order; p++) m.freePages("alloc_contig_pages", p, 0);
  }
  return pageAt(pfn);
}

/**
 * free_contig_range(pfn, nr_pages) (mm/page_alloc.c, since "mm: page_alloc: support
 * __GFP_COMP in alloc_contig_range", 2024): a large folio is folio_put() when nr_pages
 * matches folio_nr_pages() (a WARN and nothing freed otherwise); any other range is
 * `__free_page()` of each page.
 *
 * @c void free_contig_range(unsigned long pfn, unsigned long nr_pages)
 * @kernel include/linux/gfp.h
 */
export function free_contig_range(pfn: number, nr_pages: number): void {
  const m = machine();
  if (m.isHead(pfn)) {
    const expected = 2 ** m.compoundOrder(pfn);
    if (nr_pages === expected) m.putPage("free_contig_range", pfn);
    else throw new Error(`free_contig_range: WARN: PFN ${pfn}: nr_pages ${nr_pages} != expected ${expected}`);
    return;
  }
  for (let p = pfn; p < pfn + nr_pages; p++) m.freePages("free_contig_range", p, 0);
}

/**
 * vmemmap_alloc_block(size, node) (mm/sparse-vmemmap.c): once slab is available,
 * `alloc_pages_node(node, GFP_KERNEL|__GFP_RETRY_MAYFAIL|__GFP_NOWARN, get_order(size))` and
 * its page_address() — a non-compound block (no __GFP_COMP), so a caller that frees it page by
 * page or as a folio meets MD008/MD009. NULL when the allocation fails. Not modelled: the
 * early-boot path (__earlyonly_bootmem_alloc() from memblock) and the one-time warning.
 * vmemmap_populate() / vmemmap_free() (src/sim/kernel/vmemmap.ts) map and free such blocks.
 *
 * @c void __ref *vmemmap_alloc_block(unsigned long size, int node)
 * @kernel mm/sparse-vmemmap.c
 * @example
 * ```c
 * // mm/sparse-vmemmap.c vmemmap_alloc_block_zero()
 * void *p = vmemmap_alloc_block(size, node);
 *
 * if (!p)
 *         return NULL;
 * memset(p, 0, size);
 * ```
 * ```ts
 * import { free_pages, get_order, PAGE_SIZE, vmemmap_alloc_block } from "memdesc/sim";
 *
 * export function vmemmap_block(node: number): boolean {
 *   const p = vmemmap_alloc_block(PAGE_SIZE, node);
 *   if (!p) return false;
 *   free_pages(p, get_order(PAGE_SIZE)); // alloc_pages_node(node, gfp_mask, get_order(size)) underneath
 *   return true;
 * }
 * ```
 */
export function vmemmap_alloc_block(
  size: number,
  node: number,
): KernelAddress<Meta<"plain", number, false, "none">> | null {
  const m = machine();
  void node;
  const pfn = m.allocPages(
    "vmemmap_alloc_block",
    gfpEval("GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN"),
    get_order(size),
    "vmemmap_alloc_block",
  );
  return pfn < 0 ? null : (pfnToVirt(pfn) as KernelAddress<Meta<"plain", number, false, "none">>);
}

/**
 * free_frozen_pages(page, order) (mm/page_alloc.c, declared in mm/internal.h): free a block
 * whose refcount is already zero — what follows a successful page_ref_dec_and_test() or
 * page_ref_freeze(). Runs the same free-time checks as __free_pages() (MD002, MD014, MD016,
 * MD017 through the machine's free path); a page that still has references is a bad page
 * ("nonzero _refcount").
 *
 * @c void free_frozen_pages(struct page *page, unsigned int order)
 * @kernel mm/internal.h
 */
export function free_frozen_pages<const P extends AnyPage>(
  page: P & Live<P, "free_frozen_pages", "free">,
  order: number,
): asserts page is P & Live<P, "free_frozen_pages", "free"> & WithFact<"freed"> {
  machine().freeFrozenPages("free_frozen_pages", pfnOf(page), order);
}

/**
 * free_reserved_pages(page, order) (mm/page_alloc.c, linux-mm tree @00cb34b0): give a naturally
 * aligned block of boot (memblock) pages to the buddy allocator — for each page
 * `set_page_count(page + i, 0)` and ClearPageReserved(), then adjust_managed_page_count() and
 * `__free_frozen_pages(page, order, FPI_NONE)`. `VM_WARN_ON_ONCE(!IS_ALIGNED(page_to_pfn(page),
 * nr_pages))` is a thrown warning here. Not modelled: clear_page_tag_ref() and the managed-page
 * count. The simulated pages came from the page allocator, so a caller marks them reserved
 * first (SetPageReserved) to stand for boot memory.
 *
 * @c void free_reserved_pages(struct page *page, unsigned int order)
 * @kernel mm/page_alloc.c
 */
export function free_reserved_pages<const P extends AnyPage>(
  page: P & Live<P, "free_reserved_pages", "free">,
  order: number,
): asserts page is P & Live<P, "free_reserved_pages", "free"> & WithFact<"freed"> {
  const m = machine();
  const pfn = pfnOf(page);
  const nr = 2 ** order;
  if (pfn % nr !== 0)
    throw new Error(
      `free_reserved_pages: WARN: VM_WARN_ON_ONCE(!IS_ALIGNED(pfn 0x${pfn.toString(16)}, ${nr}))`,
    );
  for (let p = pfn; p < pfn + nr; p++) {
    m.setPageRefCount("free_reserved_pages", p, 0);
    m.clearFlag("free_reserved_pages", p, PG_reserved);
  }
  m.freeFrozenPages("free_reserved_pages", pfn, order);
}
