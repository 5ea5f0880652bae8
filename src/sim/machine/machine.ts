/**
 * The simulated machine: a memory map on typed arrays with the page
 * allocator of mm/page_alloc.c, the free-time checks of
 * __free_pages_prepare(), compound pages, page types, descriptor pools and
 * each page's final-stage memdesc word. Methods are camelCase and take pfns;
 * the kernel-named API (alloc_pages, __free_pages, page_folio, pagetable_alloc …)
 * is built on them (src/sim, the lead's layer).
 *
 * Every method that can find a violation either throws a
 * MachineViolationError at its end (onViolation "throw") or records it in
 * `violations` and goes on ("collect"); report.ts says what happens to the
 * operation in each case.
 */
import {
  MEMDESC_KIND_NAMES,
  type MemdescKindName,
  type MiscSubtype,
  PAGE_FLAG_MASK,
  type PageTypeName,
  PGTY,
  pageTypeInfo,
} from "../../model/index.js";
import type { KernelViolation, MachinePort, PtdescState } from "../kernel/port.js";
import { allocPages, checkStaleIotlb } from "./alloc.js";
import { audit } from "./audit.js";
import { initFreeBlocks } from "./buddy.js";
import {
  NR_PAGE_ORDERS,
  PAGE_TYPE_UNTYPED,
  PCP_ORDERS,
  PT_UNTYPED,
  REFCOUNT_IGNORED_TOP,
  S_ALLOC,
  S_HEAD,
  S_OWNER_MASK,
  S_OWNER_SHIFT,
  S_STALE_IOTLB,
  S_WHERE,
} from "./constants.js";
import { Ctx } from "./context.js";
import type { PoolStats } from "./descriptors.js";
import { allocOrder0Fast, freeOrder0Fast } from "./fast.js";
import { compoundOrder, freeCompoundOrderOp, freeFrozenPagesOp, freePagesOp, putPageOp } from "./free.js";
import * as gfp from "./gfp.js";
import * as iommu from "./iommu.js";
import { buildLedger, type Ledger } from "./ledger.js";
import { callerNode, checkListAdd, checkListDel, ListCorruptionError } from "./list-debug.js";
import * as lists from "./lists.js";
import { MemdescEncoder, MISC_SUBTYPE_UNKNOWN, miscSubtypeNumber } from "./memdesc.js";
import type { HotView, MemMap } from "./memmap.js";
import { compound_head_pfn, PageTail } from "./memmap.js";
import { type MachineConfig, type MachineOptions, resolveOptions } from "./options.js";
import { drainPcp } from "./pcp.js";
import { renderDump, type Violation } from "./report.js";
import { Reporter } from "./reporter.js";
import { type PageSnapshot, type PageStateName, pageStateName, snapshotPage } from "./snapshot.js";
import { splitPageOp } from "./split.js";
import { structPageWords } from "./struct-page.js";
import { Zone } from "./zone.js";

const PG_HEAD = PAGE_FLAG_MASK.PG_head;

/** The machine keeps flag bits 0..31 (the model's PG_* bits are 0..23). */
function bitOk(bit: number): void {
  if (!(bit >>> 0 === bit && bit < 32)) throw new RangeError(`flag bit ${bit} is not in 0..31`);
}

/** The condition __ClearPageX() asserts: PageX (PAGE_TYPE_OPS) or folio_test_x (FOLIO_TYPE_OPS). */
const testCond = (t: PageTypeName) => {
  const i = pageTypeInfo(t);
  return i.uname ? `!Page${i.uname}(page)` : `!folio_test_${i.fname}(folio)`;
};

export interface MachineStats {
  readonly totalPages: number;
  /** Free pages: in the buddy plus on the pcp lists. */
  readonly freePages: number;
  /** NR_FREE_PAGES: free pages in the buddy. */
  readonly buddyFreePages: number;
  /** pcp->count */
  readonly pcpPages: number;
  /** Pages not free: owned, orphaned, or leaked by bad_page(). free + allocated = total. */
  readonly allocatedPages: number;
  readonly orphanedPages: number;
  readonly leakedPages: number;
  /** /proc/buddyinfo: free blocks per order, 0..MAX_PAGE_ORDER. */
  readonly buddyinfo: readonly number[];
  readonly descriptors: readonly PoolStats[];
  /** Pages carrying the stale-IOTLB mark. */
  readonly staleIotlbPages: number;
}

