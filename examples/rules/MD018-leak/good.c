// MD018 kept: what is allocated is freed.
#include <linux/gfp.h>

void scenario_free_what_you_allocate(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 1);

	if (!page)
		return;
	__free_pages(page, 1);
}
