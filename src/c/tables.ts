/**
 * What the C front end knows about kernel macros, one line per macro, so
 * that teaching it a new one is one line (docs/c-frontend.md). Everything
 * not named here, and not a name memdesc/sim exports, is opaque.
 */

/**
 * Annotation macros removed before parsing (replaced by spaces, so columns
 * stay): attributes and section markers that tree-sitter would otherwise
 * parse as ERROR nodes. `true` = the macro takes a parenthesised argument
 * list (`__printf(1, 2)`), which is removed with it.
 * Sources: include/linux/init.h, include/linux/compiler_types.h,
 * include/linux/compiler_attributes.h, include/linux/cache.h, include/linux/linkage.h.
 */
export const ANNOTATIONS: Readonly<Record<string, boolean>> = {
  __init: false,
  __exit: false,
  __meminit: false,
  __meminitdata: false,
  __initdata: false,
  __initconst: false,
  __init_memblock: false,
  __ref: false,
  __refdata: false,
  __ro_after_init: false,
  __read_mostly: false,
  __always_inline: false,
  __must_check: false,
  __maybe_unused: false,
  __always_unused: false,
  __weak: false,
  __cold: false,
  __hot: false,
  __pure: false,
  __force: false,
  __user: false,
  __iomem: false,
  __rcu: false,
  __percpu: false,
  __kernel: false,
  __nocast: false,
  __bitwise: false,
  __visible: false,
  __latent_entropy: false,
  __noreturn: false,
  __cacheline_aligned: false,
  __cacheline_aligned_in_smp: false,
  __page_aligned_bss: false,
  __page_aligned_data: false,
  __no_sanitize_address: false,
  __noinstr_section: true,
  noinstr: false,
  noinline: false,
  notrace: false,
  asmlinkage: false,
  __releases: true,
  __acquires: true,
  __must_hold: true,
  __printf: true,
  __section: true,
  __aligned: true,
  __attribute__: true,
  __counted_by: true,
  __guarded_by: true,
};

/** Macros that are their first argument as far as memdesc is concerned (compiler hints, once-accesses). */
export const IDENTITY_MACROS: ReadonlySet<string> = new Set([
  "likely",
  "unlikely",
  "READ_ONCE",
  "data_race",
  "RCU_INITIALIZER",
  "rcu_dereference",
  "rcu_dereference_protected",
  "rcu_access_pointer",
  "WARN_ON",
  "WARN_ON_ONCE",
  "VM_WARN_ON",
  "VM_WARN_ON_ONCE",
  "VM_BUG_ON",
  "VM_WARN_ON_ONCE_PAGE",
  "VM_BUG_ON_PAGE",
  "VM_WARN_ON_FOLIO",
  "VM_BUG_ON_FOLIO",
]);

/**
 * Iterator macros, as the loop the simulator's list API gives:
 * `list_for_each_entry(pos, head, member)` walks `head` yielding `pos`.
 * `pos`/`head`/`member` are the argument positions; `extra` the arguments
 * the TypeScript form does not need (the _safe variant's `n`). The struct
 * is taken from pos's declared C type (struct page *, struct ptdesc *, …).
 * The TypeScript iterator is the _safe one for both (include/linux/list.h).
 */
export interface IteratorMacro {
  readonly pos: number;
  readonly head: number;
  readonly member: number;
  readonly arity: number;
}
export const ITERATOR_MACROS: Readonly<Record<string, IteratorMacro>> = {
  list_for_each_entry: { pos: 0, head: 1, member: 2, arity: 3 },
  list_for_each_entry_safe: { pos: 0, head: 2, member: 3, arity: 4 },
  list_for_each_entry_reverse: { pos: 0, head: 1, member: 2, arity: 3 },
};

/**
 * Macros from one struct pointer to another: `container_of(ptr, struct X, member)`
 * and the kernel's typed helpers that are not (yet) functions in memdesc/sim.
 * container_of() is understood when `ptr` is `&h->member` of a handle
 * (the memory is h's): the result is h converted to struct X.
 */
export const CONTAINER_MACROS: ReadonlySet<string> = new Set(["container_of", "container_of_const"]);

/** Statement macros that declare a list head: `LIST_HEAD(name);` (include/linux/list.h). */
export const DECLARING_MACROS: ReadonlySet<string> = new Set(["LIST_HEAD"]);

