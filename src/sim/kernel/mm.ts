/**
 * Address spaces, as far as page-table allocation cares: `init_mm` (the
 * kernel's) or a user mm. The asm-generic allocators mark a table as a
 * kernel page table exactly when `mm == &init_mm` (include/asm-generic/pgalloc.h).
 */
export interface mm_struct<Owner extends "kernel" | "user" = "kernel" | "user"> {
  readonly owner: Owner;
  readonly name: string;
}

/** The kernel's address space. */
export const init_mm: mm_struct<"kernel"> = Object.freeze({ owner: "kernel", name: "init_mm" });

let nextMm = 1;
/**
 * mm_alloc(): a new user address space.
 *
 * @c extern struct mm_struct *mm_alloc(void)
 * @kernel include/linux/sched/mm.h
 */
export function mm_alloc(): mm_struct<"user"> {
  return Object.freeze({ owner: "user", name: `mm#${nextMm++}` });
}
