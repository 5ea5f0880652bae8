// MD002 kept: freed at the order it was allocated at.
#include <linux/gfp.h>

void scenario_free_at_same_order(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);

	if (!page)
		return;
	__free_pages(page, 2);
}
