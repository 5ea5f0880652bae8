/**
 * What the kernel-named API needs from the simulated machine, and the
 * machine that kernel functions act on: kernel code has global state
 * (mem_map, the zones, init_mm), so the API has a current machine, set by
 * the scenario runner ({@link withMachine}).
 */

import type { MemdescKindName } from "../../model/memdesc-word.js";
import type { PageTypeName } from "../../model/page-type.js";
import type { RuleId } from "../../model/rules.js";

/** Lifecycle of a ptdesc (MD011/MD012), kept per page-table page by the machine. */
export type PtdescState = "none" | "allocated" | "constructed" | "destructed";

export interface KernelViolation {
  readonly rule: RuleId;
  /** The kernel function that found it. */
  readonly op: string;
  readonly pfn: number;
  readonly message: string;
  readonly order?: number;
  readonly expected?: string;
  readonly got?: string;
}

/**
 * The machine operations the kernel-named API is built on (PFN-based, kernel
 * semantics). `Machine` (src/sim/machine/machine.ts) implements this
 * interface itself: there is no adapter between them.
 *
 * Every operation that can find a violation or changes a page takes `op`
 * first: the name of the kernel function the user's code called
 * (`free_page`, `folio_put`, `pagetable_pte_ctor` …). Reports name that
 * function, so a kernel function passes its own name, not the name of a
 * helper it is built on. Plain reads of a page's columns take only the pfn.
 */
export interface MachinePort {
  readonly nrPages: number;
  readonly config: {
    readonly debugVm: boolean;
    readonly asyncKernelPgtableFree: boolean;
    readonly iommuSva: boolean;
  };

  // --- the page allocator (the prepare step of every free path runs in the machine)
  /** __alloc_pages(gfp, order): the head PFN, or -1 for NULL. `site` names the allocation in the leak ledger. */
  allocPages(op: string, gfp: number, order: number, site?: string): number;
  /** __free_pages(page, order), with the kernel's non-compound special case. */
  freePages(op: string, pfn: number, order: number): void;
  /** __free_pages(page, compound_order(page)): the path of __pagetable_free and folio_put. */
  freeCompoundOrder(op: string, pfn: number): void;
  getPage(op: string, pfn: number): void;
  putPage(op: string, pfn: number): void;
  splitPage(op: string, pfn: number, order: number): void;

  // --- reads
  pageRefCount(pfn: number): number;
  compoundHead(pfn: number): number;
  compoundOrder(pfn: number): number;
  isHead(pfn: number): boolean;
  isTail(pfn: number): boolean;
  /** The order the block containing `pfn` was allocated at (compound or not), or -1 if free. */
  allocationOrder(pfn: number): number;
  /** The first page of the allocated block containing `pfn`, or -1 if `pfn` is free. */
  allocationHead(pfn: number): number;
  isAllocated(pfn: number): boolean;
  /** The machine's GFP bits for base flag names (include/linux/gfp_types.h). */
  gfpMask(names: Iterable<string>): number;

  // --- page flags, page_type, private, mapping
  flags(pfn: number): number;
  setFlag(op: string, pfn: number, bit: number): void;
  clearFlag(op: string, pfn: number, bit: number): void;
  /** The whole page_type word (PGTY in the top byte, owner bits below). */
  pageTypeWord(pfn: number): number;
  setPageType(op: string, pfn: number, type: PageTypeName): void;
  clearPageType(op: string, pfn: number, type: PageTypeName): void;
  /** The low 24 bits of a typed page's page_type, which its owner may use. */
  setPageTypeOwnerBits(op: string, pfn: number, bits: number): void;
  /** private and mapping hold any 64-bit value: a number when a double holds it exactly, else a bigint. */
  private(pfn: number): number | bigint;
  setPrivate(op: string, pfn: number, value: number | bigint): void;
  mapping(pfn: number): number | bigint;
  setMapping(op: string, pfn: number, value: number | bigint): void;

  // --- words 1 and 2 (the list_head every owner overlays)
  /** A list head that is not a page, in the machine's list storage; returns its (negative) reference. */
  newListHead(): number;
  /** list_del() with the kernel's poison values. */
  listDel(op: string, ref: number): void;
  linkNext(ref: number): number;
  linkPrev(ref: number): number;
  setLinkNext(op: string, ref: number, v: number): void;
  setLinkPrev(op: string, ref: number, v: number): void;

  // --- memdesc words, the ptdesc lifecycle
  memdescWord(pfn: number): bigint;
  memdescKind(pfn: number): MemdescKindName | null;
  /** Say what the allocation at `head` now is; "misc" makes it a plain block again. */
  setMemdescKind(op: string, head: number, kind: MemdescKindName): void;
  ptdescState(pfn: number): PtdescState;
  setPtdescState(op: string, pfn: number, state: PtdescState): void;

  // --- the IOMMU hazard (MD017)
  /**
   * The page table containing `pfn` may now be reachable from the kernel's page tables: it was
   * installed (pmd_populate_kernel(), pud_populate(), p4d_populate(), set_pmd()/set_pud() into
   * init_mm) or its address or an entry made from it escaped where the model does not follow
   * (`__pa(pte)`). A table is allocated "never installed"; only such a table is no IOMMU hazard.
   */
  markPgtableReachable(op: string, pfn: number): void;
  /** Kernel code started freeing the page table at `pfn` (a free function, or list_add() onto a list freed later). */
  notePgtableRelease(op: string, pfn: number): void;
  pgtableReachable(pfn: number): boolean;
  markStaleIotlb(op: string, pfn: number, nrPages: number): void;
  iommuInvalidateAll(op: string): void;

  /** Report a violation found by the kernel-named layer (throws or collects, as the machine is configured). */
  report(v: KernelViolation): void;
}

// The current machine lives on globalThis under a registered symbol, so that every copy of this
// module (the checker's and the one a user's file imports, which may come from a build or from
// source) sees the same machine.
const CURRENT = Symbol.for("memdesc.current-machine");
type Holder = { [CURRENT]?: MachinePort };
const holder = globalThis as Holder;

/** The machine kernel functions act on. */
export function machine(): MachinePort {
  const current = holder[CURRENT];
  if (!current) {
    throw new Error(
      "no simulated machine: run kernel code inside withMachine(machine, fn) or `memdesc check --run`",
    );
  }
  return current;
}

/** Run `fn` with `m` as the current machine (restoring the previous one after). */
export function withMachine<R>(m: MachinePort, fn: () => R): R {
  const prev = holder[CURRENT];
  holder[CURRENT] = m;
  try {
    return fn();
  } finally {
    if (prev === undefined) delete holder[CURRENT];
    else holder[CURRENT] = prev;
  }
}

/** Run kernel code on machine `m`: `runOn(new Machine({ pages: 4096 }), () => { … })`. */
export const runOn: <R>(m: MachinePort, fn: () => R) => R = withMachine;
