/**
 * Conversions between struct page and the descriptors that overlay it today
 * (include/linux/mm_types.h page_ptdesc/ptdesc_page/ptdesc_folio, mm/slab.h
 * page_slab/slab_page, mm/zpdesc.h page_zpdesc/zpdesc_page). Today they are
 * casts; with separately allocated memdescs they follow the memdesc word, so
 * converting memory of another kind is MD006, and a non-compound block of
 * order > 0 has no descriptor (MD008).
 */
import type {
  BrandOf,
  ConvertTo,
  HandleKind,
  KernelAddress,
  Meta,
  Ptdesc,
  Slab,
  Zpdesc,
} from "../../model/handles.js";
import { MEMDESC_KINDS } from "../../model/kinds.js";
import type { MemdescKindName } from "../../model/memdesc-word.js";
import type { KindIs, Live, WholeAllocation } from "./checks.js";
import { kobject, pfnOf, pfnToVirt, virtToPfn } from "./objects.js";
import { type AnyAddress, type AnyPage, checkLive } from "./page.js";
import { machine } from "./port.js";

export type AnyPtdesc = Ptdesc<Meta>;
export type AnySlab = Slab<Meta>;
export type AnyZpdesc = Zpdesc<Meta>;

/** Report MD006 when the memory at `pfn` is not of `kind`. */
export function checkKind(op: string, pfn: number, kind: Exclude<HandleKind, "plain">): void {
  const m = machine();
  const got: MemdescKindName | null = m.memdescKind(pfn);
  if (got !== kind) {
    const plain = got === null || MEMDESC_KINDS[got].plainPages;
    m.report({
      rule: "MD006",
      op,
      pfn,
      expected: kind,
      got: plain ? "plain pages (a Misc memdesc)" : got,
      message: `MD006 ${op}: pfn 0x${pfn.toString(16)} is ${plain ? "plain pages (a Misc memdesc), allocated without a descriptor" : `${got} memory`}, not a ${kind}`,
    });
  }
}

/**
 * Report MD008 when `pfn` belongs to a non-compound block of order > 0: such a block has no
 * descriptor of its own (a folio or a ptdesc is one compound allocation), whatever its kind.
 */
export function checkWholeAllocation(op: string, pfn: number, what: "folio" | "ptdesc"): void {
  const m = machine();
  const head = m.allocationHead(pfn);
  if (head >= 0 && !m.isHead(head) && m.allocationOrder(head) > 0) {
    const order = m.allocationOrder(head);
    m.report({
      rule: "MD008",
      op,
      pfn,
      order,
      message: `MD008 ${op}: pfn 0x${pfn.toString(16)} belongs to an order-${order} block allocated without __GFP_COMP; it has no ${what}`,
    });
  }
}

/**
 * page_ptdesc(page): the page table descriptor of a page-table page.
 *
 * @c #define page_ptdesc(p)
 * @kernel include/linux/mm_types.h
 */
export function page_ptdesc<const P extends AnyPage>(
  page: P & Live<P, "page_ptdesc"> & KindIs<P, "ptdesc", "page_ptdesc"> & WholeAllocation<P, "page_ptdesc">,
): ConvertTo<"ptdesc", P> {
  const pfn = pfnOf(page);
  checkLive("page_ptdesc", pfn);
  checkKind("page_ptdesc", pfn, "ptdesc");
  checkWholeAllocation("page_ptdesc", pfn, "ptdesc");
  return kobject("ptdesc", pfn) as unknown as ConvertTo<"ptdesc", P>;
}

/**
 * ptdesc_page(pt).
 *
 * @c #define ptdesc_page(pt)
 * @kernel include/linux/mm_types.h
 */
export function ptdesc_page<const T extends AnyPtdesc>(pt: T): ConvertTo<"page", T> {
  return kobject("page", pfnOf(pt)) as unknown as ConvertTo<"page", T>;
}

