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

/** The machine operations the kernel-named API is built on (PFN-based, kernel semantics). */
export interface MachinePort {
  readonly nrPages: number;
  readonly config: {
    readonly debugVm: boolean;
    readonly asyncKernelPgtableFree: boolean;
    readonly iommuSva: boolean;
  };
  /** alloc_pages: the head PFN, or -1 for NULL. */
  allocPages(gfp: number, order: number, op: string): number;
  /** __free_pages(page, order), with the kernel's non-compound special case. */
  freePages(pfn: number, order: number, op: string): void;
  /** __free_pages(page, compound_order(page)): the path of __pagetable_free and folio_put. */
  freeCompoundOrder(pfn: number, op: string): void;
  getPage(pfn: number, op: string): void;
  putPage(pfn: number, op: string): void;
  pageRefCount(pfn: number): number;
  splitPage(pfn: number, order: number, op: string): void;
  compoundHead(pfn: number): number;
  compoundOrder(pfn: number): number;
  isHead(pfn: number): boolean;
  isTail(pfn: number): boolean;
  /** The order the block containing `pfn` was allocated at (compound or not), or -1 if free. */
  allocationOrder(pfn: number): number;
  /** The first page of the allocated block containing `pfn`, or -1 if `pfn` is free. */
  allocationHead(pfn: number): number;
  isAllocated(pfn: number): boolean;
  gfpMask(names: Iterable<string>): number;
  flags(pfn: number): number;
  setFlag(pfn: number, bit: number): void;
  clearFlag(pfn: number, bit: number): void;
  pageType(pfn: number): number;
  setPageType(pfn: number, type: PageTypeName, op: string): void;
  clearPageType(pfn: number, type: PageTypeName, op: string): void;
  /** Write the whole page_type word (owner bits of a typed page). */
  setPageTypeWord(pfn: number, word: number): void;
  private(pfn: number): number;
  setPrivate(pfn: number, value: number): void;
  mapping(pfn: number): number;
  setMapping(pfn: number, value: number): void;
  /** A list head that is not a page, in the machine's list storage; returns its (negative) reference. */
  newListHead(): number;
  /** list_del() with the kernel's poison values. */
  listDel(ref: number): void;
  linkNext(pfn: number): number;
  linkPrev(pfn: number): number;
  setLinkNext(pfn: number, v: number): void;
  setLinkPrev(pfn: number, v: number): void;
  memdescWord(pfn: number): bigint;
  memdescKind(pfn: number): MemdescKindName | null;
  setMemdescKind(head: number, kind: MemdescKindName | null): void;
  ptdescState(pfn: number): PtdescState;
  setPtdescState(pfn: number, state: PtdescState): void;
  markStaleIotlb(pfn: number, nrPages: number): void;
  iommuInvalidateAll(): void;
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
