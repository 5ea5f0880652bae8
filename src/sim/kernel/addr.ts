/**
 * Kernel address arithmetic: include/linux/align.h (ALIGN, ALIGN_DOWN,
 * IS_ALIGNED), include/linux/mm.h (PAGE_ALIGN, PAGE_ALIGN_DOWN,
 * offset_in_page), include/linux/pfn.h (PFN_DOWN, PFN_UP, PFN_PHYS,
 * PHYS_PFN), arch/x86/include/asm/page.h (__pa, __va, pfn_to_kaddr),
 * arch/x86/include/asm/io.h (virt_to_phys, phys_to_virt), include/asm-generic/memory_model.h
 * (page_to_phys) and virt_to_pfn (not an x86 name).
 *
 * Exact to 64 bits: every helper computes in `bigint`, so there is no
 * JavaScript 32-bit `&`/`~` trap (`addr & ~(PAGE_SIZE - 1)` on a number near
 * 2^64 gives a wrong answer; `PAGE_ALIGN_DOWN(addr)` does not). A helper
 * given a `bigint` returns a `bigint` (byte-exact everywhere); given a number
 * it returns a number, and throws a RangeError instead of rounding when the
 * exact result is not a double (a direct-map address near 2^64 is exact only
 * at multiples of 2048: docs/decisions/0041-kernel-addresses.md).
 */
import type { AnyHandle } from "../../model/handles.js";
import { PAGE_OFFSET, PAGE_SHIFT, PAGE_SIZE, pfnOf, pfnToVirt, virtToPfn } from "./objects.js";
import { machine } from "./port.js";

/** An address or size as C's `unsigned long` / `phys_addr_t`: a number, or a bigint for byte-exact work. */
export type ulong = number | bigint;
/** The result type of a helper: bigint in, bigint out; number in, number out. */
export type Same<X extends ulong> = X extends bigint ? bigint : number;

const U64 = (1n << 64n) - 1n;

function big(op: string, x: ulong): bigint {
  if (typeof x === "bigint") return x & U64;
  if (!Number.isInteger(x)) throw new RangeError(`${op}: ${x} is not an integer address`);
  return BigInt(x) & U64;
}

function back<X extends ulong>(op: string, like: X, v: bigint): Same<X> {
  if (typeof like === "bigint") return v as Same<X>;
  const n = Number(v);
  if (BigInt(n) !== v) {
    throw new RangeError(
      `${op}: the result 0x${v.toString(16)} is not exact as a JavaScript number; pass a bigint (e.g. ${op}(${like}n, …)) for byte-exact addresses`,
    );
  }
  return n as Same<X>;
}

/**
 * ALIGN(x, a): round x up to a multiple of a (a power of two) — include/linux/align.h.
 *
 * @c #define ALIGN(x, a)
 * @kernel torvalds/linux:include/linux/align.h
 */
export function ALIGN<X extends ulong>(x: X, a: ulong): Same<X> {
  const m = big("ALIGN", a) - 1n;
  return back("ALIGN", x, (big("ALIGN", x) + m) & ~m & U64);
}

/**
 * ALIGN_DOWN(x, a): round x down to a multiple of a — include/linux/align.h.
 *
 * @c #define ALIGN_DOWN(x, a)
 * @kernel torvalds/linux:include/linux/align.h
 */
export function ALIGN_DOWN<X extends ulong>(x: X, a: ulong): Same<X> {
  const m = big("ALIGN_DOWN", a) - 1n;
  return back("ALIGN_DOWN", x, big("ALIGN_DOWN", x) & ~m & U64);
}

/**
 * IS_ALIGNED(x, a): `((x) & ((typeof(x))(a) - 1)) == 0` — include/linux/align.h.
 *
 * @c #define IS_ALIGNED(x, a)
 * @kernel torvalds/linux:include/linux/align.h
 */
export function IS_ALIGNED(x: ulong, a: ulong): boolean {
  return (big("IS_ALIGNED", x) & (big("IS_ALIGNED", a) - 1n)) === 0n;
}

