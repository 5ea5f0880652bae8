// MD015: a freed page is not used.
#include <linux/mm.h>

void *scenario_address_after_free(void)
{
	// expect-run MD015
	struct page *page = alloc_page(GFP_KERNEL);

	if (!page)
		return NULL;
	__free_page(page);
	return page_address(page); // expect MD015
}
