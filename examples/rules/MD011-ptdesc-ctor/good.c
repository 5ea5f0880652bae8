// MD011 kept: allocated, constructed once (with the failure path the kernel has), used, destructed.
#include <linux/mm.h>

void scenario_ctor_use_dtor(void)
{
	struct mm_struct *mm = mm_alloc();
	struct ptdesc *pt = pagetable_alloc(GFP_PGTABLE_USER, 0);

	if (!pt)
		return;
	if (!pagetable_pte_ctor(mm, pt)) {
		pagetable_free(pt);
		return;
	}
	ptlock_ptr(pt);
	pagetable_dtor_free(pt);
}
