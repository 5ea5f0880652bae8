// MD008 kept: __GFP_COMP makes the block compound, so it is a folio of order 2.
#include <linux/gfp.h>
#include <linux/mm.h>

unsigned int scenario_folio_of_compound_block(void)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	unsigned int order;

	if (!page)
		return 0;
	order = folio_order(page_folio(page));
	__free_pages(page, 2);
	return order;
}
