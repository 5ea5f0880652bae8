// MD015 kept: the address is taken while the page is still owned.
#include <linux/mm.h>

void *scenario_address_before_free(void)
{
	struct page *page = alloc_page(GFP_KERNEL);
	void *addr;

	if (!page)
		return NULL;
	addr = page_address(page);
	__free_page(page);
	return addr;
}