/** The today view of one page: struct page's eight words and what they mean. */
export interface StructPageView {
  readonly pfn: number;
  readonly words: readonly bigint[];
  readonly flags: number;
  readonly refcount: number;
  readonly pageType: number;
  readonly private: number;
  readonly mapping: number;
  readonly compoundHead: number;
  readonly memdesc: bigint;
}

// ptdesc lifecycle in the machine's two owner-state bits (reset at allocation, so 0 is "none").
const PTDESC_STATES: readonly PtdescState[] = ["none", "allocated", "constructed", "destructed"];

/** The machine's numeric value of a base GFP flag, by its kernel name. */
function gfpValue(name: string): number {
  const v = (gfp as Record<string, unknown>)[name];
  if (typeof v !== "number")
    throw new TypeError(`GFP flag ${name} has no value in include/linux/gfp_types.h`);
  return v;
}

export class Machine implements MachinePort {
  readonly config: MachineConfig;
  private readonly z: Zone;
  private readonly r: Reporter;
  private readonly ctx: Ctx;
  private readonly initialBlocks: readonly { pfn: number; order: number }[];
  /** Order-0 traffic can take the pcp fast paths (there is an order-0 pcp list). */
  private readonly fast: boolean;
  private readonly check: boolean;
  private readonly pages: number;
  private readonly hot: HotView;

  constructor(options: MachineOptions) {
    this.config = resolveOptions(options);
    const enc = new MemdescEncoder(this.config.memdescTable);
    this.z = new Zone(this.config.pages, enc, this.config.pcp, this.config.trackAllocSites);
    this.r = new Reporter(this.z, this.config);
    this.ctx = new Ctx(this.z, this.r, this.config);
    initFreeBlocks(this.z);
    this.initialBlocks = this.freeBlocks();
    this.fast = this.config.pcp !== null;
    this.check = this.config.debugVm;
    this.pages = this.config.pages;
    this.hot = this.z.m.hot;
  }

  private pfnOk(pfn: number): void {
    // pfn < pages <= 2^30, so an integer pfn survives >>> 0 unchanged.
    if (!(pfn >>> 0 === pfn && pfn < this.pages)) {
      throw new RangeError(`pfn 0x${pfn.toString(16)} is not a page of this ${this.z.m.n}-page machine`);
    }
  }

  // --- the page allocator --------------------------------------------------

  /** __alloc_pages(gfp, order): the first pfn of the block with refcount 1, or -1 when out of memory. */
  allocPages(op: string, gfp: number, order: number, site?: string): number {
    if (order === 0 && this.fast) {
      const p = allocOrder0Fast(this.z, this.hot, this.check, 1, site === undefined ? 0 : this.siteId(site));
      if (p >= 0) {
        if (this.z.nrStaleIotlb !== 0) this.staleCheckAfterFastAlloc(op, p);
        return p;
      }
    }
    return allocPages(this.ctx, op, gfp, order, true, this.siteId(site));
  }

  /** The MD017 check the general path runs, for a page the fast path handed out. */
  private staleCheckAfterFastAlloc(op: string, p: number): void {
    if (!this.config.iommuSva || (this.z.m.state[p]! & S_STALE_IOTLB) === 0) return;
    checkStaleIotlb(this.ctx, op, p, 0);
    this.r.flush(p);
  }

  /** __alloc_frozen_pages(gfp, order): as allocPages, refcount 0 (slab allocates this way). */
  allocFrozenPages(op: string, gfp: number, order: number, site?: string): number {
    return allocPages(this.ctx, op, gfp, order, false, this.siteId(site));
  }

  private siteId(site: string | undefined): number {
    return site !== undefined && this.z.m.site ? this.r.siteId(site) : 0;
  }

  /** __free_pages(page, order), including the non-compound "first page still referenced" case. */
  freePages(op: string, pfn: number, order: number): void {
    this.pfnOk(pfn);
    if (order === 0 && this.fast && freeOrder0Fast(this.z, this.hot, this.check, pfn)) return;
    freePagesOp(this.ctx, op, pfn, order);
  }

  /** free_frozen_pages(page, order): free a block whose refcount is already 0. */
  freeFrozenPages(op: string, pfn: number, order: number): void {
    this.pfnOk(pfn);
    freeFrozenPagesOp(this.ctx, op, pfn, order);
  }

