// MD009: put_page() and folio_put() free compound_order(page) pages — 0 for a non-compound block.
// put_page() is a run-time finding; folio_put() on a known non-compound handle is a compile error.
#include <linux/mm.h>

void scenario_put_page_on_noncompound_block(void)
{
	// expect-run MD009 MD018
	struct page *page = alloc_pages(GFP_KERNEL, 2);

	if (!page)
		return;
	put_page(page);
}

void scenario_folio_put_on_noncompound_block(void)
{
	// expect-run MD008 MD009 MD018
	struct page *page = alloc_pages(GFP_KERNEL, 2);

	if (!page)
		return;
	folio_put(page_folio(page)); // expect MD008 MD009
}
