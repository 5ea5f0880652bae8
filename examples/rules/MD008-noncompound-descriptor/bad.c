// MD008: a non-compound high-order block cannot become a folio or a ptdesc. Without __GFP_COMP
// nothing records that the four pages belong together (mm/page_alloc.c prep_new_page()).
#include <linux/gfp.h>
#include <linux/mm.h>

unsigned int scenario_folio_of_noncompound_block(void)
{
	// expect-run MD008
	struct page *page = alloc_pages(GFP_KERNEL, 2);
	struct folio *folio;
	unsigned int order;

	if (!page)
		return 0;
	folio = page_folio(page); // expect MD008
	order = folio_order(folio); /* reads 0: the block has no folio */
	__free_pages(page, 2);
	return order;
}
