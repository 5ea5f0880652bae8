// MD018: every allocation is freed. The leak ledger at the end of the run lists what was not.
#include <linux/gfp.h>

bool scenario_forget_to_free(void)
{
	// expect-run MD018
	struct page *page = alloc_pages(GFP_KERNEL, 1);

	return page != NULL;
}
