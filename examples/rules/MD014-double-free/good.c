// MD014 kept: a second reference is taken before the page is handed on; each reference is dropped once.
#include <linux/mm.h>

void scenario_get_then_put_twice(void)
{
	struct page *page = alloc_page(GFP_KERNEL);

	if (!page)
		return;
	get_page(page); /* a second reference, held through the same pointer */
	put_page(page);
	put_page(page); /* the last reference frees the page: not a double free */
}
