/**
 * The simulated machine: a memory map on typed arrays with the page
 * allocator of mm/page_alloc.c, the free-time checks of
 * __free_pages_prepare(), compound pages, page types, descriptor pools and
 * each page's final-stage memdesc word. It implements the kernel layer's
 * MachinePort (src/sim/kernel/port.ts) directly; each method checks its pfn
 * and delegates to the sibling module that owns the concept:
 *
 *   alloc.ts, fast.ts, buddy.ts, pcp.ts   allocation, the order-0 fast paths, the free lists
 *   free.ts, split.ts                     the free paths and their one prepare step, split_page()
 *   refcount.ts                           get_page(), page_ref_freeze()/unfreeze()
 *   fields.ts, page-type.ts               flags, private, mapping; page_type and _mapcount
 *   list-ops.ts                           words 1 and 2 as every owner's list_head
 *   memdesc-words.ts, ptdesc-state.ts     memdesc words and descriptors; the ptdesc lifecycle
 *   iommu.ts                              the IOMMU hazard (MD017)
 *   stats.ts, views.ts, ledger.ts, audit.ts   counters, today's view, the leak ledger, self-check
 *
 * Every method that can find a violation either throws a
 * MachineViolationError at its end (onViolation "throw") or records it in
 * `violations` and goes on ("collect"); report.ts says what happens to the
 * operation in each case.
 */
import type { MemdescKindName, MiscSubtype, PageTypeName } from "../../model/index.js";
import { PAGE_FLAG_MASK, pageTypeInfo } from "../../model/index.js";
import type { KernelViolation, MachinePort, PtdescState } from "../kernel/port.js";
import { allocPages, checkStaleIotlbAfterFastAlloc, gfpMaskOf } from "./alloc.js";
import { audit } from "./audit.js";
import { initFreeBlocks } from "./buddy.js";
import { S_STALE_IOTLB } from "./constants.js";
import { Ctx, reportKernelViolation } from "./context.js";
import { allocOrder0Fast, freeOrder0Fast } from "./fast.js";
import { checkFlagBit, clearFlagOp, setFlagOp, setMappingOp, setPrivateOp } from "./fields.js";
import { compoundOrder, freeCompoundOrderOp, freeFrozenPagesOp, freePagesOp, putPageOp } from "./free.js";
import * as iommu from "./iommu.js";
import { buildLedger, type Ledger } from "./ledger.js";
import { listAddOp, listAddTailOp, listDelOp, setLinkNextOp, setLinkPrevOp } from "./list-ops.js";
import * as lists from "./lists.js";
import { MemdescEncoder } from "./memdesc.js";
import { descriptorAddressOf, memdescWordOf, setMemdescKindOp, setMiscSubtypeOp } from "./memdesc-words.js";
import type { HotView, MemMap } from "./memmap.js";
import { compound_head_pfn, PageTail, readULong } from "./memmap.js";
import { type MachineConfig, type MachineOptions, resolveOptions } from "./options.js";
import {
  clearPageTypeOp,
  pageTypeOfWord,
  setPageMapcountOp,
  setPageTypeOp,
  setPageTypeOwnerBitsOp,
} from "./page-type.js";
import { drainPcp } from "./pcp.js";
import { ptdescStateOf, setPtdescStateOp } from "./ptdesc-state.js";
import { getPageOp, pageRefFreezeOp, pageRefUnfreezeOp } from "./refcount.js";
import { renderDump, type Violation } from "./report.js";
import { Reporter } from "./reporter.js";
import { type PageSnapshot, type PageStateName, pageStateName, snapshotPage } from "./snapshot.js";
import { splitPageOp } from "./split.js";
import {
  type AllocationInfo,
  allocationOfPfn,
  type FreeBlock,
  freeBlocksOf,
  type MachineStats,
  machineStats,
  pcpListsOf,
} from "./stats.js";
import { type StructPageView, structPageViewOf } from "./views.js";
import { Zone } from "./zone.js";

export type { MachineStats } from "./stats.js";
export type { StructPageView } from "./views.js";

const PG_HEAD = PAGE_FLAG_MASK.PG_head;

