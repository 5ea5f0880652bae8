// MD010: split_page() takes a non-compound block; a compound block's tails point at their head.
#include <linux/mm.h>

void scenario_split_a_compound_block(void)
{
	// expect-run MD010
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_COMP, 1);

	if (!page)
		return;
	split_page(page, 1); // expect MD010
	__free_pages(page, 1);
}
