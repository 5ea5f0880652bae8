// MD002: a block is freed at the order it was allocated at (the C twin of bad.ts).
#include <linux/gfp.h>

void scenario_free_at_wrong_order(void)
{
	// expect-run MD002 MD018 — pages 1–3 are never freed
	struct page *page = alloc_pages(GFP_KERNEL, 2);

	if (!page)
		return;
	__free_pages(page, 0); // expect MD002
}