/**
 * ptdesc_folio(pt): the folio view of a page table (the kernel's cast).
 *
 * @c #define ptdesc_folio(pt)
 * @kernel include/linux/mm_types.h
 */
export function ptdesc_folio<const T extends AnyPtdesc>(pt: T): ConvertTo<"folio", T> {
  return kobject("folio", pfnOf(pt)) as unknown as ConvertTo<"folio", T>;
}

/**
 * ptdesc_address(pt) = folio_address(ptdesc_folio(pt)).
 *
 * @c static inline void *ptdesc_address(const struct ptdesc *pt)
 * @kernel include/linux/mm.h
 */
export function ptdesc_address<const T extends AnyPtdesc>(
  pt: T & Live<T, "ptdesc_address">,
): KernelAddress<BrandOf<T>> {
  return pfnToVirt(pfnOf(pt)) as KernelAddress<BrandOf<T>>;
}

/**
 * virt_to_ptdesc(x) = page_ptdesc(virt_to_page(x)).
 *
 * @c static inline struct ptdesc *virt_to_ptdesc(const void *x)
 * @kernel include/linux/mm.h
 */
export function virt_to_ptdesc<const A extends AnyAddress>(
  x: A & Live<A, "virt_to_ptdesc"> & KindIs<A, "ptdesc", "virt_to_ptdesc">,
): ConvertTo<"ptdesc", A> {
  const m = machine();
  const pfn = virtToPfn(x, m.nrPages);
  if (pfn < 0) throw new RangeError(`virt_to_ptdesc: ${x} is not a direct-map address of this machine`);
  checkLive("virt_to_ptdesc", pfn);
  checkKind("virt_to_ptdesc", pfn, "ptdesc");
  checkWholeAllocation("virt_to_ptdesc", pfn, "ptdesc");
  return kobject("ptdesc", pfn) as unknown as ConvertTo<"ptdesc", A>;
}

/**
 * page_slab(page): the slab of a slab page (mm/slab.h: NULL unless PGTY_slab; here MD006).
 *
 * @c static inline struct slab *page_slab(const struct page *page)
 * @kernel mm/slab.h
 */
export function page_slab<const P extends AnyPage>(
  page: P & Live<P, "page_slab"> & KindIs<P, "slab", "page_slab">,
): ConvertTo<"slab", P> {
  const pfn = machine().compoundHead(pfnOf(page));
  checkLive("page_slab", pfn);
  checkKind("page_slab", pfn, "slab");
  return kobject("slab", pfn) as unknown as ConvertTo<"slab", P>;
}

/**
 * slab_page(slab).
 *
 * @c #define slab_page(s)
 * @kernel mm/slab.h
 */
export function slab_page<const S extends AnySlab>(slab: S): ConvertTo<"page", S> {
  return kobject("page", pfnOf(slab)) as unknown as ConvertTo<"page", S>;
}

/**
 * page_zpdesc(page) (mm/zpdesc.h).
 *
 * @c #define page_zpdesc(p)
 * @kernel mm/zpdesc.h
 */
export function page_zpdesc<const P extends AnyPage>(
  page: P & Live<P, "page_zpdesc"> & KindIs<P, "zpdesc", "page_zpdesc">,
): ConvertTo<"zpdesc", P> {
  const pfn = pfnOf(page);
  checkLive("page_zpdesc", pfn);
  checkKind("page_zpdesc", pfn, "zpdesc");
  return kobject("zpdesc", pfn) as unknown as ConvertTo<"zpdesc", P>;
}

/**
 * zpdesc_page(zpdesc).
 *
 * @c #define zpdesc_page(zp)
 * @kernel mm/zpdesc.h
 */
export function zpdesc_page<const Z extends AnyZpdesc>(zpdesc: Z): ConvertTo<"page", Z> {
  return kobject("page", pfnOf(zpdesc)) as unknown as ConvertTo<"page", Z>;
}
