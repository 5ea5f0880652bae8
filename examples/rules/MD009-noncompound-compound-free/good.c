// MD009 kept: a compound block's last put_page() frees all four pages.
#include <linux/mm.h>

void scenario_put_page_on_compound_block(void)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);

	if (!page)
		return;
	put_page(page);
}