export class Machine implements MachinePort {
  readonly config: MachineConfig;
  private readonly zone: Zone;
  private readonly reporter: Reporter;
  private readonly ctx: Ctx;
  private readonly initialBlocks: readonly FreeBlock[];
  /** Order-0 traffic can take the pcp fast paths (there is an order-0 pcp list). */
  private readonly fast: boolean;
  private readonly check: boolean;
  private readonly pages: number;
  private readonly hot: HotView;

  constructor(options: MachineOptions) {
    this.config = resolveOptions(options);
    const encoder = new MemdescEncoder(this.config.memdescTable);
    this.zone = new Zone(this.config.pages, encoder, this.config.pcp, this.config.trackAllocSites);
    this.reporter = new Reporter(this.zone, this.config);
    this.ctx = new Ctx(this.zone, this.reporter, this.config);
    initFreeBlocks(this.zone);
    this.initialBlocks = this.freeBlocks();
    this.fast = this.config.pcp !== null;
    this.check = this.config.debugVm;
    this.pages = this.config.pages;
    this.hot = this.zone.memmap.hot;
  }

  private pfnOk(pfn: number): void {
    // pfn < pages <= 2^30, so an integer pfn survives >>> 0 unchanged.
    if (!(pfn >>> 0 === pfn && pfn < this.pages)) {
      throw new RangeError(
        `pfn 0x${pfn.toString(16)} is not a page of this ${this.zone.memmap.n}-page machine`,
      );
    }
  }

  private siteId(site: string | undefined): number {
    return site !== undefined && this.zone.memmap.site ? this.reporter.siteId(site) : 0;
  }

  // --- the page allocator --------------------------------------------------

  /** __alloc_pages(gfp, order): the first pfn of the block with refcount 1, or -1 when out of memory. */
  allocPages(op: string, gfp: number, order: number, site?: string): number {
    if (order === 0 && this.fast) {
      const siteId = site === undefined ? 0 : this.siteId(site);
      const pfn = allocOrder0Fast(this.zone, this.hot, this.check, 1, siteId);
      if (pfn >= 0) {
        if (this.zone.nrStaleIotlb !== 0) checkStaleIotlbAfterFastAlloc(this.ctx, op, pfn);
        return pfn;
      }
    }
    return allocPages(this.ctx, op, gfp, order, true, this.siteId(site));
  }

  /** __alloc_frozen_pages(gfp, order): as allocPages, refcount 0 (slab allocates this way). */
  allocFrozenPages(op: string, gfp: number, order: number, site?: string): number {
    return allocPages(this.ctx, op, gfp, order, false, this.siteId(site));
  }

