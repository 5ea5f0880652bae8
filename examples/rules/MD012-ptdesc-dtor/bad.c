// MD012: pagetable_free() does not run the destructor; a constructed table leaks its split lock
// and stays counted in NR_PAGETABLE.
#include <linux/mm.h>

void scenario_free_constructed_table(void)
{
	// expect-run MD012
	struct ptdesc *pt = pagetable_alloc(GFP_PGTABLE_USER, 0);

	if (!pt)
		return;
	if (!pagetable_pte_ctor(mm_alloc(), pt)) {
		pagetable_free(pt);
		return;
	}
	pagetable_free(pt); // expect MD012
}
