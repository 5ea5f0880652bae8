// MD012 kept: pagetable_dtor() before pagetable_free() (what pagetable_dtor_free() does).
#include <linux/mm.h>

void scenario_dtor_then_free(void)
{
	struct ptdesc *pt = pagetable_alloc(GFP_PGTABLE_USER, 0);

	if (!pt)
		return;
	if (!pagetable_pte_ctor(mm_alloc(), pt)) {
		pagetable_free(pt);
		return;
	}
	pagetable_dtor(pt);
	pagetable_free(pt);
}