/**
 * Member initializers of a static object the model keeps real, as `{ .list = LIST_HEAD_INIT(x.list),
 * .work = __WORK_INITIALIZER(x.work, fn) }` writes them (include/linux/list.h, workqueue.h): the
 * memdesc/sim call that makes the member (`LIST_HEAD()`, `INIT_WORK(fn, "fn")`) and which argument,
 * if any, is the work function. A static initializer holding one of these is translated member by
 * member; any other stays one opaque value.
 */
export const INITIALIZER_MACROS: Readonly<Record<string, { readonly sim: string; readonly func?: number }>> =
  {
    LIST_HEAD_INIT: { sim: "LIST_HEAD" },
    __WORK_INITIALIZER: { sim: "INIT_WORK", func: 1 },
  };

/** Macros whose value is a compile-time integer the translation folds (only when they are literals). */
export const ORDER_FUNCTIONS: ReadonlySet<string> = new Set(["get_order"]);

/** include/uapi/asm-generic/errno-base.h and errno.h: the values functions return negated. */
export const ERRNO: Readonly<Record<string, number>> = {
  EPERM: 1,
  ENOENT: 2,
  EINTR: 4,
  EIO: 5,
  ENXIO: 6,
  E2BIG: 7,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  ENODEV: 19,
  EINVAL: 22,
  ENOSPC: 28,
  ERANGE: 34,
  ENOSYS: 38,
  EOPNOTSUPP: 95,
  ETIMEDOUT: 110,
};

/** C types (after `struct`) that are memdesc handles, and their TypeScript type in memdesc/sim. */
export const HANDLE_STRUCTS: Readonly<Record<string, string>> = {
  page: "Page",
  folio: "Folio",
  ptdesc: "Ptdesc",
  slab: "Slab",
  zpdesc: "Zpdesc",
};

/** Other C types memdesc/sim models, by C spelling (pointer stars counted), and their TypeScript type. */
export const MODELLED_TYPES: Readonly<Record<string, string>> = {
  "struct mm_struct *": "mm_struct",
  "struct list_head *": "list_head",
  gfp_t: "gfp_t",
};

/** Integer-like C types: translated as `number`. */
export const NUMBER_TYPES: ReadonlySet<string> = new Set([
  "int",
  "unsigned",
  "unsigned int",
  "long",
  "unsigned long",
  "long long",
  "unsigned long long",
  "short",
  "unsigned short",
  "char",
  "unsigned char",
  "signed",
  "signed int",
  "signed long",
  "size_t",
  "ssize_t",
  "phys_addr_t",
  "resource_size_t",
  "pgoff_t",
  "u8",
  "u16",
  "u32",
  "u64",
  "s8",
  "s16",
  "s32",
  "s64",
  "__u32",
  "__u64",
  "uint",
  "ulong",
  "uint8_t",
  "uint16_t",
  "uint32_t",
  "uint64_t",
  "int8_t",
  "int16_t",
  "int32_t",
  "int64_t",
  "uintptr_t",
  "pfn_t",
  "vm_fault_t",
  "pgprotval_t",
  "pteval_t",
  "pmdval_t",
  "pudval_t",
  "p4dval_t",
  "pgdval_t",
]);

/** Integer constants of the modelled machine memdesc/sim exports, folded when they appear in literal arithmetic. */
export const FOLDED_CONSTANTS: readonly string[] = [
  "PAGE_SHIFT",
  "PAGE_SIZE",
  "PMD_SHIFT",
  "PMD_SIZE",
  "PMD_ORDER",
];

/** memdesc/sim functions that return a handle, by struct: so `pfn_to_page(pfn) + i` is nth_page() arithmetic. */
export const RETURNS: Readonly<Record<string, string>> = {
  alloc_pages: "page",
  alloc_page: "page",
  alloc_pages_node: "page",
  pfn_to_page: "page",
  virt_to_page: "page",
  nth_page: "page",
  compound_head: "page",
  folio_page: "page",
  ptdesc_page: "page",
  slab_page: "page",
  zpdesc_page: "page",
  page_folio: "folio",
  folio_alloc: "folio",
  ptdesc_folio: "folio",
  page_ptdesc: "ptdesc",
  virt_to_ptdesc: "ptdesc",
  pagetable_alloc: "ptdesc",
  page_slab: "slab",
};
