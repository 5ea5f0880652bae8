// kernel: drivers/iommu/iommu-pages.c iommu_alloc_pages_node_sz(), iommu_free_pages(),
// __iommu_free_desc(); drivers/iommu/iommu-pages.h folio_ioptdesc(), ioptdesc_folio(),
// virt_to_ioptdesc()
// tree: linux-mm/linux-mm @515ae5147abe431c34b9a98cee55515dd5e4229f (drivers/iommu/iommu-pages.c)
// IOMMU page tables and per-domain structures come from folio_alloc_node(gfp | __GFP_ZERO,
// get_order(size), nid), so a multi-page allocation is a compound folio; the caller gets
// folio_address(), and iommu_free_pages(virt) finds the folio again through the ioptdesc that
// overlays it and drops it with folio_put(), which frees all folio_nr_pages() pages. Not
// modelled: iopt->incoherent (no field of the model's folio; the DMA-API path is off), the
// NR_IOMMU_PAGES / NR_SECONDARY_PAGETABLE counters.
import {
  __GFP_HIGHMEM,
  __GFP_ZERO,
  folio_address,
  folio_alloc_node,
  folio_ioptdesc,
  folio_nr_pages,
  folio_put,
  GFP_KERNEL,
  get_order,
  ioptdesc_folio,
  PAGE_SIZE,
  virt_to_ioptdesc,
} from "memdesc/sim";

function iommu_alloc_pages_node_sz(nid: number, gfp: number, size: number) {
  /* This uses page_address() on the memory. */
  if (gfp & __GFP_HIGHMEM) return null;

  const order = get_order(size);

  const folio = folio_alloc_node(gfp | __GFP_ZERO, order, nid);
  if (!folio) return null;

  const iopt = folio_ioptdesc(folio);
  void iopt; // iopt->incoherent = false;

  return folio_address(folio);
}

function __iommu_free_desc(iopt: ReturnType<typeof virt_to_ioptdesc>) {
  const folio = ioptdesc_folio(iopt);
  const pgcnt = folio_nr_pages(folio);
  void pgcnt; // mod_node_page_state(folio_pgdat(folio), NR_IOMMU_PAGES, -pgcnt);
  folio_put(folio);
}

function iommu_free_pages(virt: number | null) {
  if (!virt) return;
  __iommu_free_desc(virt_to_ioptdesc(virt));
}

export function scenario_iommu_table_page() {
  const table = iommu_alloc_pages_node_sz(-1, GFP_KERNEL, PAGE_SIZE);
  iommu_free_pages(table);
}

export function scenario_iommu_multi_page_allocation() {
  // e.g. an AMD IOMMU device table: 16 KiB, order 2
  const dev_table = iommu_alloc_pages_node_sz(-1, GFP_KERNEL, 4 * PAGE_SIZE);
  iommu_free_pages(dev_table);
}
