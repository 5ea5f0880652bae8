// MD004 kept: the type that was set is the type that is cleared.
#include <linux/mm.h>
#include <linux/page-flags.h>

void scenario_clear_own_type(void)
{
	struct page *page = alloc_page(GFP_KERNEL);

	if (!page)
		return;
	__SetPageTable(page);
	if (PageTable(page))
		__ClearPageTable(page);
	__free_page(page);
}