  /**
   * __free_pages(page, compound_order(page)): what __pagetable_free() and
   * other compound-trusting paths do. On a non-compound block of order > 0
   * it frees the first page only (MD009).
   */
  freeCompoundOrder(op: string, pfn: number): void {
    this.pfnOk(pfn);
    freeCompoundOrderOp(this.ctx, op, pfn);
  }

  /** get_page(page): folio_get(page_folio(page)); ignored on slab and large-kmalloc pages, as the kernel WARNs and returns. */
  getPage(op: string, pfn: number): void {
    this.pfnOk(pfn);
    const m = this.z.m;
    const head = this.compoundHead(pfn);
    if (!this.ctx.checkLive(op, head)) return;
    const top = m.pageType[head]! >>> 24;
    if (REFCOUNT_IGNORED_TOP[top] === 1) return;
    const r = m.refcount[head]!;
    // folio_ref_zero_or_close_to_overflow(): (unsigned)count + 127 <= 127.
    if (this.config.debugVm && (r + 127) >>> 0 <= 127) {
      this.ctx.bug(
        "MD015",
        op,
        head,
        "folio_ref_zero_or_close_to_overflow(folio)",
        `pfn 0x${head.toString(16)} has refcount ${r}: get_page() needs a reference already held`,
        "include/linux/mm.h",
      );
      return;
    }
    m.refcount[head] = r + 1;
  }

  /** put_page(page): the last reference frees folio_order() pages (MD009 for a non-compound block). */
  putPage(op: string, pfn: number): void {
    this.pfnOk(pfn);
    putPageOp(this.ctx, op, pfn);
  }

  /** page_ref_count(page): this page's own _refcount. */
  pageRefCount(pfn: number): number {
    this.pfnOk(pfn);
    return this.z.m.refcount[pfn]!;
  }

  /** page_count(page): folio_ref_count(page_folio(page)). */
  pageCount(pfn: number): number {
    return this.pageRefCount(this.compoundHead(pfn));
  }

  /** page_ref_freeze(page, count): refcount count → 0 if it is count. */
  pageRefFreeze(op: string, pfn: number, count: number): boolean {
    this.pfnOk(pfn);
    if (!this.ctx.checkLive(op, pfn)) return false;
    const m = this.z.m;
    if (m.refcount[pfn] !== count) return false;
    m.refcount[pfn] = 0;
    return true;
  }

  /** set_page_count(page, v): this page's own _refcount becomes v (include/linux/page_ref.h). */
  setPageRefCount(op: string, pfn: number, count: number): void {
    this.pfnOk(pfn);
    if (!this.ctx.checkLive(op, pfn)) return;
    this.z.m.refcount[pfn] = count;
  }

  /** page_ref_unfreeze(page, count) */
  pageRefUnfreeze(op: string, pfn: number, count: number): void {
    this.pfnOk(pfn);
    if (!this.ctx.checkLive(op, pfn)) return;
    this.z.m.refcount[pfn] = count;
  }

  /** split_page(page, order): a non-compound block becomes 2^order order-0 allocations. */
  splitPage(op: string, pfn: number, order: number): void {
    this.pfnOk(pfn);
    splitPageOp(this.ctx, op, pfn, order);
  }

  /** drain_all_pages(): every pcp page back to the buddy. */
  drainPcp(): void {
    drainPcp(this.z);
  }

  // --- compound pages ---------------------------------------------------------

  /** compound_head(page): one read of word 1. */
  compoundHead(pfn: number): number {
    this.pfnOk(pfn);
    return compound_head_pfn(this.z.m, pfn);
  }

  /** compound_order(page): 0 unless PageHead; the folio order in page[1]'s low flag byte. */
  compoundOrder(pfn: number): number {
    this.pfnOk(pfn);
    return compoundOrder(this.ctx, pfn);
  }

  /** compound_nr(page) */
  compoundNr(pfn: number): number {
    return 1 << this.compoundOrder(pfn);
  }

  /** PageHead(page) */
  isHead(pfn: number): boolean {
    this.pfnOk(pfn);
    return (this.z.m.flags[pfn]! & PG_HEAD) !== 0;
  }

  /** PageTail(page) */
  isTail(pfn: number): boolean {
    this.pfnOk(pfn);
    return PageTail(this.z.m, pfn);
  }

  /** PageCompound(page) */
  isCompound(pfn: number): boolean {
    return this.isHead(pfn) || this.isTail(pfn);
  }

  // --- page flags (raw bits; the PF_* policies are the caller's) ---------------

