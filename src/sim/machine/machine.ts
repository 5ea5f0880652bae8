/**
 * The simulated machine: a memory map on typed arrays with the page
 * allocator of mm/page_alloc.c, the free-time checks of
 * __free_pages_prepare(), compound pages, page types, descriptor pools and
 * each page's final-stage memdesc word. It implements the kernel layer's
 * MachinePort (src/sim/kernel/port.ts) directly (decision 0210).
 *
 * This file only binds: each operation is a function in the sibling module
 * that owns the concept, documented there, and one line of a table below
 * names it as a method (decision 0323). The binder checks the pfn argument
 * (a RangeError for a pfn that is not a page) and passes the machine's
 * context; `interface Machine` derives every method's type from the same
 * tables. Only the order-0 fast paths of allocPages()/freePages() are
 * written out here, so that the per-page work stays on typed arrays with
 * no call in between (bench/sim.bench.ts).
 *
 * Every operation that can find a violation either throws a
 * MachineViolationError at its end (onViolation "throw") or records it in
 * `violations` and goes on ("collect"); report.ts says what happens to the
 * operation in each case.
 */
import type { MachinePort } from "../kernel/port.js";
import * as alloc from "./alloc.js";
import { allocPages, checkStaleIotlbAfterFastAlloc, siteIdOf } from "./alloc.js";
import { audit } from "./audit.js";
import { initFreeBlocks } from "./buddy.js";
import { Ctx, reportKernelViolation } from "./context.js";
import { allocOrder0Fast, freeOrder0Fast } from "./fast.js";
import * as fields from "./fields.js";
import * as free from "./free.js";
import { freePagesOp } from "./free.js";
import * as iommu from "./iommu.js";
import { buildLedger } from "./ledger.js";
import * as listOps from "./list-ops.js";
import * as lists from "./lists.js";
import { MemdescEncoder } from "./memdesc.js";
import * as memdescWords from "./memdesc-words.js";
import * as memmap from "./memmap.js";
import { checkPfn, type HotView, type MemMap } from "./memmap.js";
import { type MachineConfig, type MachineOptions, resolveOptions } from "./options.js";
import * as pageType from "./page-type.js";
import { drainPcp } from "./pcp.js";
import * as ptdesc from "./ptdesc-state.js";
import * as refcount from "./refcount.js";
import type { Violation } from "./report.js";
import { Reporter } from "./reporter.js";
import { splitPageOp } from "./split.js";
import * as stats from "./stats.js";
import { dumpPageOf, snapshotOf, structPageViewOf } from "./views.js";
import { Zone } from "./zone.js";

export type { MachineStats } from "./stats.js";
export type { StructPageView } from "./views.js";

/** `(ctx, op, pfn, arg?)`: operations on a page; the binder checks `pfn`. */
const PAGE_OPS = {
  freeFrozenPages: free.freeFrozenPagesOp,
  freeCompoundOrder: free.freeCompoundOrderOp,
  putPage: free.putPageOp,
  splitPage: splitPageOp,
  getPage: refcount.getPageOp,
  pageRefFreeze: refcount.pageRefFreezeOp,
  pageRefUnfreeze: refcount.pageRefUnfreezeOp,
  setPageRefCount: refcount.setPageRefCountOp,
  setFlag: fields.setFlagOp,
  clearFlag: fields.clearFlagOp,
  setPrivate: fields.setPrivateOp,
  setMapping: fields.setMappingOp,
  setPageType: pageType.setPageTypeOp,
  clearPageType: pageType.clearPageTypeOp,
  setPageTypeOwnerBits: pageType.setPageTypeOwnerBitsOp,
  setPageMapcount: pageType.setPageMapcountOp,
  setMemdescKind: memdescWords.setMemdescKindOp,
  setMiscSubtype: memdescWords.setMiscSubtypeOp,
  setPtdescState: ptdesc.setPtdescStateOp,
  markStaleIotlb: iommu.markStaleIotlbOp,
  markPgtableReachable: iommu.markReachableOp,
  notePgtableRelease: iommu.noteReleaseOp,
} satisfies Table<(ctx: Ctx, op: string, pfn: number, arg: never) => unknown>;

