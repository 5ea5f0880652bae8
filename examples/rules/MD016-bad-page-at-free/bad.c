// MD016: the page allocator checks each freed page (__free_pages_prepare). A page type left on a
// tail page of a compound block is "nonzero mapcount"; the page is leaked, as bad_page() leaks it.
#include <linux/gfp.h>
#include <linux/page-flags.h>

void scenario_type_left_on_tail_page(void)
{
	// expect-run MD016 MD018 — bad_page() leaks the page; the ledger lists it
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_COMP, 1);

	if (!page)
		return;
	__SetPageOffline(page + 1);
	__free_pages(page, 1);
}