  /** __free_pages(page, order), including the non-compound "first page still referenced" case. */
  freePages(op: string, pfn: number, order: number): void {
    this.pfnOk(pfn);
    if (order === 0 && this.fast && freeOrder0Fast(this.zone, this.hot, this.check, pfn)) return;
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

  /** split_page(page, order): a non-compound block becomes 2^order order-0 allocations. */
  splitPage(op: string, pfn: number, order: number): void {
    this.pfnOk(pfn);
    splitPageOp(this.ctx, op, pfn, order);
  }

  /** drain_all_pages(): every pcp page back to the buddy. */
  drainPcp(): void {
    drainPcp(this.zone);
  }

  /** The machine's GFP bits for base flag names (include/linux/gfp_types.h). */
  gfpMask(names: Iterable<string>): number {
    return gfpMaskOf(names);
  }

  // --- reference counts --------------------------------------------------------

  /** get_page(page): folio_get(page_folio(page)); ignored on slab and large-kmalloc pages, as the kernel WARNs and returns. */
  getPage(op: string, pfn: number): void {
    this.pfnOk(pfn);
    getPageOp(this.ctx, op, pfn);
  }

  /** put_page(page): the last reference frees folio_order() pages (MD009 for a non-compound block). */
  putPage(op: string, pfn: number): void {
    this.pfnOk(pfn);
    putPageOp(this.ctx, op, pfn);
  }

  /** page_ref_count(page): this page's own _refcount. */
  pageRefCount(pfn: number): number {
    this.pfnOk(pfn);
    return this.zone.memmap.refcount[pfn]!;
  }

  /** page_count(page): folio_ref_count(page_folio(page)). */
  pageCount(pfn: number): number {
    return this.pageRefCount(this.compoundHead(pfn));
  }

  /** page_ref_freeze(page, count): refcount count → 0 if it is count. */
  pageRefFreeze(op: string, pfn: number, count: number): boolean {
    this.pfnOk(pfn);
    return pageRefFreezeOp(this.ctx, op, pfn, count);
  }

  /** page_ref_unfreeze(page, count) */
  pageRefUnfreeze(op: string, pfn: number, count: number): void {
    this.pfnOk(pfn);
    pageRefUnfreezeOp(this.ctx, op, pfn, count);
  }

  // --- compound pages ---------------------------------------------------------

  /** compound_head(page): one read of word 1. */
  compoundHead(pfn: number): number {
    this.pfnOk(pfn);
    return compound_head_pfn(this.zone.memmap, pfn);
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
    return (this.zone.memmap.flags[pfn]! & PG_HEAD) !== 0;
  }

  /** PageTail(page) */
  isTail(pfn: number): boolean {
    this.pfnOk(pfn);
    return PageTail(this.zone.memmap, pfn);
  }

  /** PageCompound(page) */
  isCompound(pfn: number): boolean {
    return this.isHead(pfn) || this.isTail(pfn);
  }

  // --- page flags (raw bits; the PF_* policies are the caller's) ---------------

  flags(pfn: number): number {
    this.pfnOk(pfn);
    return this.zone.memmap.flags[pfn]!;
  }

  testFlag(pfn: number, bit: number): boolean {
    this.pfnOk(pfn);
    checkFlagBit(bit);
    return ((this.zone.memmap.flags[pfn]! >>> bit) & 1) === 1;
  }

  setFlag(op: string, pfn: number, bit: number): void {
    this.pfnOk(pfn);
    setFlagOp(this.ctx, op, pfn, bit);
  }

  clearFlag(op: string, pfn: number, bit: number): void {
    this.pfnOk(pfn);
    clearFlagOp(this.ctx, op, pfn, bit);
  }

  // --- page_type / _mapcount ----------------------------------------------------

  /** The raw page_type word (top-byte PGTY encoding). */
  pageTypeWord(pfn: number): number {
    this.pfnOk(pfn);
    return this.zone.memmap.pageType[pfn]! >>> 0;
  }

  /** The page type the word names, or null (untyped, or a mapcount). */
  pageType(pfn: number): PageTypeName | null {
    return pageTypeOfWord(this.pageTypeWord(pfn));
  }

  /** PageX(page): (page_type >> 24) == PGTY_x. */
  testPageType(pfn: number, type: PageTypeName): boolean {
    return this.pageTypeWord(pfn) >>> 24 === pageTypeInfo(type).pgty;
  }

  /** __SetPageX(page); MD003 on a page that has another type (with debugVm). */
  setPageType(op: string, pfn: number, type: PageTypeName): void {
    this.pfnOk(pfn);
    setPageTypeOp(this.ctx, op, pfn, type);
  }

  /** __ClearPageX(page); MD004 on a page that is not X (with debugVm). */
  clearPageType(op: string, pfn: number, type: PageTypeName): void {
    this.pfnOk(pfn);
    clearPageTypeOp(this.ctx, op, pfn, type);
  }

  /** The low 24 bits of a typed page's page_type, which the owner may use. */
  pageTypeOwnerBits(pfn: number): number {
    return this.pageTypeWord(pfn) & 0xff_ffff;
  }

  setPageTypeOwnerBits(op: string, pfn: number, value: number): void {
    this.pfnOk(pfn);
    setPageTypeOwnerBitsOp(this.ctx, op, pfn, value);
  }

  /** atomic_read(&page->_mapcount): -1 for an unmapped, untyped page. */
  pageMapcount(pfn: number): number {
    return this.pageTypeWord(pfn) | 0;
  }

  /** atomic_set(&page->_mapcount, v) */
  setPageMapcount(op: string, pfn: number, v: number): void {
    this.pfnOk(pfn);
    setPageMapcountOp(this.ctx, op, pfn, v);
  }

  // --- private, mapping ---------------------------------------------------------

  /** page_private(page): a number when a double holds it exactly, else a bigint (memmap.ts readULong). */
  private(pfn: number): number | bigint {
    this.pfnOk(pfn);
    return readULong(this.zone.memmap.privateHalves, pfn);
  }

  /** set_page_private(page, v): any unsigned long, as a number or a bigint. */
  setPrivate(op: string, pfn: number, v: number | bigint): void {
    this.pfnOk(pfn);
    setPrivateOp(this.ctx, op, pfn, v);
  }

  /**
   * The mapping column: MAPPING_NULL, TAIL_MAPPING, an owner value from
   * mappingOf(), or one of the values prep_compound_head() leaves on the
   * first two tails (>= MAPPING_RESERVED_MIN), or any pointer kernel code
   * stored; read as private() is.
   */
  mapping(pfn: number): number | bigint {
    this.pfnOk(pfn);
    return readULong(this.zone.memmap.mappingHalves, pfn);
  }

  /** page->mapping = v: any pointer, as a number or a bigint. */
  setMapping(op: string, pfn: number, v: number | bigint): void {
    this.pfnOk(pfn);
    setMappingOp(this.ctx, op, pfn, v);
  }

  // --- words 1 and 2: the list_head every owner overlays --------------------------

  /** A new list head that is not a page (INIT_LIST_HEAD); list nodes are pfns or such heads. */
  newListHead(): number {
    return this.zone.memmap.newListHead();
  }

  /** Word 1 of a page (lru.next, or compound_info on a tail page), or a list head's next. */
  linkNext(ref: number): number {
    return lists.linkNext(this.zone.memmap, ref);
  }

  linkPrev(ref: number): number {
    return lists.linkPrev(this.zone.memmap, ref);
  }

  setLinkNext(op: string, ref: number, v: number): void {
    setLinkNextOp(this.ctx, op, ref, v);
  }

  setLinkPrev(op: string, ref: number, v: number): void {
    setLinkPrevOp(this.ctx, op, ref, v);
  }

  /** list_add(&page->lru, head), after the CONFIG_DEBUG_LIST checks (list-ops.ts). */
  listAdd(op: string, entry: number, head: number): void {
    listAddOp(this.ctx, op, entry, head);
  }

  listAddTail(op: string, entry: number, head: number): void {
    listAddTailOp(this.ctx, op, entry, head);
  }

  /** list_del(&page->lru): unlinks and poisons, after the CONFIG_DEBUG_LIST checks. */
  listDel(op: string, entry: number): void {
    listDelOp(this.ctx, op, entry);
  }

  listEmpty(head: number): boolean {
    return lists.listEmpty(this.zone.memmap, head);
  }

  /** The first node of a list, or -1. */
  listFirst(head: number): number {
    return lists.listFirst(this.zone.memmap, head);
  }

  listNodes(head: number): number[] {
    return lists.listNodes(this.zone.memmap, head, this.zone.memmap.n + 1);
  }

  // --- the caller's lifecycle bits ----------------------------------------------------

  /** A ptdesc's lifecycle (allocated → constructed → destructed), in two state bits per page. Reset at allocation. */
  ptdescState(pfn: number): PtdescState {
    this.pfnOk(pfn);
    return ptdescStateOf(this.ctx, pfn);
  }

  setPtdescState(op: string, pfn: number, state: PtdescState): void {
    this.pfnOk(pfn);
    setPtdescStateOp(this.ctx, op, pfn, state);
  }

  // --- memdesc words and descriptors ------------------------------------------------------

  /** Say what the allocation starting at `head` now is (memdesc-words.ts); "misc" makes it a plain block again. */
  setMemdescKind(op: string, head: number, kind: MemdescKindName): void {
    this.pfnOk(head);
    setMemdescKindOp(this.ctx, op, head, kind);
  }

  /** Make the allocation at `head` a Misc block of another subtype (vmalloc, kmalloc_large, reserved …). */
  setMiscSubtype(op: string, head: number, subtype: MiscSubtype | number): void {
    this.pfnOk(head);
    setMiscSubtypeOp(this.ctx, op, head, subtype);
  }

  /** The memdesc kind a page's word names (null for a type the table leaves unassigned). */
  memdescKind(pfn: number): MemdescKindName | null {
    this.pfnOk(pfn);
    return this.zone.encoder.kindNameOfWord(this.zone.memmap.md[2 * pfn]!);
  }

  /** The page's 8-byte memdesc word. */
  memdescWord(pfn: number): bigint {
    this.pfnOk(pfn);
    return memdescWordOf(this.ctx, pfn);
  }

  /** The descriptor address the page's word points at, or null for inline words. */
  descriptorAddress(pfn: number): bigint | null {
    this.pfnOk(pfn);
    return descriptorAddressOf(this.ctx, pfn);
  }

  /** Today's view of the page: struct page's eight words. */
  structPage(pfn: number): StructPageView {
    this.pfnOk(pfn);
    return structPageViewOf(this.ctx, pfn);
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
    return (this.zone.memmap.state[pfn]! & S_STALE_IOTLB) !== 0;
  }

  // --- state, counters, reports ---------------------------------------------------------

  get totalPages(): number {
    return this.zone.memmap.n;
  }

  get nrPages(): number {
    return this.zone.memmap.n;
  }

  /** Where a page is: "buddy", "pcp", "allocated", "orphan" (MD018) or "leaked" (bad_page). */
  pageState(pfn: number): PageStateName {
    this.pfnOk(pfn);
    return pageStateName(this.zone.memmap.state[pfn]!);
  }

  /** Allocated and owned (not free, not orphaned, not leaked). */
  isAllocated(pfn: number): boolean {
    return this.pageState(pfn) === "allocated";
  }

  /** The allocation pfn belongs to: its first page, order and compound-ness, or null. */
  allocationOf(pfn: number): AllocationInfo | null {
    this.pfnOk(pfn);
    return allocationOfPfn(this.ctx, pfn);
  }

  allocationOrder(pfn: number): number {
    return this.allocationOf(pfn)?.order ?? -1;
  }

  allocationHead(pfn: number): number {
    return this.allocationOf(pfn)?.head ?? -1;
  }

  /** The free blocks on the buddy lists, lowest pfn first. */
  freeBlocks(): FreeBlock[] {
    return freeBlocksOf(this.zone);
  }

  /** free_area[order]'s list in list order: the first entry is the next one __rmqueue_smallest() takes. */
  freeList(order: number): number[] {
    return lists.listNodes(this.zone.memmap, this.zone.freeHead[order]!);
  }

  /** The free blocks right after boot (every page free in maximal blocks). */
  get bootFreeBlocks(): readonly FreeBlock[] {
    return this.initialBlocks;
  }

  /** Blocks on each pcp list, by order. */
  pcpLists(): { order: number; pfns: number[] }[] {
    return pcpListsOf(this.zone);
  }

  /** /proc/buddyinfo for the one zone: free blocks per order. */
  buddyinfo(): number[] {
    return Array.from(this.zone.nrFree);
  }

  stats(): MachineStats {
    return machineStats(this.ctx);
  }

  /** Every violation reported so far (both modes). */
  get violations(): readonly Violation[] {
    return this.reporter.all;
  }

  /** The violations reported so far, removing them from the machine. */
  takeViolations(): Violation[] {
    return this.reporter.all.splice(0);
  }

  /** A snapshot of a page as reports carry it. */
  snapshot(pfn: number): PageSnapshot {
    this.pfnOk(pfn);
    return snapshotPage(this.zone, this.config.pageTypeEra, pfn);
  }

  /** dump_page(page, reason) as text. */
  dumpPage(pfn: number, reason: string | null = null): string {
    this.pfnOk(pfn);
    const view = this.reporter.dumpView(pfn);
    return renderDump(view.page, view.folio, reason, view.unfaithful === true);
  }

  /** A violation found by the kernel-named layer, reported like the machine's own (context.ts). */
  report(v: KernelViolation): void {
    this.pfnOk(v.pfn);
    reportKernelViolation(this.ctx, v);
  }

  /** The leak ledger: allocations never freed, orphaned tails, leaked blocks. */
  ledger(): Ledger {
    return buildLedger(this.ctx, this.reporter.siteNames);
  }

  /** A full consistency audit of the machine's own state; [] when sound. O(pages). */
  audit(): string[] {
    return audit(this.ctx);
  }

  /** Typed-array bytes the machine holds (memory map, list heads, pool bookkeeping). */
  bytes(): number {
    return this.zone.memmap.bytes() + this.zone.pools.bytes() + this.ctx.stale.byteLength;
  }

  /**
   * The raw columns, unchecked: for tests and tools that need to put a page
   * in a state no kernel function would (a corrupted free page, say). Writes
   * bypass every rule and the memdesc bookkeeping.
   */
  unsafeMemMap(): MemMap {
    return this.zone.memmap;
  }
}
