// kernel: mm/percpu-vm.c pcpu_alloc_pages(), pcpu_free_pages(), pcpu_populate_chunk()
// tree: linux-mm/linux-mm @4767bc6c28191ef3c2324019e650fcfc9f4e6a18 (mm/percpu-vm.c)
// A percpu chunk is populated page by page: one order-0 page per (cpu, page index) from
// alloc_pages_node(cpu_to_node(cpu), gfp | __GFP_HIGHMEM, 0), kept in the temp pages[] array
// indexed by pcpu_page_idx(); an allocation failure frees what the loop got so far, and
// depopulation frees every page with __free_page(). Not modelled: the vmap of the pages
// (pcpu_map_pages()), the node page-state counters.
import {
  __free_page,
  __GFP_HIGHMEM,
  alloc_pages_node,
  cpu_to_node,
  GFP_KERNEL,
  type Page,
} from "memdesc/sim";

const nr_cpu_ids = 2;
const pcpu_unit_pages = 4;
const pcpu_page_idx = (cpu: number, page_idx: number) => cpu * pcpu_unit_pages + page_idx;

function pcpu_free_pages(pages: Page[], page_start: number, page_end: number) {
  for (let cpu = 0; cpu < nr_cpu_ids; cpu++) {
    for (let i = page_start; i < page_end; i++) {
      const page = pages[pcpu_page_idx(cpu, i)];
      if (page) __free_page(page);
    }
  }
}

function pcpu_alloc_pages(pages: Page[], page_start: number, page_end: number, gfp: number) {
  let cpu: number;
  let i = page_start;

  gfp |= __GFP_HIGHMEM;

  for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
    for (i = page_start; i < page_end; i++) {
      // *pagep = alloc_pages_node(cpu_to_node(cpu), gfp, 0); if (!*pagep) goto err;
      const page = alloc_pages_node(cpu_to_node(cpu), gfp, 0);
      if (!page) {
        // err:
        while (--i >= page_start) __free_page(pages[pcpu_page_idx(cpu, i)]);
        for (let tcpu = 0; tcpu < nr_cpu_ids; tcpu++) {
          if (tcpu === cpu) break;
          for (i = page_start; i < page_end; i++) __free_page(pages[pcpu_page_idx(tcpu, i)]);
        }
        return -12;
      }
      pages[pcpu_page_idx(cpu, i)] = page;
    }
  }
  return 0;
}

export function scenario_populate_then_depopulate_chunk() {
  const pages: Page[] = [];
  // pcpu_populate_chunk(chunk, 1, 4, GFP_KERNEL)
  if (pcpu_alloc_pages(pages, 1, 4, GFP_KERNEL)) return;
  // pcpu_depopulate_chunk(chunk, 1, 4): pcpu_unmap_pages() refills pages[], then
  pcpu_free_pages(pages, 1, 4);
}
