// MD010 kept: a non-compound order-1 block split into two order-0 pages, each freed on its own.
#include <linux/mm.h>

void scenario_split_then_free_each(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 1);
	struct page *second;

	if (!page)
		return;
	second = page + 1;
	split_page(page, 1);
	__free_page(page);
	__free_page(second);
}
