/**
 * C type names for parameters, so a transliteration reads like the C:
 * `function free_pagetable(page: struct_page, order: number)`. Each is the
 * handle type of the selected stage with nothing known about the memory (a
 * parameter's facts are the caller's business: the checks stay silent and the
 * run-time checks decide). A parameter typed as what an allocator returns keeps
 * the allocator's facts instead: `NonNullable<ReturnType<typeof pagetable_alloc>>`.
 */
import type { Folio, Page, Ptdesc, Slab, Zpdesc } from "../../model/handles.js";

/** `struct page *` (include/linux/mm_types.h). */
export type struct_page = Page;
/** `struct folio *` (include/linux/mm_types.h). */
export type struct_folio = Folio;
/** `struct ptdesc *` (include/linux/mm_types.h). */
export type struct_ptdesc = Ptdesc;
/** `struct slab *` (mm/slab.h). */
export type struct_slab = Slab;
/** `struct zpdesc *` (mm/zpdesc.h). */
export type struct_zpdesc = Zpdesc;
/** `pgtable_t`: a PTE table as its struct page on x86 (arch/x86/include/asm/pgtable_types.h). */
export type pgtable_t = Page;