  flags(pfn: number): number {
    this.pfnOk(pfn);
    return this.z.m.flags[pfn]!;
  }

  testFlag(pfn: number, bit: number): boolean {
    this.pfnOk(pfn);
    bitOk(bit);
    return ((this.z.m.flags[pfn]! >>> bit) & 1) === 1;
  }

  setFlag(op: string, pfn: number, bit: number): void {
    this.pfnOk(pfn);
    bitOk(bit);
    if (!this.ctx.checkLive(op, pfn)) return;
    this.z.m.flags[pfn] = (this.z.m.flags[pfn]! | (1 << bit)) >>> 0;
  }

  clearFlag(op: string, pfn: number, bit: number): void {
    this.pfnOk(pfn);
    bitOk(bit);
    if (!this.ctx.checkLive(op, pfn)) return;
    this.z.m.flags[pfn] = (this.z.m.flags[pfn]! & ~(1 << bit)) >>> 0;
  }

  // --- page_type / _mapcount ----------------------------------------------------

  /** The raw page_type word (top-byte PGTY encoding). */
  pageTypeWord(pfn: number): number {
    this.pfnOk(pfn);
    return this.z.m.pageType[pfn]! >>> 0;
  }

  /** The page type the word names, or null (untyped, or a mapcount). */
  pageType(pfn: number): PageTypeName | null {
    const top = this.pageTypeWord(pfn) >>> 24;
    for (const [name, v] of Object.entries(PGTY)) {
      if (v === top && name !== "PGTY_mapcount_underflow") return name.slice(5) as PageTypeName;
    }
    return null;
  }

  /** PageX(page): (page_type >> 24) == PGTY_x. */
  testPageType(pfn: number, type: PageTypeName): boolean {
    return this.pageTypeWord(pfn) >>> 24 === pageTypeInfo(type).pgty;
  }

  /**
   * __SetPageX(page): no-op if already X; VM_BUG_ON_PAGE(page_type != UINT_MAX)
   * with debugVm (MD003, stopped); without, the type is overwritten, as the
   * kernel does.
   */
  setPageType(op: string, pfn: number, type: PageTypeName): void {
    this.pfnOk(pfn);
    if (!this.ctx.checkLive(op, pfn)) return;
    const m = this.z.m;
    const pgty = pageTypeInfo(type).pgty;
    const word = m.pageType[pfn]! >>> 0;
    if (word >>> 24 === pgty) return;
    if (word !== PAGE_TYPE_UNTYPED && this.config.debugVm) {
      const have = this.pageType(pfn);
      this.ctx.bug(
        "MD003",
        op,
        pfn,
        "data_race(page->page_type) != UINT_MAX",
        `pfn 0x${pfn.toString(16)} already has ${have ? `page type ${have}` : `page_type 0x${word.toString(16)}`}; a page has one type at a time`,
        "include/linux/page-flags.h",
        { expected: "page_type UINT_MAX", got: have ?? `0x${word.toString(16)}` },
      );
      return;
    }
    m.pageType[pfn] = pgty << 24;
  }

  /**
   * __ClearPageX(page): no-op if untyped; VM_BUG_ON_PAGE(!PageX(page)) with
   * debugVm (MD004, stopped); without, whatever is there is cleared.
   */
  clearPageType(op: string, pfn: number, type: PageTypeName): void {
    this.pfnOk(pfn);
    if (!this.ctx.checkLive(op, pfn)) return;
    const m = this.z.m;
    const word = m.pageType[pfn]! >>> 0;
    if (word === PAGE_TYPE_UNTYPED) return;
    if (word >>> 24 !== pageTypeInfo(type).pgty && this.config.debugVm) {
      const have = this.pageType(pfn);
      this.ctx.bug(
        "MD004",
        op,
        pfn,
        testCond(type),
        `pfn 0x${pfn.toString(16)} has ${have ? `page type ${have}` : `page_type 0x${word.toString(16)}`}, not ${type}`,
        "include/linux/page-flags.h",
        { expected: type, got: have ?? `0x${word.toString(16)}` },
      );
      return;
    }
    m.pageType[pfn] = PT_UNTYPED;
  }

  /** The low 24 bits of a typed page's page_type, which the owner may use. */
  pageTypeOwnerBits(pfn: number): number {
    return this.pageTypeWord(pfn) & 0xff_ffff;
  }

