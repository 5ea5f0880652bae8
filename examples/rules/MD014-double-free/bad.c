// MD014: a page is freed once.
#include <linux/gfp.h>

void scenario_free_twice(void)
{
	// expect-run MD014
	struct page *page = alloc_page(GFP_KERNEL);

	if (!page)
		return;
	__free_page(page);
	__free_page(page); // expect MD014
}
