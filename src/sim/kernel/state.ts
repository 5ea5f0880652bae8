/**
 * Kernel-side state of a simulated machine that is not per page: the IOMMU's
 * invalidation epoch, which kernel page-table pages the IOMMU may have
 * walked, pending work items, and the deferred kernel page-table free list
 * (mm/pgtable-generic.c kernel_pgtable_work).
 *
 * The IOMMU hazard (MD017) is modelled with epochs: a kernel page-table page
 * is *released* when kernel code starts freeing it (a free function, or
 * list_add() onto a list that will be freed later); each
 * iommu_sva_invalidate_kva_range() starts a new epoch. A released page that
 * reaches the page allocator in the same epoch it was released in may still
 * be cached by the IOMMU: the machine marks it stale and reports MD017 if it
 * is allocated again before the next invalidation.
 */
import { PT_FLAGS } from "../../model/page-flags.js";
import { type MachinePort, machine } from "./port.js";

const PT_KERNEL = 1 << PT_FLAGS.PT_kernel;

export interface WorkStruct {
  readonly func: (work: WorkStruct) => void;
  readonly name: string;
}

export interface KernelState {
  /** Number of IOMMU invalidations so far. */
  epoch: number;
  /** Kernel page-table pages the IOMMU may walk (PT_kernel, or installed for init_mm). */
  readonly kernelTables: Set<number>;
  /** Released kernel page-table pages → the epoch of their release. */
  readonly released: Map<number, number>;
  /** Scheduled work items, in order. */
  readonly pending: WorkStruct[];
  /** Every IOMMU invalidation, for reports. */
  readonly invalidations: { start: number; end: number }[];
}

/**
 * Kept under a registered symbol, as the current machine is (port.ts): a user's file run
 * by `check --run` may load its own copy of this module, and the checker's copy must see
 * the same pending work and the same tables (issue 8, item 4).
 */
const STATES = Symbol.for("memdesc.sim.kernelStates");
const registry = globalThis as Record<symbol, unknown>;
if (!registry[STATES]) registry[STATES] = new WeakMap<MachinePort, KernelState>();
const states = registry[STATES] as WeakMap<MachinePort, KernelState>;

export function kernelState(m: MachinePort = machine()): KernelState {
  let s = states.get(m);
  if (!s) {
    s = { epoch: 0, kernelTables: new Set(), released: new Map(), pending: [], invalidations: [] };
    states.set(m, s);
  }
  return s;
}

/** Record that kernel code started freeing page `pfn` (first release wins). */
export function noteRelease(pfn: number): void {
  const m = machine();
  if (m.flags(pfn) & PT_KERNEL) m.notePgtableRelease("list_add", pfn);
  const s = kernelState(m);
  if (s.kernelTables.has(pfn) && !s.released.has(pfn)) s.released.set(pfn, s.epoch);
}

/**
 * Called just before a block goes back to the page allocator: pages of a
 * kernel page table that were not covered by an IOMMU invalidation since
 * their release are marked stale in the machine (MD017 on reuse).
 */
export function beforeFree(op: string, pfn: number, nrPages: number): void {
  const m = machine();
  const s = kernelState(m);
  if (s.kernelTables.size === 0) return;
  for (let p = pfn; p < pfn + nrPages; p++) {
    if (!s.kernelTables.has(p)) continue;
    const rel = s.released.get(p);
    // Only a table that may have been installed can have been walked (provably never installed: no hazard).
    if (m.config.iommuSva && (rel === undefined || rel === s.epoch) && m.pgtableReachable(p))
      m.markStaleIotlb(op, p, 1);
    s.kernelTables.delete(p);
    s.released.delete(p);
  }
}

/** The IOMMU flushed its caches for the kernel address space. */
export function noteInvalidation(op: string, start: number, end: number): void {
  const m = machine();
  const s = kernelState(m);
  s.epoch++;
  s.invalidations.push({ start, end });
  m.iommuInvalidateAll(op);
}
