// MD013: a kernel page table is freed through the kernel-aware path. __pagetable_free() ignores
// PT_kernel, so the page is reused before iommu_sva_invalidate_kva_range() can run. (A table never
// marked with ptdesc_set_kernel() is freed at once by pagetable_free() too; that is a hazard only
// once the table was installed, which the compiler cannot see: --run decides, decision 0020.)
#include <linux/mm.h>

void scenario_pure_free_of_kernel_table(void)
{
	struct ptdesc *pt = pagetable_alloc(GFP_PGTABLE_KERNEL, 0); // expect-run MD013 (the pure free below, at run time)

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
