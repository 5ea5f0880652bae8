// MD005: page_type owner fields stay in the low bits and do not overlap.
import { define_page_type_owner_fields } from "memdesc/sim";

// expect-run MD005 (define_page_type_owner_fields checks the fields when the module loads)

// Two fields sharing bits 8–15.
const zsmallocFields = { first_obj_offset: [0, 16], class_idx: [8, 16] } as const;
export const overlapping = define_page_type_owner_fields("zsmalloc", zsmallocFields); // expect MD005

// hugetlb is a folio type: its owner may use only the low 16 bits (mm_types.h).
export const tooWide = define_page_type_owner_fields("hugetlb", { subpool_idx: [0, 20] }); // expect MD005
