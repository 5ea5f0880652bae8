// MD013: a kernel page table is freed through the kernel-aware path. __pagetable_free() ignores
// PT_kernel; a table that was never marked with ptdesc_set_kernel() is freed at once by
// pagetable_free() too.
#include <linux/mm.h>

void scenario_pure_free_of_kernel_table(void)
{
	struct ptdesc *pt = pagetable_alloc(GFP_PGTABLE_KERNEL, 0);

	if (!pt)
		return;
	ptdesc_set_kernel(pt);
	if (!pagetable_pte_ctor(&init_mm, pt)) {
		pagetable_free(pt);
		return;
	}
	pagetable_dtor(pt);
	__pagetable_free(pt); // expect MD013
}

void scenario_unmarked_kernel_table(void)
{
	struct ptdesc *pt = pagetable_alloc(GFP_PGTABLE_KERNEL, 0);

	if (!pt)
		return;
	pagetable_free(pt); // expect MD013
}
