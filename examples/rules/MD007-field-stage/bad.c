// MD007: a field exists at the chosen stage. Fine today; from the 32-byte interim struct page on,
// page->lru and page->mapping are gone (docs/reference/layouts.md).
#include <linux/list.h>

bool scenario_chain_through_lru(void)
{
	LIST_HEAD(pages);
	struct page *page = alloc_page(GFP_KERNEL);
	bool mapped;

	if (!page)
		return false;
	list_add(&page->lru, &pages); // expect MD007 at interim32,interim16,final
	mapped = page->mapping != NULL; // expect MD007 at interim32,interim16,final
	list_del(&page->lru); // expect MD007 at interim32,interim16,final
	__free_page(page);
	return mapped;
}
