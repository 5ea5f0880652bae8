/**
 * Page reference counts, as include/linux/page_ref.h (linux-mm tree @03e0599d) and
 * mm/internal.h (set_page_refcounted) have them: the `page_ref_*` family works on the
 * page's own `_refcount` (no compound_head()), the `folio_ref_*` family on the folio's.
 *
 * Compile time: every `page_ref_*` function and `set_page_count()` is MD007 at a stage where
 * `struct page` has no `_refcount` (the interim and final stages), exactly like the field access
 * `page->_refcount`; the folio forms are not (the folio keeps its refcount). Run time: a page
 * that is free is MD015 (the kernel has no check; KASAN would see the access).
 *
 * Not modelled: the tracepoints (CONFIG_DEBUG_PAGE_REF), atomicity, and the linux-mm tree's
 * PAGEREF_FROZEN_BIT — a count that reaches zero stays zero here, where that tree stores
 * PAGEREF_FROZEN_BIT and page_ref_count() reads it back as 0; `page_ref_add_unless()` is the
 * mainline form (`atomic_add_unless()`), which that tree replaced by
 * `page_ref_add_unless_frozen()`.
 */

import type { Live } from "./checks.js";
import type { AnyFolio } from "./folio.js";
import { pfnOf } from "./objects.js";
import type { AnyPage, HasField } from "./page.js";
import { machine } from "./port.js";

/** The page_ref_* parameter: a live page whose struct page still has `_refcount` at this stage. */
type RefPage<P, Fn extends string> = P & Live<P, Fn> & HasField<P, "_refcount", Fn>;

function refAdd(op: string, pfn: number, nr: number): number {
  const m = machine();
  const v = m.pageRefCount(pfn) + nr;
  m.setPageRefCount(op, pfn, v);
  return m.pageRefCount(pfn);
}

/**
 * set_page_count(page, v): `atomic_set(&page->_refcount, v)`.
 *
 * @c static inline void set_page_count(struct page *page, int v)
 * @kernel include/linux/page_ref.h
 */
export function set_page_count<const P extends AnyPage>(page: RefPage<P, "set_page_count">, v: number): void {
  machine().setPageRefCount("set_page_count", pfnOf(page), v);
}

/**
 * init_page_count(page) = set_page_count(page, 1): the count a page has before it is freed
 * into the page allocator for the first time (boot or memory hotplug).
 *
 * @c static inline void init_page_count(struct page *page)
 * @kernel include/linux/page_ref.h
 */
export function init_page_count<const P extends AnyPage>(page: RefPage<P, "init_page_count">): void {
  machine().setPageRefCount("init_page_count", pfnOf(page), 1);
}

/**
 * set_page_refcounted(page) (mm/internal.h): turn a page with no reference (`_refcount == 0`,
 * as `__split_page()` and the frozen allocations leave it) into one with a single reference.
 * `VM_BUG_ON_PAGE(PageTail(page))` and `VM_BUG_ON_PAGE(page_ref_count(page))` are a kernel BUG
 * here (thrown), then `set_page_count(page, 1)`.
 *
 * @c static inline void set_page_refcounted(struct page *page)
 * @kernel mm/internal.h
 * @example
 * ```c
 * // mm/page_alloc.c make_alloc_exact(): the kept pages after the first get their reference
 * while (page < --last)
 *         set_page_refcounted(last);
 * ```
 * ```ts
 * import { nth_page, set_page_refcounted, type struct_page } from "memdesc/sim";
 *
 * export function refcount_kept(page: struct_page, nr: number): void {
 *   for (let i = nr - 1; i > 0; i--) set_page_refcounted(nth_page(page, i));
 * }
 * ```
 */
export function set_page_refcounted<const P extends AnyPage>(page: RefPage<P, "set_page_refcounted">): void {
  const m = machine();
  const pfn = pfnOf(page);
  if (m.isTail(pfn))
    throw new Error(
      `kernel BUG: set_page_refcounted: VM_BUG_ON_PAGE(PageTail(page)) — pfn 0x${pfn.toString(16)}`,
    );
  const count = m.pageRefCount(pfn);
  if (count !== 0)
    throw new Error(
      `kernel BUG: set_page_refcounted: VM_BUG_ON_PAGE(page_ref_count(page)) — pfn 0x${pfn.toString(16)} has refcount ${count}`,
    );
  m.setPageRefCount("set_page_refcounted", pfn, 1);
}

/**
 * page_ref_add(page, nr): `atomic_add(nr, &page->_refcount)`.
 *
 * @c static inline void page_ref_add(struct page *page, int nr)
 * @kernel include/linux/page_ref.h
 */
export function page_ref_add<const P extends AnyPage>(page: RefPage<P, "page_ref_add">, nr: number): void {
  refAdd("page_ref_add", pfnOf(page), nr);
}

/**
 * page_ref_sub(page, nr): `atomic_sub(nr, &page->_refcount)`. Nothing is freed at zero: that is
 * the caller's business (page_ref_sub_and_test()).
 *
 * @c static inline void page_ref_sub(struct page *page, int nr)
 * @kernel include/linux/page_ref.h
 */
