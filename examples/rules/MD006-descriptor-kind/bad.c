// MD006: a page is converted to a descriptor only if it is of that kind.
#include <linux/mm.h>

unsigned long scenario_plain_page_as_ptdesc(void)
{
	// expect-run MD006
	struct page *page = alloc_page(GFP_KERNEL);
	struct ptdesc *pt;

	if (!page)
		return 0;
	pt = page_ptdesc(page); // expect MD006
	__free_page(page);
	return page_to_pfn(ptdesc_page(pt));
}