/**
 * PAGE_ALIGN(addr) = ALIGN(addr, PAGE_SIZE) — include/linux/mm.h.
 *
 * @c #define PAGE_ALIGN(addr)
 * @kernel include/linux/mm.h
 * @example
 * ```c
 * // mm/bootmem_info.c register_page_bootmem_info_section()
 * mapsize = sizeof(struct page) * PAGES_PER_SECTION;
 * mapsize = PAGE_ALIGN(mapsize) >> PAGE_SHIFT;
 * // arch/x86/mm/init_64.c vmemmap_flush_unused_pmd()
 * memset((void *)unused_pmd_start, PAGE_UNUSED,
 *        ALIGN(unused_pmd_start, PMD_SIZE) - unused_pmd_start);
 * ```
 * ```ts
 * import { ALIGN, PAGE_ALIGN, PAGE_SHIFT, PAGES_PER_SECTION, PMD_SIZE } from "memdesc/sim";
 *
 * export const mapsize = PAGE_ALIGN(64 * PAGES_PER_SECTION) >> PAGE_SHIFT; // sizeof(struct page) == 64
 * export const to_pmd_end = (unused_pmd_start: bigint): bigint => ALIGN(unused_pmd_start, PMD_SIZE) - unused_pmd_start;
 * ```
 */
export function PAGE_ALIGN<X extends ulong>(addr: X): Same<X> {
  return back(
    "PAGE_ALIGN",
    addr,
    (big("PAGE_ALIGN", addr) + BigInt(PAGE_SIZE - 1)) & ~BigInt(PAGE_SIZE - 1) & U64,
  );
}

/**
 * PAGE_ALIGN_DOWN(addr) = ALIGN_DOWN(addr, PAGE_SIZE) — include/linux/mm.h.
 *
 * @c #define PAGE_ALIGN_DOWN(addr)
 * @kernel include/linux/mm.h
 */
export function PAGE_ALIGN_DOWN<X extends ulong>(addr: X): Same<X> {
  return back("PAGE_ALIGN_DOWN", addr, big("PAGE_ALIGN_DOWN", addr) & ~BigInt(PAGE_SIZE - 1) & U64);
}

/**
 * offset_in_page(p): `(unsigned long)(p) & ~PAGE_MASK` — include/linux/mm.h.
 *
 * @c #define offset_in_page(p)
 * @kernel include/linux/mm.h
 */
export function offset_in_page(p: ulong): number {
  return Number(big("offset_in_page", p) & BigInt(PAGE_SIZE - 1));
}

/**
 * PFN_DOWN(x): `(x) >> PAGE_SHIFT` — include/linux/pfn.h.
 *
 * @c #define PFN_DOWN(x)
 * @kernel torvalds/linux:include/linux/pfn.h
 */
export function PFN_DOWN(x: ulong): number {
  return Number(big("PFN_DOWN", x) >> BigInt(PAGE_SHIFT));
}

/**
 * PFN_UP(x): `((x) + PAGE_SIZE-1) >> PAGE_SHIFT` — include/linux/pfn.h.
 *
 * @c #define PFN_UP(x)
 * @kernel torvalds/linux:include/linux/pfn.h
 */
export function PFN_UP(x: ulong): number {
  return Number((big("PFN_UP", x) + BigInt(PAGE_SIZE - 1)) >> BigInt(PAGE_SHIFT));
}

/**
 * PFN_PHYS(pfn): `(phys_addr_t)(pfn) << PAGE_SHIFT` — include/linux/pfn.h.
 *
 * @c #define PFN_PHYS(x)
 * @kernel torvalds/linux:include/linux/pfn.h
 */
export function PFN_PHYS<X extends ulong>(pfn: X): Same<X> {
  return back("PFN_PHYS", pfn, big("PFN_PHYS", pfn) << BigInt(PAGE_SHIFT));
}

/**
 * PHYS_PFN(x): `(unsigned long)((x) >> PAGE_SHIFT)` — include/linux/pfn.h.
 *
 * @c #define PHYS_PFN(x)
 * @kernel torvalds/linux:include/linux/pfn.h
 */
export function PHYS_PFN(x: ulong): number {
  return PFN_DOWN(x);
}

const OFFSET = BigInt(PAGE_OFFSET);

