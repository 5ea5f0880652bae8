// MD011: a page table is constructed once, before it is used.
#include <linux/mm.h>

void scenario_use_before_ctor(void)
{
	// expect-run MD011
	struct ptdesc *pt = pagetable_alloc(GFP_PGTABLE_USER, 0);

	if (!pt)
		return;
	ptlock_ptr(pt); // expect MD011
	pagetable_free(pt);
}

void scenario_ctor_twice(void)
{
	// expect-run MD011
	struct ptdesc *pt = pagetable_alloc(GFP_PGTABLE_USER, 0);

	if (!pt)
		return;
	if (!pagetable_pte_ctor(&init_mm, pt)) {
		pagetable_free(pt);
		return;
	}
	pagetable_pte_ctor(&init_mm, pt); // expect MD011
	pagetable_dtor_free(pt);
}
