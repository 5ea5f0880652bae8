// MD003: a page type is set only on an untyped page — one type at a time (the C twin of bad.ts).
#include <linux/mm.h>
#include <linux/page-flags.h>

void scenario_second_type(void)
{
	// expect-run MD003 — with CONFIG_DEBUG_VM the VM_BUG_ON stops the second __SetPage
	struct page *page = alloc_page(GFP_KERNEL);

	if (!page)
		return;
	__SetPageTable(page);
	__SetPageOffline(page); // expect MD003
	// Without CONFIG_DEBUG_VM the kernel went on and overwrote the type: the page is now offline.
	__ClearPageTable(page); // expect MD004
	__free_page(page);
}
