// MD016 kept: the head's page type is reset by the allocator, so a type on the head (or on an
// order-0 page) needs no clearing before the free.
#include <linux/gfp.h>
#include <linux/page-flags.h>

void scenario_type_on_head_page(void)
{
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_COMP, 1);

	if (!page)
		return;
	__SetPageOffline(page);
	__free_pages(page, 1);
}
