/**
 * Slab and zsmalloc pages, as their owners allocate them: enough to create
 * memory of those kinds so conversions (page_slab, page_zpdesc) and page
 * types can be exercised. mm/slub.c allocate_slab()/alloc_slab_page() take
 * the pages as a compound folio and set PGTY_slab; __free_slab() clears it and
 * frees the pages. mm/zpdesc.h alloc_zpdesc()/free_zpdesc() wrap an order-0
 * page for zsmalloc, which marks it with __SetPageZsmalloc.
 */
import type { Meta, Slab, WithFact, Zpdesc } from "../../model/handles.js";
import type { Live } from "./checks.js";
import { type AnySlab, type AnyZpdesc, checkKind } from "./descriptors.js";
import { type GfpMask, gfpFlags } from "./gfp.js";
import { kobject, pfnOf } from "./objects.js";
import { machine } from "./port.js";

/** struct kmem_cache: the simulator has no slab caches; code that needs one passes null. */
export type kmem_cache = null;

/** alloc_slab_page(flags, node, order): a compound block with PGTY_slab set, as a struct slab. */
export function alloc_slab_page<const G extends string, const O extends number>(
  flags: GfpMask<G>,
  _node: number,
  order: O,
): Slab<
  Meta<"slab", O, O extends 0 ? false : true, "none"> & { readonly typeSet: { readonly slab: true } }
> | null {
  const m = machine();
  const pfn = m.allocPages(
    "alloc_slab_page",
    m.gfpMask(gfpFlags(`${flags} | __GFP_COMP`)),
    order,
    "alloc_slab_page",
  );
  if (pfn < 0) return null;
  m.setMemdescKind("alloc_slab_page", pfn, "slab");
  m.setPageType("alloc_slab_page", pfn, "slab");
  return kobject("slab", pfn) as unknown as Slab<
    Meta<"slab", O, O extends 0 ? false : true, "none"> & { readonly typeSet: { readonly slab: true } }
  >;
}

/** __free_slab(s, slab): clear PGTY_slab and free the slab's pages. */
export function __free_slab<const S extends AnySlab>(
  _s: kmem_cache,
  slab: S & Live<S, "__free_slab", "free">,
): asserts slab is S & Live<S, "__free_slab", "free"> & WithFact<"freed"> {
  const m = machine();
  const pfn = pfnOf(slab);
  checkKind("__free_slab", pfn, "slab");
  m.clearPageType("__free_slab", pfn, "slab");
  m.setMemdescKind("__free_slab", pfn, "misc");
  m.freeCompoundOrder("__free_slab", pfn);
}

/** alloc_zpdesc(gfp, nid): an order-0 page for zsmalloc, as a struct zpdesc. */
export function alloc_zpdesc<const G extends string>(
  gfp: GfpMask<G>,
  _nid: number,
): Zpdesc<Meta<"zpdesc", 0, false, "none">> | null {
  const m = machine();
  const pfn = m.allocPages("alloc_zpdesc", m.gfpMask(gfpFlags(gfp)), 0, "alloc_zpdesc");
  if (pfn < 0) return null;
  m.setMemdescKind("alloc_zpdesc", pfn, "zpdesc");
  return kobject("zpdesc", pfn) as unknown as Zpdesc<Meta<"zpdesc", 0, false, "none">>;
}

/** free_zpdesc(zpdesc): give the page back (__free_page). */
export function free_zpdesc<const Z extends AnyZpdesc>(
  zpdesc: Z & Live<Z, "free_zpdesc", "free">,
): asserts zpdesc is Z & Live<Z, "free_zpdesc", "free"> & WithFact<"freed"> {
  const m = machine();
  const pfn = pfnOf(zpdesc);
  m.setMemdescKind("free_zpdesc", pfn, "misc");
  m.freePages("free_zpdesc", pfn, 0);
}