  setPageTypeOwnerBits(op: string, pfn: number, value: number): void {
    this.pfnOk(pfn);
    if (!this.ctx.checkLive(op, pfn)) return;
    if (!Number.isInteger(value) || value < 0 || value > 0xff_ffff)
      throw new RangeError(`owner bits ${value} do not fit in 24 bits`);
    const m = this.z.m;
    m.pageType[pfn] = (m.pageType[pfn]! & 0xff00_0000) | value;
  }

  /** atomic_read(&page->_mapcount): -1 for an unmapped, untyped page. */
  pageMapcount(pfn: number): number {
    return this.pageTypeWord(pfn) | 0;
  }

  /** atomic_set(&page->_mapcount, v) */
  setPageMapcount(op: string, pfn: number, v: number): void {
    this.pfnOk(pfn);
    if (!this.ctx.checkLive(op, pfn)) return;
    this.z.m.pageType[pfn] = v | 0;
  }

  // --- private, mapping ---------------------------------------------------------

  private(pfn: number): number {
    this.pfnOk(pfn);
    return this.z.m.priv[pfn]!;
  }

  /** set_page_private(page, v); the machine keeps 32 bits. */
  setPrivate(op: string, pfn: number, v: number): void {
    this.pfnOk(pfn);
    if (!Number.isInteger(v) || v < 0 || v > 0xffff_ffff)
      throw new RangeError(`private ${v} does not fit the machine's 32-bit private`);
    if (!this.ctx.checkLive(op, pfn)) return;
    this.z.m.priv[pfn] = v;
  }

  /**
   * The mapping column: MAPPING_NULL, TAIL_MAPPING, an owner value from
   * mappingOf(), or one of the values prep_compound_head() leaves on the
   * first two tails (>= MAPPING_RESERVED_MIN).
   */
  mapping(pfn: number): number {
    this.pfnOk(pfn);
    return this.z.m.mapping[pfn]!;
  }

  setMapping(op: string, pfn: number, v: number): void {
    this.pfnOk(pfn);
    if (!Number.isInteger(v) || v < 0 || v > 0xffff_ffff)
      throw new RangeError(`mapping ${v} does not fit in 32 bits`);
    if (!this.ctx.checkLive(op, pfn)) return;
    this.z.m.mapping[pfn] = v;
  }

  // --- words 1 and 2: the list_head every owner overlays --------------------------

  /** A new list head that is not a page (INIT_LIST_HEAD); list nodes are pfns or such heads. */
  newListHead(): number {
    return this.z.m.newListHead();
  }

  /** Word 1 of a page (lru.next, or compound_info on a tail page), or a list head's next. */
  linkNext(ref: number): number {
    return lists.linkNext(this.z.m, ref);
  }

  linkPrev(ref: number): number {
    return lists.linkPrev(this.z.m, ref);
  }

  setLinkNext(op: string, ref: number, v: number): void {
    if (ref >= 0 && !this.ctx.checkLive(op, ref)) return;
    lists.setLinkNext(this.z.m, ref, v);
  }

  setLinkPrev(op: string, ref: number, v: number): void {
    if (ref >= 0 && !this.ctx.checkLive(op, ref)) return;
    lists.setLinkPrev(this.z.m, ref, v);
  }

  /**
   * list_add(&page->lru, head) over words 1/2. On a tail page this
   * overwrites compound_info, as in the kernel. CONFIG_DEBUG_LIST checks
   * run first (list-debug.ts): only the caller's allocated pages and its own
   * list heads may be linked.
   */
  listAdd(op: string, entry: number, head: number): void {
    if (entry >= 0 && !this.ctx.checkLive(op, entry)) return;
    const m = this.z.m;
    if (!callerNode(m, head)) throw new ListCorruptionError(`${op}: ${head} is not a list the caller owns`);
    checkListAdd(m, entry, head, lists.linkNext(m, head));
    lists.listAdd(m, entry, head);
  }

  listAddTail(op: string, entry: number, head: number): void {
    if (entry >= 0 && !this.ctx.checkLive(op, entry)) return;
    const m = this.z.m;
    if (!callerNode(m, head)) throw new ListCorruptionError(`${op}: ${head} is not a list the caller owns`);
    checkListAdd(m, entry, lists.linkPrev(m, head), head);
    lists.listAddTail(m, entry, head);
  }

  /** list_del(&page->lru): unlinks and poisons, after the CONFIG_DEBUG_LIST checks. */
  listDel(op: string, entry: number): void {
    if (entry >= 0 && !this.ctx.checkLive(op, entry)) return;
    checkListDel(this.z.m, entry);
    lists.listDel(this.z.m, entry);
  }