export function page_ref_sub<const P extends AnyPage>(page: RefPage<P, "page_ref_sub">, nr: number): void {
  refAdd("page_ref_sub", pfnOf(page), -nr);
}

/**
 * page_ref_inc(page): `atomic_inc(&page->_refcount)`.
 *
 * @c static inline void page_ref_inc(struct page *page)
 * @kernel include/linux/page_ref.h
 */
export function page_ref_inc<const P extends AnyPage>(page: RefPage<P, "page_ref_inc">): void {
  refAdd("page_ref_inc", pfnOf(page), 1);
}

/**
 * page_ref_dec(page): `atomic_dec(&page->_refcount)`.
 *
 * @c static inline void page_ref_dec(struct page *page)
 * @kernel include/linux/page_ref.h
 */
export function page_ref_dec<const P extends AnyPage>(page: RefPage<P, "page_ref_dec">): void {
  refAdd("page_ref_dec", pfnOf(page), -1);
}

/**
 * page_ref_sub_and_test(page, nr): subtract and report whether the count reached zero (1) or
 * not (0). The page is not freed.
 *
 * @c static inline int page_ref_sub_and_test(struct page *page, int nr)
 * @kernel include/linux/page_ref.h
 */
export function page_ref_sub_and_test<const P extends AnyPage>(
  page: RefPage<P, "page_ref_sub_and_test">,
  nr: number,
): number {
  return refAdd("page_ref_sub_and_test", pfnOf(page), -nr) === 0 ? 1 : 0;
}

/**
 * page_ref_dec_and_test(page): decrement and report whether the count reached zero (1) or not
 * (0). The page is not freed — put_page_testzero() is this test; the free is its caller's.
 *
 * @c static inline int page_ref_dec_and_test(struct page *page)
 * @kernel include/linux/page_ref.h
 * @example
 * ```c
 * if (page_ref_dec_and_test(page))
 *         free_frozen_pages(page, 0);
 * ```
 * ```ts
 * import { free_frozen_pages, page_ref_dec_and_test, type struct_page } from "memdesc/sim";
 *
 * export function drop(page: struct_page): void {
 *   if (page_ref_dec_and_test(page)) free_frozen_pages(page, 0);
 * }
 * ```
 */
export function page_ref_dec_and_test<const P extends AnyPage>(
  page: RefPage<P, "page_ref_dec_and_test">,
): number {
  return refAdd("page_ref_dec_and_test", pfnOf(page), -1) === 0 ? 1 : 0;
}

/**
 * page_ref_inc_return(page): increment and return the new count.
 *
 * @c static inline int page_ref_inc_return(struct page *page)
 * @kernel include/linux/page_ref.h
 */
export function page_ref_inc_return<const P extends AnyPage>(
  page: RefPage<P, "page_ref_inc_return">,
): number {
  return refAdd("page_ref_inc_return", pfnOf(page), 1);
}

/**
 * page_ref_dec_return(page): decrement and return the new count (put_page_bootmem() tests it
 * against 1).
 *
 * @c static inline int page_ref_dec_return(struct page *page)
 * @kernel include/linux/page_ref.h
 */
export function page_ref_dec_return<const P extends AnyPage>(
  page: RefPage<P, "page_ref_dec_return">,
): number {
  return refAdd("page_ref_dec_return", pfnOf(page), -1);
}

/**
 * page_ref_add_unless(page, nr, u): `atomic_add_unless(&page->_refcount, nr, u)` — add `nr`
 * unless the count is `u`; true when it added (mainline include/linux/page_ref.h; the linux-mm
 * tree has `page_ref_add_unless_frozen()` instead).
 *
 * @c static inline bool page_ref_add_unless(struct page *page, int nr, int u)
 * @kernel torvalds/linux:include/linux/page_ref.h
 */
export function page_ref_add_unless<const P extends AnyPage>(
  page: RefPage<P, "page_ref_add_unless">,
  nr: number,
  u: number,
): boolean {
  const pfn = pfnOf(page);
  if (machine().pageRefCount(pfn) === u) return false;
  refAdd("page_ref_add_unless", pfn, nr);
  return true;
}

/**
 * folio_ref_count(folio): `page_ref_count(&folio->page)` — the folio's references.
 *
 * @c static inline int folio_ref_count(const struct folio *folio)
 * @kernel include/linux/page_ref.h
 */
export function folio_ref_count<const F extends AnyFolio>(folio: F & Live<F, "folio_ref_count">): number {
  return machine().pageRefCount(pfnOf(folio));
}

/**
 * folio_set_count(folio, v): `set_page_count(&folio->page, v)`.
 *
 * @c static inline void folio_set_count(struct folio *folio, int v)
 * @kernel include/linux/page_ref.h
 */
export function folio_set_count<const F extends AnyFolio>(
  folio: F & Live<F, "folio_set_count">,
  v: number,
): void {
  machine().setPageRefCount("folio_set_count", pfnOf(folio), v);
}

