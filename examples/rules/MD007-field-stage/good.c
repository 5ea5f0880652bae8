// MD007 kept: the list goes through the descriptor (ptdesc->pt_list), which keeps it at every stage.
#include <linux/list.h>

void scenario_chain_through_pt_list(void)
{
	LIST_HEAD(tables);
	struct ptdesc *pt = pagetable_alloc(GFP_PGTABLE_USER, 0);

	if (!pt)
		return;
	list_add(&pt->pt_list, &tables);
	list_del(&pt->pt_list);
	pagetable_free(pt);
}
