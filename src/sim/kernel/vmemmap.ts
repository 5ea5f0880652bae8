/**
 * The vmemmap (the virtually mapped memmap of CONFIG_SPARSEMEM_VMEMMAP): mapping a range of
 * `struct page` addresses and freeing it again, as x86-64 does it in arch/x86/mm/init_64.c
 * (linux-mm tree @09eaec12: vmemmap_populate(), vmemmap_free() -> remove_pagetable(start, end,
 * false, altmap), free_vmemmap_pages()) on top of mm/sparse-vmemmap.c's vmemmap_alloc_block().
 *
 * The model keeps, per machine, which blocks back which vmemmap addresses: a PMD-sized block
 * (order 9, one 2 MiB mapping) or a base page (order 0). Not modelled: the page-table pages of
 * the vmemmap mapping (their allocation and free_pte_table()/free_pmd_table()), the altmap
 * (device memory: `altmap` must be NULL), the identity-mapped first GiB that remove_pte_table()
 * refuses to touch, and vmemmap_pmd_is_unused(): a PMD block that vmemmap_free() covers only
 * in part stays mapped (the kernel frees it once every sub-range is unused).
 */
import { pageFlagBit } from "../../model/page-flags.js";
import { PAGE_SIZE, PMD_ORDER, PMD_SIZE, virtToPfn } from "./objects.js";
import { pageAt } from "./page.js";
import { PageReserved, vmemmap_alloc_block } from "./page-alloc.js";
import { ENOMEM } from "./pgalloc.js";
import { machine } from "./port.js";

/** include/linux/mmzone.h: PAGES_PER_SECTION = 1 << (SECTION_SIZE_BITS - PAGE_SHIFT); x86-64 SECTION_SIZE_BITS 27. */
export const PAGES_PER_SECTION = 2 ** (27 - 12);
/** sizeof(struct page) at today's layout: 64 bytes. */
const SIZEOF_STRUCT_PAGE = 64;

interface Backing {
  readonly pfn: number;
  readonly order: number;
}
const maps = new WeakMap<object, Map<bigint, Backing>>();
function vmemmap(): Map<bigint, Backing> {
  const m = machine();
  let t = maps.get(m);
  if (!t) {
    t = new Map();
    maps.set(m, t);
  }
  return t;
}

const RESERVED = pageFlagBit("PG_reserved");
const PAGE = BigInt(PAGE_SIZE);
const PMD = BigInt(PMD_SIZE);

function aligned(op: string, start: bigint, end: bigint): void {
  if (start % PAGE !== 0n) throw new Error(`kernel BUG: ${op}: VM_BUG_ON(!PAGE_ALIGNED(start))`);
  if (end % PAGE !== 0n) throw new Error(`kernel BUG: ${op}: VM_BUG_ON(!PAGE_ALIGNED(end))`);
}

function backingOf(addr: number | null): Backing | null {
  if (addr === null) return null;
  const pfn = virtToPfn(addr, machine().nrPages);
  return pfn < 0 ? null : { pfn, order: 0 };
}

/**
 * vmemmap_populate(start, end, node, altmap) (arch/x86/mm/init_64.c): map the vmemmap range
 * [start, end). A range smaller than one section's memmap (`PAGES_PER_SECTION * sizeof(struct
 * page)`, 2 MiB) is mapped with base pages (vmemmap_populate_basepages(): one
 * vmemmap_alloc_block(PAGE_SIZE) per page); a larger one with PMD-sized blocks
 * (vmemmap_populate_hugepages(): vmemmap_alloc_block(PMD_SIZE) — a non-compound order-9 block
 * per 2 MiB, the CPU is assumed to have X86_FEATURE_PSE). An address already mapped is left as
 * it is. 0, or -ENOMEM when a block cannot be allocated (the hugepage path falls back to base
 * pages first, as the kernel does without an altmap).
 *
 * @c int __meminit vmemmap_populate(unsigned long start, unsigned long end, int node, struct vmem_altmap *altmap)
 * @kernel arch/x86/mm/init_64.c
 */