  listEmpty(head: number): boolean {
    return lists.listEmpty(this.z.m, head);
  }

  /** The first node of a list, or -1. */
  listFirst(head: number): number {
    return lists.listFirst(this.z.m, head);
  }

  listNodes(head: number): number[] {
    return lists.listNodes(this.z.m, head, this.z.m.n + 1);
  }

  // --- the caller's lifecycle bits ----------------------------------------------------

  /** A ptdesc's lifecycle (allocated → constructed → destructed), in two state bits per page. Reset at allocation. */
  ptdescState(pfn: number): PtdescState {
    this.pfnOk(pfn);
    return PTDESC_STATES[(this.z.m.state[pfn]! & S_OWNER_MASK) >>> S_OWNER_SHIFT]!;
  }

  setPtdescState(op: string, pfn: number, state: PtdescState): void {
    this.pfnOk(pfn);
    const v = PTDESC_STATES.indexOf(state);
    if (v < 0) throw new RangeError(`ptdesc state ${state} is not one of ${PTDESC_STATES.join(", ")}`);
    if (!this.ctx.checkLive(op, pfn)) return;
    const m = this.z.m;
    m.state[pfn] = (m.state[pfn]! & ~S_OWNER_MASK) | (v << S_OWNER_SHIFT);
  }

  // --- memdesc words and descriptors ------------------------------------------------------

  /**
   * Say what the allocation starting at `head` now is: a descriptor kind
   * ("folio", "ptdesc", "slab", "zpdesc" …) gets a descriptor from its pool
   * and every page of the allocation points at it; "misc" goes back to a
   * plain block (Misc "unknown"). A previous descriptor goes back to its pool.
   */
  setMemdescKind(op: string, head: number, kind: MemdescKindName): void {
    this.pfnOk(head);
    // The table's payload column says how the word is made, not the kind's name.
    const payload = this.z.enc.payloadOfKind(kind);
    if (payload === "buddy")
      throw new Error(`${kind} words belong to the page allocator; free the block instead`);
    if (!this.checkAllocationHead(op, head)) return;
    const z = this.z;
    const m = z.m;
    const order = m.order[head]!;
    this.ctx.releaseDescriptor(head);
    if (payload !== null && payload !== "pointer" && payload !== "none") {
      this.ctx.fillWord(head, 1 << order, z.enc.miscLo(MISC_SUBTYPE_UNKNOWN, order), 0);
      return;
    }
    const type = z.enc.pointerTypeOf(kind);
    const k = MEMDESC_KIND_NAMES.indexOf(kind);
    const slot = z.pools.alloc(k);
    this.ctx.fillWord(head, 1 << order, (z.pools.addrLo(k, slot) | type) >>> 0, z.pools.addrHi(k));
  }

  /** Make the allocation at `head` a Misc block of another subtype (vmalloc, kmalloc_large, reserved …). */
  setMiscSubtype(op: string, head: number, subtype: MiscSubtype | number): void {
    this.pfnOk(head);
    const n = miscSubtypeNumber(subtype);
    if (!this.checkAllocationHead(op, head)) return;
    const order = this.z.m.order[head]!;
    this.ctx.releaseDescriptor(head);
    this.ctx.fillWord(head, 1 << order, this.z.enc.miscLo(n, order), 0);
  }

  private checkAllocationHead(op: string, head: number): boolean {
    if (!this.ctx.checkLive(op, head)) return false;
    if ((this.z.m.state[head]! & S_HEAD) !== 0) return true;
    const h = this.ctx.allocationHead(head);
    this.ctx.bug(
      "MD006",
      op,
      head,
      "not the first page of the allocation",
      `pfn 0x${head.toString(16)} is inside the allocation at 0x${h.toString(16)}; a memdesc describes a whole allocation`,
      "include/linux/mm_types.h",
      { expected: `pfn 0x${h.toString(16)}`, got: `pfn 0x${head.toString(16)}` },
    );
    return false;
  }

  /** The memdesc kind a page's word names (null for a type the table leaves unassigned). */
  memdescKind(pfn: number): MemdescKindName | null {
    this.pfnOk(pfn);
    return this.z.enc.kindNameOfWord(this.z.m.md[2 * pfn]!);
  }