/**
 * MD017 (decision 0211): the physical address of an allocated page taken with __pa(),
 * virt_to_phys() or page_to_phys() may end up in a page-table entry the model does not follow
 * (`__pmd(__pa(pte) | _KERNPG_TABLE)`), so a table whose address escapes counts as reachable.
 */
function escapes(op: string, pfn: number): void {
  // Pure arithmetic needs no machine: without one there is nothing to mark.
  let m: ReturnType<typeof machine>;
  try {
    m = machine();
  } catch {
    return;
  }
  if (pfn < m.nrPages && m.isAllocated(pfn)) m.markPgtableReachable(op, pfn);
}

function paOf<X extends ulong>(op: string, x: X): Same<X> {
  const v = big(op, x);
  if (v < OFFSET)
    throw new RangeError(`${op}: 0x${v.toString(16)} is not a direct-map address (below PAGE_OFFSET)`);
  const phys = v - OFFSET;
  escapes(op, Number(phys >> BigInt(PAGE_SHIFT)));
  return back(op, x, phys);
}

/**
 * __pa(x): the physical address of a direct-map address (x86-64
 * __phys_addr: `x - PAGE_OFFSET` for the direct map). The kernel-text
 * mapping (__START_KERNEL_map) is not modelled.
 *
 * @c #define __pa(x)
 * @kernel arch/x86/include/asm/page.h
 */
export function __pa<X extends ulong>(x: X): Same<X> {
  return paOf("__pa", x);
}

/**
 * virt_to_phys(address) = __pa(address) — arch/x86/include/asm/io.h.
 *
 * @c static inline phys_addr_t virt_to_phys(volatile void *address)
 * @kernel torvalds/linux:arch/x86/include/asm/io.h
 */
export function virt_to_phys<X extends ulong>(address: X): Same<X> {
  return paOf("virt_to_phys", address);
}

/**
 * __va(x): `(void *)((unsigned long)(x) + PAGE_OFFSET)` — arch/x86/include/asm/page.h.
 *
 * @c #define __va(x)
 * @kernel arch/x86/include/asm/page.h
 */
export function __va<X extends ulong>(x: X): Same<X> {
  return back("__va", x, (big("__va", x) + OFFSET) & U64);
}

/**
 * phys_to_virt(address) = __va(address) — arch/x86/include/asm/io.h.
 *
 * @c static inline void *phys_to_virt(phys_addr_t address)
 * @kernel torvalds/linux:arch/x86/include/asm/io.h
 */
export function phys_to_virt<X extends ulong>(address: X): Same<X> {
  return back("phys_to_virt", address, (big("phys_to_virt", address) + OFFSET) & U64);
}

/**
 * pfn_to_kaddr(pfn) = __va((pfn) << PAGE_SHIFT) — arch/x86/include/asm/page.h.
 *
 * @c static __always_inline void *pfn_to_kaddr(unsigned long pfn)
 * @kernel arch/x86/include/asm/page.h
 */
export function pfn_to_kaddr(pfn: number): number {
  return pfnToVirt(pfn);
}

/**
 * virt_to_pfn(kaddr) = PFN_DOWN(__pa(kaddr)). x86 defines no virt_to_pfn(): its code writes
 * `PHYS_PFN(__pa(x))` (arch/x86/include/asm/page.h @ecbb4f58 has none); the prototype is the one
 * arm64, powerpc and the generic nommu page.h have.
 *
 * @c static inline unsigned long virt_to_pfn(const void *kaddr)
 */
export function virt_to_pfn(kaddr: ulong): number {
  const pfn = virtToPfn(Number(big("virt_to_pfn", kaddr) & ~BigInt(PAGE_SIZE - 1)), machine().nrPages);
  if (pfn < 0) throw new RangeError(`virt_to_pfn: ${kaddr} is not a direct-map address of this machine`);
  return pfn;
}

/**
 * page_to_phys(page): `(dma_addr_t)page_to_pfn(page) << PAGE_SHIFT` — arch/x86/include/asm/io.h.
 *
 * @c #define page_to_phys(page)
 * @kernel include/asm-generic/memory_model.h
 */
export function page_to_phys(page: AnyHandle): number {
  const pfn = pfnOf(page);
  escapes("page_to_phys", pfn);
  return pfn * PAGE_SIZE;
}
