// MD004: only the page type that is set is cleared (the C twin of bad.ts).
#include <linux/mm.h>
#include <linux/page-flags.h>

void scenario_clear_wrong_type(void)
{
	// expect-run MD004
	struct page *page = alloc_page(GFP_KERNEL);

	if (!page)
		return;
	__SetPageTable(page);
	__ClearPageSlab(page); // expect MD004
	__free_page(page);
}
