// MD003 kept: the old type is cleared before another is set.
#include <linux/mm.h>
#include <linux/page-flags.h>

void scenario_retype(void)
{
	struct page *page = alloc_page(GFP_KERNEL);

	if (!page)
		return;
	__SetPageTable(page);
	__ClearPageTable(page);
	__SetPageOffline(page);
	__ClearPageOffline(page);
	__free_page(page);
}
