/**
 * Folios (include/linux/mm.h, include/linux/page-flags.h, mm/page_alloc.c).
 * A folio is a whole allocation: compound when larger than one page. In the
 * memdesc world a folio is a separately allocated descriptor; page_folio()
 * of memory that is not a folio returns NULL (Wilcox, linux-mm, Jan 2025, message Z37pxbkHPbLYnDKn@casper.infradead.org), so
 * converting memory whose kind has another descriptor (the kind table's
 * pageFolio column, src/model/kinds.ts: slab, page tables, netpool,
 * hwpoison, …) to a folio is MD006 here.
 */
import type { BrandOf, ConvertTo, Folio, KernelAddress, Meta } from "../../model/handles.js";
import { MEMDESC_KINDS } from "../../model/kinds.js";
import type { CompoundFree, KindIs, Live, WholeAllocation } from "./checks.js";
import { checkWholeAllocation } from "./descriptors.js";
import { __GFP_COMP, type GfpMask, gfpEval } from "./gfp.js";
import { kobject, pfnOf, pfnToVirt } from "./objects.js";
import { type AnyAddress, type AnyPage, checkLive, virt_to_page } from "./page.js";
import { machine } from "./port.js";

/** A `struct folio *` of any allocation. */
export type AnyFolio = Folio<Meta>;

/** Brand a run-time folio object. SAFETY: objects.ts — the brand is phantom. */
export function folioAt<F>(pfn: number): F {
  return kobject("folio", pfn) as unknown as F;
}

/**
 * folio_alloc(gfp, order): always __GFP_COMP (mm/page_alloc.c __folio_alloc_noprof).
 *
 * @c #define folio_alloc(...)
 * @c struct folio *folio_alloc_noprof(gfp_t gfp, unsigned int order)
 * @kernel include/linux/gfp.h
 */
export function folio_alloc<const G extends string | number, const O extends number>(
  gfp: GfpMask<G>,
  order: O,
): Folio<Meta<"folio", O, O extends 0 ? false : true, "none">> | null {
  const m = machine();
  const pfn = m.allocPages("folio_alloc", gfpEval(gfp) | __GFP_COMP, order, "folio_alloc");
  if (pfn < 0) return null;
  m.setMemdescKind("folio_alloc", pfn, "folio");
  return folioAt(pfn);
}

/**
 * folio_alloc_node(gfp, order, nid) (include/linux/gfp.h): folio_alloc() on node `nid`, always
 * __GFP_COMP (the machine has one node, so `nid` — NUMA_NO_NODE included — changes nothing).
 * The newest tree has the name: drivers/iommu/iommu-pages.c (linux-mm/linux-mm @515ae5147abe)
 * calls `folio_alloc_node(gfp | __GFP_ZERO, order, nid)`, after commit c34a134c1f242 "mm,
 * treewide: replace __folio_alloc_node() with folio_alloc_node()" (lore
 * 20260716-folio-alloc-cleanups-v1-0-5363b8e92d33@google.com). No stored gfp.h has the renamed
 * declaration yet (linux-mm's @00cd9c45cc45 still declares
 * `__folio_alloc_node_noprof(gfp_t gfp, unsigned int order, int nid)` behind
 * `#define  __folio_alloc_node(...)`), so the prototype shown is that one renamed, not checked.
 *
 * @c #define folio_alloc_node(...)
 * @c static inline struct folio *folio_alloc_node_noprof(gfp_t gfp, unsigned int order, int nid)
 */
export function folio_alloc_node<const G extends string | number, const O extends number>(
  gfp: GfpMask<G>,
  order: O,
  nid: number,
): Folio<Meta<"folio", O, O extends 0 ? false : true, "none">> | null {
  void nid;
  const m = machine();
  const pfn = m.allocPages("folio_alloc_node", gfpEval(gfp) | __GFP_COMP, order, "folio_alloc_node");
  if (pfn < 0) return null;
  m.setMemdescKind("folio_alloc_node", pfn, "folio");
  return folioAt(pfn);
}

/**
 * folio_get(folio).
 *
 * @c static inline void folio_get(struct folio *folio)
 * @kernel include/linux/mm.h
 */
export function folio_get<const F extends AnyFolio>(folio: F & Live<F, "folio_get">): void {
  const pfn = pfnOf(folio);
  checkLive("folio_get", pfn);
  machine().getPage("folio_get", pfn);
}

/**
 * folio_put(folio): drop a reference; the last frees folio_order() pages
 * (MD009 for a non-compound block). Like put_page(), not an assertion
 * function: whether this was the last reference is decided at run time.
 *
 * @c static inline void folio_put(struct folio *folio)
 * @kernel include/linux/mm.h
 */
export function folio_put<const F extends AnyFolio>(
  folio: F & Live<F, "folio_put", "free"> & CompoundFree<F, "folio_put">,
): void {
  machine().putPage("folio_put", pfnOf(folio));
}

/**
 * folio_order(folio).
 *
 * @c static inline unsigned int folio_order(const struct folio *folio)
 * @kernel include/linux/mm.h
 */
export function folio_order<const F extends AnyFolio>(folio: F & Live<F, "folio_order">): number {
  const m = machine();
  const pfn = pfnOf(folio);
  return m.isHead(pfn) ? m.compoundOrder(pfn) : 0;
}

/**
 * folio_nr_pages(folio) = 1 << folio_order(folio).
 *
 * @c static inline unsigned long folio_nr_pages(const struct folio *folio)
 * @kernel include/linux/mm.h
 */
