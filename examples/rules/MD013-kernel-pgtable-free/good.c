// MD013 kept: the asm-generic pair marks the table at allocation and frees it through
// pagetable_dtor_free() → pagetable_free() → pagetable_free_kernel().
#include <asm-generic/pgalloc.h>

void scenario_kernel_pte_table(void)
{
	pte_t *pte = pte_alloc_one_kernel(&init_mm);

	if (!pte)
		return;
	pte_free_kernel(&init_mm, pte);
}
