// MD005: page_type owner fields stay in the low bits and do not overlap (the C twin of bad.ts).
#include <linux/page-flags.h>

void scenario_owner_fields(void)
{
	// expect-run MD005 (define_page_type_owner_fields checks the fields; the first stops the run)

	/* Two fields sharing bits 8–15. */
	define_page_type_owner_fields("zsmalloc", (struct zsmalloc_owner_fields){ .first_obj_offset = { 0, 16 }, .class_idx = { 8, 16 } }); // expect MD005

	/* hugetlb is a folio type: its owner may use only the low 16 bits (mm_types.h). */
	define_page_type_owner_fields("hugetlb", (struct hugetlb_owner_fields){ .subpool_idx = { 0, 20 } }); // expect MD005
}