export function folio_nr_pages<const F extends AnyFolio>(folio: F & Live<F, "folio_nr_pages">): number {
  const m = machine();
  const pfn = pfnOf(folio);
  return m.isHead(pfn) ? 2 ** m.compoundOrder(pfn) : 1;
}

/**
 * folio_pfn(folio).
 *
 * @c static inline unsigned long folio_pfn(const struct folio *folio)
 * @kernel include/linux/mm.h
 */
export function folio_pfn(folio: AnyFolio): number {
  return pfnOf(folio);
}

/**
 * folio_address(folio).
 *
 * @c static inline void *folio_address(const struct folio *folio)
 * @kernel include/linux/mm.h
 */
export function folio_address<const F extends AnyFolio>(
  folio: F & Live<F, "folio_address">,
): KernelAddress<BrandOf<F>> {
  return pfnToVirt(pfnOf(folio)) as KernelAddress<BrandOf<F>>;
}

/**
 * page_folio(page): the folio containing the page — its compound head. A
 * page of a non-compound block of order > 0 has no folio (MD008): the kernel
 * returns the page itself and folio_order() reads 0.
 *
 * @c #define page_folio(p)
 * @kernel include/linux/page-flags.h
 */
export function page_folio<const P extends AnyPage>(
  page: P &
    Live<P, "page_folio"> &
    WholeAllocation<P, "page_folio"> &
    KindIs<P, "plain" | "folio", "page_folio">,
): ConvertTo<"folio", P> {
  const m = machine();
  const pfn = pfnOf(page);
  checkLive("page_folio", pfn);
  checkWholeAllocation("page_folio", pfn, "folio");
  const kind = m.memdescKind(pfn);
  if (kind !== null && MEMDESC_KINDS[kind].pageFolio === "none") {
    m.report({
      rule: "MD006",
      op: "page_folio",
      pfn,
      expected: "folio",
      got: kind,
      message: `MD006 page_folio: pfn 0x${pfn.toString(16)} is ${kind} memory, not a folio`,
    });
  }
  return folioAt(m.compoundHead(pfn));
}

/**
 * folio_page(folio, n): page n of the folio (no bounds check, as in the kernel).
 *
 * @c #define folio_page(folio, n)
 * @kernel include/linux/page-flags.h
 */
export function folio_page<const F extends AnyFolio>(
  folio: F & Live<F, "folio_page">,
  n: number,
): ConvertTo<"page", F> {
  return kobject("page", pfnOf(folio) + n) as unknown as ConvertTo<"page", F>;
}

/**
 * folio_test_large(folio).
 *
 * @c static inline bool folio_test_large(const struct folio *folio)
 * @kernel include/linux/page-flags.h
 */
export function folio_test_large(folio: AnyFolio): boolean {
  return machine().isHead(pfnOf(folio));
}

/**
 * virt_to_folio(x): `page_folio(virt_to_page(x))` (include/linux/mm.h) — the folio an address
 * points into; the same rules as page_folio() (MD006, MD008).
 *
 * @c static inline struct folio *virt_to_folio(const void *x)
 * @kernel include/linux/mm.h
 */
export function virt_to_folio<const A extends AnyAddress>(
  x: A &
    Live<A, "virt_to_folio"> &
    WholeAllocation<A, "virt_to_folio"> &
    KindIs<A, "plain" | "folio", "virt_to_folio">,
): ConvertTo<"folio", A> {
  return page_folio(virt_to_page(x) as never) as ConvertTo<"folio", A>;
}

// ---------------------------------------------------------------------------
// drivers/iommu/iommu-pages.h: struct ioptdesc overlays the folio of an IOMMU allocation
// (IOPTDESC_MATCH in drivers/iommu/iommu-pages.c ties its fields to struct page's), and the
// conversions are casts. The model has no ioptdesc kind: the handle is the folio's.

/**
 * folio_ioptdesc(folio): the folio seen as its ioptdesc (a cast).
 *
 * @c static inline struct ioptdesc *folio_ioptdesc(struct folio *folio)
 * @kernel samikhawaja/linux:drivers/iommu/iommu-pages.h
 */
export function folio_ioptdesc<const F extends AnyFolio>(folio: F & Live<F, "folio_ioptdesc">): F {
  checkLive("folio_ioptdesc", pfnOf(folio));
  return folio;
}

/**
 * ioptdesc_folio(iopt): the ioptdesc seen as its folio (a cast).
 *
 * @c static inline struct folio *ioptdesc_folio(struct ioptdesc *iopt)
 * @kernel samikhawaja/linux:drivers/iommu/iommu-pages.h
 */
export function ioptdesc_folio<const F extends AnyFolio>(iopt: F & Live<F, "ioptdesc_folio">): F {
  checkLive("ioptdesc_folio", pfnOf(iopt));
  return iopt;
}

/**
 * virt_to_ioptdesc(virt) = folio_ioptdesc(virt_to_folio(virt)): the same checks as
 * virt_to_folio() (MD006, MD008).
 *
 * @c static inline struct ioptdesc *virt_to_ioptdesc(void *virt)
 * @kernel samikhawaja/linux:drivers/iommu/iommu-pages.h
 */
export function virt_to_ioptdesc<const A extends AnyAddress>(
  virt: A &
    Live<A, "virt_to_ioptdesc"> &
    WholeAllocation<A, "virt_to_ioptdesc"> &
    KindIs<A, "plain" | "folio", "virt_to_ioptdesc">,
): ConvertTo<"folio", A> {
  return page_folio(virt_to_page(virt) as never) as ConvertTo<"folio", A>;
}