  /** The page's 8-byte memdesc word. */
  memdescWord(pfn: number): bigint {
    this.pfnOk(pfn);
    const md = this.z.m.md;
    return (BigInt(md[2 * pfn + 1]!) << 32n) | BigInt(md[2 * pfn]!);
  }

  /** The descriptor address the page's word points at, or null for inline words. */
  descriptorAddress(pfn: number): bigint | null {
    this.pfnOk(pfn);
    const lo = this.z.m.md[2 * pfn]!;
    return this.z.enc.pointerType[lo & 0xf] === 1 ? this.memdescWord(pfn) & ~0xfn : null;
  }

  /** Today's view of the page: struct page's eight words. */
  structPage(pfn: number): StructPageView {
    this.pfnOk(pfn);
    const m = this.z.m;
    const head = this.compoundHead(pfn);
    const second = pfn === head + 1 && head !== pfn && (m.flags[head]! & PG_HEAD) !== 0;
    return {
      pfn,
      words: structPageWords(m, pfn, this.config.pageTypeEra, second),
      flags: m.flags[pfn]!,
      refcount: m.refcount[pfn]!,
      pageType: m.pageType[pfn]! >>> 0,
      private: m.priv[pfn]!,
      mapping: m.mapping[pfn]!,
      compoundHead: head,
      memdesc: this.memdescWord(pfn),
    };
  }

  // --- the IOMMU hazard ----------------------------------------------------------------

  /** Mark pages as freed kernel page tables no IOMMU invalidation has covered yet (MD017 if handed out with iommuSva). */
  markStaleIotlb(_op: string, pfn: number, nrPages: number): void {
    this.pfnOk(pfn);
    if (nrPages > 0) this.pfnOk(pfn + nrPages - 1);
    iommu.markStale(this.ctx, pfn, nrPages);
  }

  /** See MachinePort.markPgtableReachable: marks every page of the allocation containing `pfn`. */
  markPgtableReachable(op: string, pfn: number): void {
    this.pfnOk(pfn);
    if (this.ctx.checkLive(op, pfn)) iommu.markReachable(this.ctx, pfn);
  }

  /** See MachinePort.notePgtableRelease (the first release counts). */
  notePgtableRelease(_op: string, pfn: number): void {
    this.pfnOk(pfn);
    iommu.noteRelease(this.ctx, pfn);
  }

  /** Whether the page table containing `pfn` may be reachable (false: provably never installed). */
  pgtableReachable(pfn: number): boolean {
    this.pfnOk(pfn);
    return iommu.isReachable(this.ctx, pfn);
  }

  /** iommu_sva_invalidate_kva_range(PAGE_OFFSET, TLB_FLUSH_ALL): clears every mark. */
  iommuInvalidateAll(_op: string): void {
    iommu.invalidateAll(this.ctx);
  }

  isStaleIotlb(pfn: number): boolean {
    this.pfnOk(pfn);
    return (this.z.m.state[pfn]! & S_STALE_IOTLB) !== 0;
  }

  // --- state, counters, reports ---------------------------------------------------------

  get totalPages(): number {
    return this.z.m.n;
  }

  get nrPages(): number {
    return this.z.m.n;
  }

  /** Where a page is: "buddy", "pcp", "allocated", "orphan" (MD018) or "leaked" (bad_page). */
  pageState(pfn: number): PageStateName {
    this.pfnOk(pfn);
    return pageStateName(this.z.m.state[pfn]!);
  }

  /** Allocated and owned (not free, not orphaned, not leaked). */
  isAllocated(pfn: number): boolean {
    return this.pageState(pfn) === "allocated";
  }

  /** The allocation pfn belongs to: its first page, order and compound-ness, or null. */
  allocationOf(
    pfn: number,
  ): { readonly head: number; readonly order: number; readonly compound: boolean } | null {
    this.pfnOk(pfn);
    const m = this.z.m;
    if ((m.state[pfn]! & S_WHERE) !== S_ALLOC) return null;
    const head = this.ctx.allocationHead(pfn);
    if (head < 0) return null;
    return { head, order: m.order[head]!, compound: (m.flags[head]! & PG_HEAD) !== 0 };
  }

  allocationOrder(pfn: number): number {
    return this.allocationOf(pfn)?.order ?? -1;
  }

  allocationHead(pfn: number): number {
    return this.allocationOf(pfn)?.head ?? -1;
  }

  /** The machine's GFP bits for base flag names (include/linux/gfp_types.h). */
  gfpMask(names: Iterable<string>): number {
    let mask = 0;
    for (const n of names) mask |= gfpValue(n);
    return mask;
  }

