// kernel: mm/zsmalloc.c alloc_zspage(), create_page_chain(), reset_zpdesc(), __free_zspage();
// mm/zpdesc.h alloc_zpdesc(), free_zpdesc(), __zpdesc_set_zsmalloc(), zpdesc_set_first(),
// zpdesc_put()
// tree: linux-mm/linux-mm @1333a27565519f0c98db96f1284a2bb8e44b1640 (mm/zsmalloc.c)
// A zspage is class->pages_per_zspage order-0 pages from alloc_zpdesc(gfp, nid), each typed
// PGTY_zsmalloc (__zpdesc_set_zsmalloc()) and chained through zpdesc->next, the first one marked
// with PG_private (zpdesc_set_first()). A failed allocation frees what it got with free_zpdesc();
// __free_zspage() resets each zpdesc (ClearPagePrivate(), ->zspage and ->next NULL; "PageZsmalloc
// is sticky until the page is freed to the buddy") and drops it with zpdesc_put(). Not modelled:
// the zspage's own kmem_cache, the page locks, zone counters, migration.
import {
  __zpdesc_set_zsmalloc,
  alloc_zpdesc,
  ClearPagePrivate,
  free_zpdesc,
  GFP_KERNEL,
  type Zpdesc,
  zpdesc_page,
  zpdesc_put,
  zpdesc_set_first,
} from "memdesc/sim";

interface zspage {
  first_zpdesc: Zpdesc | null;
}

const ZS_MAX_PAGES_PER_ZSPAGE = 4;

function create_page_chain(pages_per_zspage: number, zspage: zspage, zpdescs: Zpdesc[]) {
  let prev_zpdesc: Zpdesc | null = null;

  for (let i = 0; i < pages_per_zspage; i++) {
    const zpdesc = zpdescs[i];
    zpdesc.zspage = zspage;
    zpdesc.next = null;
    if (i === 0) {
      zspage.first_zpdesc = zpdesc;
      zpdesc_set_first(zpdesc);
    } else if (prev_zpdesc) {
      prev_zpdesc.next = zpdesc;
    }
    prev_zpdesc = zpdesc;
  }
}

function alloc_zspage(pages_per_zspage: number, gfp: number, nid: number): zspage | null {
  const zpdescs: Zpdesc[] = [];
  const zspage: zspage = { first_zpdesc: null };

  for (let i = 0; i < pages_per_zspage; i++) {
    const zpdesc = alloc_zpdesc(gfp, nid);
    if (!zpdesc) {
      while (--i >= 0) free_zpdesc(zpdescs[i]);
      return null;
    }
    __zpdesc_set_zsmalloc(zpdesc);
    zpdescs[i] = zpdesc;
  }

  create_page_chain(pages_per_zspage, zspage, zpdescs);
  return zspage;
}

function reset_zpdesc(zpdesc: Zpdesc) {
  const page = zpdesc_page(zpdesc);

  ClearPagePrivate(page);
  zpdesc.zspage = null;
  zpdesc.next = null;
  /* PageZsmalloc is sticky until the page is freed to the buddy. */
}

function __free_zspage(zspage: zspage) {
  let zpdesc = zspage.first_zpdesc;
  do {
    if (!zpdesc) break;
    const next: Zpdesc | null = zpdesc.next;
    reset_zpdesc(zpdesc);
    zpdesc_put(zpdesc);
    zpdesc = next;
  } while (zpdesc !== null);
}

export function scenario_zspage_of_four_pages() {
  const zspage = alloc_zspage(ZS_MAX_PAGES_PER_ZSPAGE, GFP_KERNEL, -1);
  if (!zspage) return;
  // zs_free() of the last object: fullness ZS_INUSE_RATIO_0 -> free_zspage() -> __free_zspage()
  __free_zspage(zspage);
}