/** `(memmap, pfn, arg?)`: one page's columns; the binder checks `pfn`. */
const COLUMN_READS = {
  compoundHead: memmap.compound_head_pfn,
  compoundOrder: memmap.compound_order,
  compoundNr: memmap.compound_nr,
  isHead: memmap.PageHead,
  isTail: memmap.PageTail,
  isCompound: memmap.PageCompound,
  flags: fields.pageFlags,
  testFlag: fields.testPageFlag,
  private: fields.pagePrivate,
  mapping: fields.pageMapping,
  pageRefCount: refcount.pageRefCount,
  pageCount: refcount.pageCount,
  pageTypeWord: pageType.pageTypeWord,
  pageType: pageType.pageTypeOf,
  testPageType: pageType.testPageType,
  pageTypeOwnerBits: pageType.pageTypeOwnerBits,
  pageMapcount: pageType.pageMapcount,
  pageState: stats.pageStateOf,
  isAllocated: stats.isAllocatedPage,
} satisfies Table<(memmap: MemMap, pfn: number, arg: never) => unknown>;

/** `(ctx, pfn, arg?)`: what a page is, read through the machine's context; the binder checks `pfn`. */
const PAGE_READS = {
  allocationOf: stats.allocationOfPfn,
  allocationOrder: stats.allocationOrderOf,
  allocationHead: stats.allocationHeadOf,
  ptdescState: ptdesc.ptdescStateOf,
  memdescKind: memdescWords.memdescKindOf,
  memdescWord: memdescWords.memdescWordOf,
  descriptorAddress: memdescWords.descriptorAddressOf,
  structPage: structPageViewOf,
  pgtableReachable: iommu.isReachable,
  isStaleIotlb: iommu.isStaleIotlb,
  snapshot: snapshotOf,
  dumpPage: dumpPageOf,
} satisfies Table<(ctx: Ctx, pfn: number, arg: never) => unknown>;

/** `(ctx, …)`: operations whose arguments are not a page (list nodes, list heads) or that take none. */
const CTX_CALLS = {
  allocFrozenPages: alloc.allocFrozenPagesOp,
  setLinkNext: listOps.setLinkNextOp,
  setLinkPrev: listOps.setLinkPrevOp,
  listAdd: listOps.listAddOp,
  listAddTail: listOps.listAddTailOp,
  listDel: listOps.listDelOp,
  iommuInvalidateAll: iommu.invalidateAllOp,
  report: reportKernelViolation,
  freeBlocks: stats.freeBlocksOf,
  freeList: stats.freeListOf,
  pcpLists: stats.pcpListsOf,
  buddyinfo: stats.buddyinfoOf,
  stats: stats.machineStats,
  bytes: stats.machineBytes,
  ledger: buildLedger,
  audit,
} satisfies Table<(ctx: Ctx, a: never, b: never, c: never, d: never) => unknown>;

/** `(memmap, ref)`: reads of a caller's lists, whose nodes are pfns (checked) or list heads (negative). */
const LIST_READS = {
  newListHead: listOps.newListHead,
  listNodes: listOps.listNodesOf,
  linkNext: lists.linkNext,
  linkPrev: lists.linkPrev,
  listEmpty: lists.listEmpty,
  listFirst: lists.listFirst,
} satisfies Table<(memmap: MemMap, ref: never) => unknown>;

type Table<Fn> = Record<string, Fn>;
/** A table's functions as methods: the same parameters (and names) after the first, the same result. */
type Methods<T> = {
  [Name in keyof T]: T[Name] extends (first: never, ...args: infer A) => infer R ? (...args: A) => R : never;
};

// Declaration merging: the tables' methods, typed from the tables and installed on
// Machine.prototype from the same tables by the static block below.
export interface Machine
  extends Methods<typeof PAGE_OPS>,
    Methods<typeof COLUMN_READS>,
    Methods<typeof PAGE_READS>,
    Methods<typeof CTX_CALLS>,
    Methods<typeof LIST_READS> {}

export class Machine implements MachinePort {
  readonly config: MachineConfig;
  private readonly zone: Zone;
  private readonly memmap: MemMap;
  private readonly reporter: Reporter;
  private readonly ctx: Ctx;
  private readonly initialBlocks: readonly stats.FreeBlock[];
  /** Order-0 traffic can take the pcp fast paths (there is an order-0 pcp list). */
  private readonly fast: boolean;
  private readonly check: boolean;
  private readonly hot: HotView;

  constructor(options: MachineOptions) {
    this.config = resolveOptions(options);
    const encoder = new MemdescEncoder(this.config.memdescTable);
    this.zone = new Zone(this.config.pages, encoder, this.config.pcp, this.config.trackAllocSites);
    this.memmap = this.zone.memmap;
    this.reporter = new Reporter(this.zone, this.config);
    this.ctx = new Ctx(this.zone, this.reporter, this.config);
    initFreeBlocks(this.zone);
    this.initialBlocks = stats.freeBlocksOf(this.ctx);
    this.fast = this.config.pcp !== null;
    this.check = this.config.debugVm;
    this.hot = this.memmap.hot;
  }

