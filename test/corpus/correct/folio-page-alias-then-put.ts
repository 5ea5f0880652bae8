// kernel: include/linux/highmem.h memcpy_from_folio() -> kmap_local_folio() (without HIGHMEM:
// page_address(folio_page(folio, offset / PAGE_SIZE)) + offset_in_page(offset)), then folio_put()
// tree: linux-mm/linux-mm (December 2026)
// Aliases of one folio — folio_page() of each page, its page_address(), virt_to_folio() of an
// address inside a tail — are used while the folio is alive; the last folio_put() through one alias
// frees the block once. Must pass at every stage (decision 0020: compile time is sound or silent).
import {
  __GFP_COMP,
  folio_alloc,
  folio_get,
  folio_page,
  folio_put,
  GFP_KERNEL,
  offset_in_page,
  PAGE_SIZE,
  page_address,
  virt_to_folio,
} from "memdesc/sim";

export function scenario_copy_from_folio_then_put() {
  const folio = folio_alloc(GFP_KERNEL | __GFP_COMP, 2);
  if (!folio) return;
  let offset = 100;
  let len = 3 * PAGE_SIZE;
  while (len > 0) {
    // kmap_local_folio(folio, offset)
    const from =
      (page_address(folio_page(folio, Math.floor(offset / PAGE_SIZE))) as number) + offset_in_page(offset);
    const chunk = Math.min(len, PAGE_SIZE - offset_in_page(offset));
    void from; // memcpy(to, from, chunk)
    offset += chunk;
    len -= chunk;
  }
  // A second user found the folio by an address inside its third page, took a reference and drops it.
  const other = virt_to_folio((page_address(folio_page(folio, 2)) as number) + 8);
  folio_get(other);
  folio_put(other);
  folio_put(folio); // the last reference
}
