// MD006 kept: the ptdesc comes from pagetable_alloc(); its page converts back to it.
#include <linux/mm.h>

void scenario_ptdesc_round_trip(void)
{
	struct ptdesc *pt = pagetable_alloc(GFP_PGTABLE_USER, 0);
	struct ptdesc *again;

	if (!pt)
		return;
	again = page_ptdesc(ptdesc_page(pt));
	pagetable_free(again);
}