  /** The free blocks on the buddy lists, lowest pfn first. */
  freeBlocks(): { pfn: number; order: number }[] {
    const out: { pfn: number; order: number }[] = [];
    for (let o = 0; o < NR_PAGE_ORDERS; o++) {
      for (const pfn of lists.listNodes(this.z.m, this.z.freeHead[o]!)) out.push({ pfn, order: o });
    }
    return out.sort((a, b) => a.pfn - b.pfn);
  }

  /** free_area[order]'s list in list order: the first entry is the next one __rmqueue_smallest() takes. */
  freeList(order: number): number[] {
    return lists.listNodes(this.z.m, this.z.freeHead[order]!);
  }

  /** The free blocks right after boot (every page free in maximal blocks). */
  get bootFreeBlocks(): readonly { pfn: number; order: number }[] {
    return this.initialBlocks;
  }

  /** Blocks on each pcp list, by order. */
  pcpLists(): { order: number; pfns: number[] }[] {
    return PCP_ORDERS.map((order, i) => ({ order, pfns: lists.listNodes(this.z.m, this.z.pcpHead[i]!) }));
  }

  /** /proc/buddyinfo for the one zone: free blocks per order. */
  buddyinfo(): number[] {
    return Array.from(this.z.nrFree);
  }

  stats(): MachineStats {
    const z = this.z;
    const free = z.nrFreeBuddyPages + z.pcpCount;
    let orphaned = 0;
    for (const e of this.ctx.orphanEvents) {
      for (let p = e.from; p < e.to; p++) if (this.pageState(p) === "orphan") orphaned++;
    }
    return {
      totalPages: z.m.n,
      freePages: free,
      buddyFreePages: z.nrFreeBuddyPages,
      pcpPages: z.pcpCount,
      allocatedPages: z.nrAllocPages + z.nrLeakedPages,
      orphanedPages: orphaned,
      leakedPages: z.nrLeakedPages,
      buddyinfo: this.buddyinfo(),
      descriptors: z.pools.stats(),
      staleIotlbPages: z.nrStaleIotlb,
    };
  }

  /** Every violation reported so far (both modes). */
  get violations(): readonly Violation[] {
    return this.r.all;
  }

  /** The violations reported so far, removing them from the machine. */
  takeViolations(): Violation[] {
    return this.r.all.splice(0);
  }

  /** A snapshot of a page as reports carry it. */
  snapshot(pfn: number): PageSnapshot {
    this.pfnOk(pfn);
    return snapshotPage(this.z, this.config.pageTypeEra, pfn);
  }

  /** dump_page(page, reason) as text. */
  dumpPage(pfn: number, reason: string | null = null): string {
    this.pfnOk(pfn);
    const view = this.r.dumpView(pfn);
    return renderDump(view.page, view.folio, reason, view.unfaithful === true);
  }

  /**
   * A violation found by the kernel-named layer (a descriptor conversion, the ptdesc lifecycle, a
   * use after free it detects before calling the machine): recorded and rendered like the
   * machine's own, thrown or collected as configured. The operation itself went ahead.
   */
  report(v: KernelViolation): void {
    this.pfnOk(v.pfn);
    this.r.report({
      ...v,
      // The kernel layer's messages carry "MD### op: "; the report adds it itself.
      message: v.message.replace(/^MD\d{3} [^:]+: /, ""),
      where: "memdesc kernel API (src/sim/kernel)",
      kernelReport: "none",
      outcome: "performed",
    });
    this.r.flush();
  }

  /** The leak ledger: allocations never freed, orphaned tails, leaked blocks. */
  ledger(): Ledger {
    return buildLedger(this.ctx, this.r.siteNames);
  }

  /** A full consistency audit of the machine's own state; [] when sound. O(pages). */
  audit(): string[] {
    return audit(this.ctx);
  }

  /** Typed-array bytes the machine holds (memory map, list heads, pool bookkeeping). */
  bytes(): number {
    return this.z.m.bytes() + this.z.pools.bytes() + this.ctx.stale.byteLength;
  }

  /**
   * The raw columns, unchecked: for tests and tools that need to put a page
   * in a state no kernel function would (a corrupted free page, say). Writes
   * bypass every rule and the memdesc bookkeeping.
   */
  unsafeMemMap(): MemMap {
    return this.z.m;
  }
}