export function vmemmap_populate(
  start: number | bigint,
  end: number | bigint,
  node: number,
  altmap: null,
): number {
  void altmap;
  const s = BigInt(start);
  const e = BigInt(end);
  aligned("vmemmap_populate", s, e);
  const map = vmemmap();
  const basepages = (from: bigint, to: bigint): number => {
    for (let addr = from; addr < to; addr += PAGE) {
      if (map.has(addr) || map.get(addr - (addr % PMD))?.order === PMD_ORDER) continue;
      const b = backingOf(vmemmap_alloc_block(PAGE_SIZE, node));
      if (!b) return -ENOMEM;
      map.set(addr, b);
    }
    return 0;
  };
  if (e - s < BigInt(PAGES_PER_SECTION * SIZEOF_STRUCT_PAGE)) return basepages(s, e);
  for (let addr = s; addr < e; ) {
    const pmdStart = addr - (addr % PMD);
    const next = pmdStart + PMD < e ? pmdStart + PMD : e;
    if (map.get(pmdStart)?.order !== PMD_ORDER) {
      const b = backingOf(vmemmap_alloc_block(PMD_SIZE, node));
      if (b) map.set(pmdStart, { pfn: b.pfn, order: PMD_ORDER });
      else if (basepages(addr, next) < 0) return -ENOMEM;
    }
    addr = next;
  }
  return 0;
}

/**
 * free_vmemmap_pages(page, order, altmap) (arch/x86/mm/init_64.c): boot memory
 * (PageReserved) goes back with free_reserved_pages(page, order), anything else with
 * __free_pages(page, order) — the order the block was allocated at, so a non-compound
 * vmemmap block is freed whole.
 */
function freeVmemmapPages(b: Backing): void {
  const m = machine();
  if (PageReserved(pageAt(b.pfn))) {
    for (let p = b.pfn; p < b.pfn + 2 ** b.order; p++) {
      m.setPageRefCount("vmemmap_free", p, 0);
      m.clearFlag("vmemmap_free", p, RESERVED);
    }
    m.freeFrozenPages("vmemmap_free", b.pfn, b.order);
  } else {
    m.freePages("vmemmap_free", b.pfn, b.order);
  }
}

/**
 * vmemmap_free(start, end, altmap) (arch/x86/mm/init_64.c): `VM_BUG_ON(!PAGE_ALIGNED(start))`,
 * `VM_BUG_ON(!PAGE_ALIGNED(end))`, then remove_pagetable(start, end, false, altmap): every
 * base page mapping [start, end) is freed at order 0 (remove_pte_table()), every PMD-sized
 * block that [start, end) covers whole (`IS_ALIGNED(addr, PMD_SIZE) && IS_ALIGNED(next,
 * PMD_SIZE)`) is freed at PMD_ORDER (remove_pmd_table()), through free_vmemmap_pages(): boot
 * memory (PageReserved) with free_reserved_pages(), the rest with __free_pages() — which runs
 * the page allocator's free-time checks (MD002 … MD017) on it.
 *
 * @c void __ref vmemmap_free(unsigned long start, unsigned long end, struct vmem_altmap *altmap)
 * @kernel arch/x86/mm/init_64.c
 * @example
 * ```c
 * // mm/sparse.c section_deactivate(): free the memmap of a removed section
 * unsigned long start = (unsigned long) pfn_to_page(pfn);
 * unsigned long end = start + nr_pages * sizeof(struct page);
 * vmemmap_free(start, end, altmap);
 * ```
 * ```ts
 * import { vmemmap_free, vmemmap_populate, VMEMMAP_START, PAGES_PER_SECTION } from "memdesc/sim";
 *
 * export function section_memmap_cycle(pfn: number, nr_pages: number): void {
 *   const start = BigInt(VMEMMAP_START) + BigInt(pfn) * 64n;
 *   const end = start + BigInt(nr_pages) * 64n;
 *   if (vmemmap_populate(start, end, 0, null) === 0) vmemmap_free(start, end, null);
 * }
 * export const one_section = PAGES_PER_SECTION;
 * ```
 */
export function vmemmap_free(start: number | bigint, end: number | bigint, altmap: null): void {
  void altmap;
  const s = BigInt(start);
  const e = BigInt(end);
  aligned("vmemmap_free", s, e);
  const map = vmemmap();
  for (let addr = s; addr < e; ) {
    const pmdStart = addr - (addr % PMD);
    const huge = map.get(pmdStart);
    if (huge && huge.order === PMD_ORDER) {
      const next = pmdStart + PMD < e ? pmdStart + PMD : e;
      if (addr % PMD === 0n && next % PMD === 0n) {
        freeVmemmapPages(huge);
        map.delete(pmdStart);
      }
      addr = next;
      continue;
    }
    const base = map.get(addr);
    if (base) {
      freeVmemmapPages(base);
      map.delete(addr);
    }
    addr += PAGE;
  }
}
