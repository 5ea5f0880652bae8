// MD005 kept: zsmalloc's first_obj_offset takes the low 24 bits (mm/zpdesc.h), nothing else does.
#include <linux/page-flags.h>

void scenario_owner_fields(void)
{
	define_page_type_owner_fields("zsmalloc", (struct zsmalloc_owner_fields){ .first_obj_offset = { 0, 24 } });
	define_page_type_owner_fields("hugetlb", (struct hugetlb_owner_fields){ .low = { 0, 8 }, .high = { 8, 8 } });
}
