// MD005 kept: zsmalloc's first_obj_offset takes the low 24 bits (mm/zpdesc.h), nothing else does.
import { define_page_type_owner_fields } from "memdesc/sim";

export const zsmalloc = define_page_type_owner_fields("zsmalloc", { first_obj_offset: [0, 24] });
export const hugetlb = define_page_type_owner_fields("hugetlb", { low: [0, 8], high: [8, 8] });