  static {
    const install = <Fn>(
      table: Table<Fn>,
      bind: (fn: Fn) => (this: Machine, ...args: never[]) => unknown,
    ) => {
      for (const [name, fn] of Object.entries(table)) {
        if (Object.hasOwn(Machine.prototype, name)) throw new Error(`Machine.${name} is bound twice`);
        const method = bind(fn);
        Object.defineProperty(method, "name", { value: name });
        Object.defineProperty(Machine.prototype, name, { value: method, writable: true, configurable: true });
      }
    };
    // Fixed parameters, no rest arguments: the tables' `satisfies` clauses bound how many there are.
    type AnyOp = (ctx: Ctx, op: string, pfn: number, arg: unknown) => unknown;
    type AnyRead<R> = (receiver: R, pfn: number, arg: unknown) => unknown;
    type AnyCall = (ctx: Ctx, a: unknown, b: unknown, c: unknown, d: unknown) => unknown;
    install(
      PAGE_OPS as Table<AnyOp>,
      (fn) =>
        function (this: Machine, op: string, pfn: number, arg: unknown) {
          checkPfn(this.memmap, pfn);
          return fn(this.ctx, op, pfn, arg);
        },
    );
    install(
      COLUMN_READS as Table<AnyRead<MemMap>>,
      (fn) =>
        function (this: Machine, pfn: number, arg: unknown) {
          checkPfn(this.memmap, pfn);
          return fn(this.memmap, pfn, arg);
        },
    );
    install(
      PAGE_READS as Table<AnyRead<Ctx>>,
      (fn) =>
        function (this: Machine, pfn: number, arg: unknown) {
          checkPfn(this.memmap, pfn);
          return fn(this.ctx, pfn, arg);
        },
    );
    install(
      CTX_CALLS as Table<AnyCall>,
      (fn) =>
        function (this: Machine, a: unknown, b: unknown, c: unknown, d: unknown) {
          return fn(this.ctx, a, b, c, d);
        },
    );
    install(
      LIST_READS as Table<(memmap: MemMap, ref: number) => unknown>,
      (fn) =>
        function (this: Machine, ref: number) {
          if (ref >= 0) checkPfn(this.memmap, ref);
          return fn(this.memmap, ref);
        },
    );
  }

  /** See MachinePort.allocPages; order 0 takes the pcp fast path (fast.ts) when it can. */
  allocPages(op: string, gfp: number, order: number, site?: string): number {
    if (order === 0 && this.fast) {
      const siteId = site === undefined ? 0 : siteIdOf(this.ctx, site);
      const pfn = allocOrder0Fast(this.zone, this.hot, this.check, 1, siteId);
      if (pfn >= 0) {
        if (this.zone.nrStaleIotlb !== 0) checkStaleIotlbAfterFastAlloc(this.ctx, op, pfn);
        return pfn;
      }
    }
    return allocPages(this.ctx, op, gfp, order, true, siteIdOf(this.ctx, site));
  }

  /** See MachinePort.freePages; order 0 takes the pcp fast path (fast.ts) when it can. */
  freePages(op: string, pfn: number, order: number): void {
    checkPfn(this.memmap, pfn);
    if (order === 0 && this.fast && freeOrder0Fast(this.zone, this.hot, this.check, pfn)) return;
    freePagesOp(this.ctx, op, pfn, order);
  }

  /** drain_all_pages(): every pcp page back to the buddy. */
  drainPcp(): void {
    drainPcp(this.zone);
  }

  /** See MachinePort.gfpMask (alloc.ts). */
  gfpMask(names: Iterable<string>): number {
    return alloc.gfpMaskOf(names);
  }

  get totalPages(): number {
    return this.memmap.n;
  }

  get nrPages(): number {
    return this.memmap.n;
  }

  /** The free blocks right after boot (every page free in maximal blocks). */
  get bootFreeBlocks(): readonly stats.FreeBlock[] {
    return this.initialBlocks;
  }

  /** Every violation reported so far (both modes). */
  get violations(): readonly Violation[] {
    return this.reporter.all;
  }

  /** The violations reported so far, removing them from the machine. */
  takeViolations(): Violation[] {
    return this.reporter.all.splice(0);
  }

  /**
   * The raw columns, unchecked: for tests and tools that need to put a page
   * in a state no kernel function would (a corrupted free page, say). Writes
   * bypass every rule and the memdesc bookkeeping.
   */
  unsafeMemMap(): MemMap {
    return this.memmap;
  }
}