/**
 * folio_ref_add(folio, nr).
 *
 * @c static inline void folio_ref_add(struct folio *folio, int nr)
 * @kernel include/linux/page_ref.h
 */
export function folio_ref_add<const F extends AnyFolio>(
  folio: F & Live<F, "folio_ref_add">,
  nr: number,
): void {
  refAdd("folio_ref_add", pfnOf(folio), nr);
}

/**
 * folio_ref_sub(folio, nr).
 *
 * @c static inline void folio_ref_sub(struct folio *folio, int nr)
 * @kernel include/linux/page_ref.h
 */
export function folio_ref_sub<const F extends AnyFolio>(
  folio: F & Live<F, "folio_ref_sub">,
  nr: number,
): void {
  refAdd("folio_ref_sub", pfnOf(folio), -nr);
}

/**
 * folio_ref_sub_return(folio, nr): subtract and return the new count.
 *
 * @c static inline int folio_ref_sub_return(struct folio *folio, int nr)
 * @kernel include/linux/page_ref.h
 */
export function folio_ref_sub_return<const F extends AnyFolio>(
  folio: F & Live<F, "folio_ref_sub_return">,
  nr: number,
): number {
  return refAdd("folio_ref_sub_return", pfnOf(folio), -nr);
}

/**
 * folio_ref_inc(folio).
 *
 * @c static inline void folio_ref_inc(struct folio *folio)
 * @kernel include/linux/page_ref.h
 */
export function folio_ref_inc<const F extends AnyFolio>(folio: F & Live<F, "folio_ref_inc">): void {
  refAdd("folio_ref_inc", pfnOf(folio), 1);
}

/**
 * folio_ref_dec(folio).
 *
 * @c static inline void folio_ref_dec(struct folio *folio)
 * @kernel include/linux/page_ref.h
 */
export function folio_ref_dec<const F extends AnyFolio>(folio: F & Live<F, "folio_ref_dec">): void {
  refAdd("folio_ref_dec", pfnOf(folio), -1);
}

/**
 * folio_ref_sub_and_test(folio, nr): 1 when the count reached zero.
 *
 * @c static inline int folio_ref_sub_and_test(struct folio *folio, int nr)
 * @kernel include/linux/page_ref.h
 */
export function folio_ref_sub_and_test<const F extends AnyFolio>(
  folio: F & Live<F, "folio_ref_sub_and_test">,
  nr: number,
): number {
  return refAdd("folio_ref_sub_and_test", pfnOf(folio), -nr) === 0 ? 1 : 0;
}

/**
 * folio_ref_dec_and_test(folio): 1 when the count reached zero.
 *
 * @c static inline int folio_ref_dec_and_test(struct folio *folio)
 * @kernel include/linux/page_ref.h
 */
export function folio_ref_dec_and_test<const F extends AnyFolio>(
  folio: F & Live<F, "folio_ref_dec_and_test">,
): number {
  return refAdd("folio_ref_dec_and_test", pfnOf(folio), -1) === 0 ? 1 : 0;
}

/**
 * folio_ref_inc_return(folio): the new count.
 *
 * @c static inline int folio_ref_inc_return(struct folio *folio)
 * @kernel include/linux/page_ref.h
 */
export function folio_ref_inc_return<const F extends AnyFolio>(
  folio: F & Live<F, "folio_ref_inc_return">,
): number {
  return refAdd("folio_ref_inc_return", pfnOf(folio), 1);
}

/**
 * folio_ref_dec_return(folio): the new count.
 *
 * @c static inline int folio_ref_dec_return(struct folio *folio)
 * @kernel include/linux/page_ref.h
 */
export function folio_ref_dec_return<const F extends AnyFolio>(
  folio: F & Live<F, "folio_ref_dec_return">,
): number {
  return refAdd("folio_ref_dec_return", pfnOf(folio), -1);
}

/**
 * folio_ref_add_unless(folio, nr, u): page_ref_add_unless() of the folio (mainline).
 *
 * @c static inline bool folio_ref_add_unless(struct folio *folio, int nr, int u)
 * @kernel torvalds/linux:include/linux/page_ref.h
 */
export function folio_ref_add_unless<const F extends AnyFolio>(
  folio: F & Live<F, "folio_ref_add_unless">,
  nr: number,
  u: number,
): boolean {
  const pfn = pfnOf(folio);
  if (machine().pageRefCount(pfn) === u) return false;
  refAdd("folio_ref_add_unless", pfn, nr);
  return true;
}

/**
 * folio_try_get(folio): take a reference unless the count is zero (the folio was freed or is
 * frozen); true when it took one.
 *
 * @c static inline bool folio_try_get(struct folio *folio)
 * @kernel include/linux/page_ref.h
 */
export function folio_try_get<const F extends AnyFolio>(folio: F & Live<F, "folio_try_get">): boolean {
  const pfn = pfnOf(folio);
  if (machine().pageRefCount(pfn) === 0) return false;
  refAdd("folio_try_get", pfn, 1);
  return true;
}
