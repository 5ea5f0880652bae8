/**
 * Must pass, with no cast: kernel C written out in TypeScript against memdesc/sim, as the
 * API reference (docs/api.md) shows it. Compiled by test/sim/kernel/snippets.test.ts.
 */
import {
  __free_pages,
  __get_free_page,
  __pa,
  ALIGN,
  alloc_pages,
  alloc_pages_exact,
  free_page,
  free_pages,
  free_pages_exact,
  free_reserved_page,
  GFP_KERNEL,
  GFP_PGTABLE_USER,
  type gfp_t,
  IS_ALIGNED,
  nth_page,
  offset_in_page,
  PAGE_ALIGN,
  PAGE_SIZE,
  PageReserved,
  PFN_DOWN,
  PFN_UP,
  PMD_SIZE,
  page_address,
  pagetable_alloc,
  pagetable_free,
  ptdesc_address,
  put_page_bootmem,
  type struct_page,
  type struct_ptdesc,
  virt_to_head_page,
  virt_to_page,
} from "memdesc/sim";

// arch/x86/mm/init_64.c free_pagetable(), without the bootmem-type branch:
//   if (PageReserved(page)) { while (nr_pages--) free_reserved_page(page++); }
//   else free_pages((unsigned long)page_address(page), order);
export function free_pagetable(page: struct_page, order: number): void {
  if (PageReserved(page)) {
    let nr_pages = 1 << order;
    while (nr_pages--) {
      free_reserved_page(page);
      page = nth_page(page, 1);
    }
  } else {
    free_pages(page_address(page), order);
  }
}

// The bootmem branch: while (nr_pages--) put_page_bootmem(page++);
export function free_bootmem_pages(page: struct_page, nr_pages: number): void {
  while (nr_pages--) {
    put_page_bootmem(page);
    page = nth_page(page, 1);
  }
}

// A parameter typed as what the allocator returns keeps its facts through ptdesc_address().
export function table_va(pt: NonNullable<ReturnType<typeof pagetable_alloc>>): number {
  return ptdesc_address(pt);
}
export function table_free(pt: struct_ptdesc): void {
  pagetable_free(pt);
}
export function user_table(): number {
  const pt = pagetable_alloc(GFP_PGTABLE_USER, 0);
  if (!pt) return 0;
  const va = table_va(pt);
  pagetable_free(pt);
  return va;
}

// Address arithmetic on kernel addresses, no casts:
//   for (addr = start; addr < end; addr += PAGE_SIZE) free_page(addr);
export function free_range(start: number, end: number): void {
  for (let addr = PAGE_ALIGN(start); addr < end; addr += PAGE_SIZE) free_page(addr);
}
export function arithmetic(gfp: gfp_t): number {
  const addr = __get_free_page(gfp);
  if (!addr) return 0;
  const next = addr + PAGE_SIZE;
  const huge = IS_ALIGNED(ALIGN(next, PMD_SIZE), PMD_SIZE);
  const head = virt_to_head_page(addr + offset_in_page(next));
  free_page(addr);
  return PFN_DOWN(__pa(next)) + PFN_UP(1) + (huge ? 1 : 0) + (head ? 0 : 1);
}

// page->mapping = inode->i_mapping: a kernel pointer into a pointer field.
export function set_mapping(page: struct_page, i_mapping: number): void {
  page.mapping = i_mapping;
  page.mapping = null;
}

// mm/page_alloc.c alloc_pages_exact()/free_pages_exact(), and a high-order block.
export function exact(size: number): void {
  const buf = alloc_pages_exact(size, GFP_KERNEL);
  if (buf) free_pages_exact(buf, size);
  const page = alloc_pages(GFP_KERNEL, 2);
  if (page) __free_pages(page, 2);
  virt_to_page(page_address(nth_page(page!, 0)));
}
