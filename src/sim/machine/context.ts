/**
 * What the machine's operations share: the zone, the reporter, the
 * configuration, and the helpers that validate a target page and apply the
 * consequences the kernel would (leaking a block, orphaning tails, giving a
 * descriptor back to its pool).
 */
import { orderMismatchSentence, type RuleId } from "../../model/index.js";
import type { KernelViolation } from "../kernel/port.js";
import { MAX_PAGE_ORDER, S_ALLOC, S_HEAD, S_LEAKED, S_ORPHAN, S_STALE_IOTLB, S_WHERE } from "./constants.js";
import { checkPfn, compound_head_pfn, PageTail } from "./memmap.js";
import type { MachineConfig } from "./options.js";
import type { Reporter } from "./reporter.js";
import type { Zone } from "./zone.js";

/** Tail pages a put_page()/compound_order() free or a short __free_pages() left behind (MD018). */
export interface OrphanEvent {
  readonly head: number;
  readonly order: number;
  readonly from: number;
  readonly to: number;
  readonly op: string;
}

export class Ctx {
  readonly orphanEvents: OrphanEvent[] = [];
  /** pfns carrying S_STALE_IOTLB, so iommuInvalidateAll() is O(marked). */
  stale: Int32Array = new Int32Array(64);
  nStale = 0;
  /** IOMMU invalidations so far: each iommu_sva_invalidate_kva_range() starts a new epoch (decision 0007). */
  iommuEpoch = 0;
  /** Page tables kernel code started freeing (queued on a list, or freed) → the epoch of that release. */
  readonly pgtableReleased = new Map<number, number>();

  constructor(
    readonly zone: Zone,
    readonly reporter: Reporter,
    readonly config: MachineConfig,
  ) {
    // Each violation records the allocation block of its page (report.ts groupViolations).
    reporter.blockOf = (pfn) => this.blockOf(pfn);
  }

  /** A VM_BUG_ON-type report: what the kernel prints with CONFIG_DEBUG_VM, nothing without. */
  bug(
    rule: RuleId,
    op: string,
    pfn: number,
    reason: string,
    message: string,
    where: string,
    extra: Extra = {},
  ): void {
    this.reporter.report({
      rule,
      op,
      pfn,
      reason,
      message,
      where,
      kernelReport: this.config.debugVm ? "VM_BUG_ON_PAGE" : "none",
      outcome: "stopped",
      ...extra,
    });
    this.reporter.flush();
  }

  /**
   * MD002: the block at pfn was allocated at `allocOrder` and the caller
   * frees (or splits) it at `order`; the sentence is the model's
   * (orderMismatchSentence()). With `reason`, the kernel's VM_BUG_ON
   * condition, it is a bug() and the operation stops. Without one the kernel
   * does not notice: the operation goes ahead and the caller orphans what
   * the short free or split left behind.
   */
  orderMismatch(op: string, pfn: number, allocOrder: number, order: number, how: OrderMismatch = {}): void {
    const message = orderMismatchSentence(allocOrder, order, how);
    const extra = { order, expected: `order ${allocOrder}`, got: `order ${order}` };
    if (how.reason !== undefined) {
      this.bug("MD002", op, pfn, how.reason, message, "mm/page_alloc.c", extra);
      return;
    }
    this.reporter.report({
      rule: "MD002",
      op,
      pfn,
      ...extra,
      message,
      kernelReport: "none",
      outcome: "performed",
      where: "mm/page_alloc.c",
    });
  }

  /** The first page of the allocation pfn belongs to, or -1 when it belongs to none. */
  allocationHead(pfn: number): number {
    const memmap = this.zone.memmap;
    if (PageTail(memmap, pfn)) return compound_head_pfn(memmap, pfn);
    for (let o = 0; o <= MAX_PAGE_ORDER; o++) {
      const h = pfn & ~((1 << o) - 1);
      const st = memmap.state[h]!;
      if ((st & (S_WHERE | S_HEAD | S_ORPHAN)) === (S_ALLOC | S_HEAD) && h + (1 << memmap.order[h]!) > pfn)
        return h;
    }
    return -1;
  }

  /**
   * The allocation block pfn belongs to, for grouping a cascade of findings
   * (report.ts groupViolations): the live allocation, or — for a tail that
   * a short free orphaned — the allocation it was part of; null otherwise.
   */
  blockOf(pfn: number): { readonly head: number; readonly order: number } | null {
    const h = this.allocationHead(pfn);
    if (h >= 0) return { head: h, order: this.zone.memmap.order[h]! };
    for (let i = this.orphanEvents.length - 1; i >= 0; i--) {
      const e = this.orphanEvents[i]!;
      if (pfn >= e.from && pfn < e.to) return { head: e.head, order: e.order };
    }
    return null;
  }

  /**
   * Check that pfn is the first page of a live allocation, as every free
   * path (and split_page) needs; report and return false otherwise. A free
   * page is a double free when `freeing`, a use after free otherwise.
   */
  checkFreeTarget(op: string, pfn: number, freeing = true): boolean {
    const memmap = this.zone.memmap;
    const st = memmap.state[pfn]!;
    const where = st & S_WHERE;
    if (where !== S_ALLOC) {
      if (!freeing && where !== S_LEAKED) {
        this.bug(
          "MD015",
          op,
          pfn,
          "page_ref_count(page) == 0",
          `pfn 0x${pfn.toString(16)} is free`,
          "mm/page_alloc.c",
        );
      } else if (where === S_LEAKED) {
        this.bug(
          "MD015",
          op,
          pfn,
          "page_ref_count(page) == 0",
          `pfn 0x${pfn.toString(16)} was leaked by bad_page() when it was freed before; it belongs to nobody`,
          "include/linux/mm.h",
        );
      } else {
        this.bug(
          "MD014",
          op,
          pfn,
          "page_ref_count(page) == 0",
          `pfn 0x${pfn.toString(16)} is already free (freed twice)`,
          "include/linux/mm.h",
        );
      }
      return false;
    }
    if (st & S_ORPHAN) {
      this.bug(
        "MD015",
        op,
        pfn,
        "page_ref_count(page) == 0",
        `pfn 0x${pfn.toString(16)} belonged to an allocation that was freed without it; nobody owns it`,
        "include/linux/mm.h",
      );
      return false;
    }
    if (PageTail(memmap, pfn)) {
      const head = compound_head_pfn(memmap, pfn);
      this.bug(
        "MD002",
        op,
        pfn,
        "PageTail(page)",
        `pfn 0x${pfn.toString(16)} is a tail page of the compound page at 0x${head.toString(16)}; free the head`,
        "mm/page_alloc.c",
        { expected: `pfn 0x${head.toString(16)}`, got: `pfn 0x${pfn.toString(16)}` },
      );
      return false;
    }
    if (!(st & S_HEAD)) {
      const head = this.allocationHead(pfn);
      this.bug(
        "MD002",
        op,
        pfn,
        "page_ref_count(page) == 0",
        `pfn 0x${pfn.toString(16)} is inside the allocation at 0x${head.toString(16)}, not its first page`,
        "include/linux/mm.h",
        { expected: `pfn 0x${head.toString(16)}`, got: `pfn 0x${pfn.toString(16)}` },
      );
      return false;
    }
    return true;
  }

  /**
   * Check that pfn is a page a kernel function may touch: allocated and
   * owned. MD015 otherwise (the kernel has no check; KASAN would catch the
   * access for page_alloc memory).
   */
  checkLive(op: string, pfn: number): boolean {
    const st = this.zone.memmap.state[pfn]!;
    if ((st & (S_WHERE | S_ORPHAN)) === S_ALLOC) return true;
    const what =
      (st & S_WHERE) === S_ALLOC
        ? "belongs to an allocation that was freed without it"
        : (st & S_WHERE) === S_LEAKED
          ? "was leaked by bad_page()"
          : "is free";
    this.reporter.report({
      rule: "MD015",
      op,
      pfn,
      message: `pfn 0x${pfn.toString(16)} ${what}`,
      kernelReport: "none",
      outcome: "stopped",
      where: "mm/page_alloc.c",
    });
    this.reporter.flush();
    return false;
  }

  /** Give back the descriptor the allocation at head points at, if any; the words are rewritten by the caller. */
  releaseDescriptor(head: number): void {
    const memmap = this.zone.memmap;
    const lo = memmap.md[2 * head]!;
    if (this.zone.encoder.pointerType[lo & 0xf] !== 1) return;
    const at = this.zone.pools.locate(lo, memmap.md[2 * head + 1]!);
    if (at) this.zone.pools.free(at.kind, at.slot);
  }

  /** Write one memdesc word into `count` pages from `pfn`. */
  fillWord(pfn: number, count: number, lo: number, hi: number): void {
    const md = this.zone.memmap.md;
    for (let i = 2 * pfn, end = 2 * (pfn + count); i < end; i += 2) {
      md[i] = lo;
      md[i + 1] = hi;
    }
  }

  /** bad_page() semantics for a whole block: neither free nor owned any more. */
  leakBlock(pfn: number, order: number): void {
    const zone = this.zone;
    const memmap = zone.memmap;
    const n = 1 << order;
    let wasAlloc = 0;
    for (let p = pfn; p < pfn + n; p++) {
      if ((memmap.state[p]! & S_WHERE) === S_ALLOC) wasAlloc++;
      memmap.state[p] = S_LEAKED | (memmap.state[p]! & S_STALE_IOTLB);
    }
    memmap.state[pfn] = memmap.state[pfn]! | S_HEAD;
    memmap.order[pfn] = order;
    zone.nrAllocPages -= wasAlloc;
    zone.nrLeakedPages += n;
  }

  /** Mark [from, to) as tails nobody owns (MD018) after the allocation at head was freed without them. */
  orphan(op: string, head: number, order: number, from: number, to: number): void {
    const memmap = this.zone.memmap;
    for (let p = from; p < to; p++) memmap.state[p] = (memmap.state[p]! & ~S_HEAD) | S_ORPHAN;
    this.orphanEvents.push({ head, order, from, to, op });
  }
}

/** How an MD002 order mismatch reads and what the kernel does about it (Ctx.orderMismatch). */
export interface OrderMismatch extends NonNullable<Parameters<typeof orderMismatchSentence>[2]> {
  /** The kernel's VM_BUG_ON condition: the operation stops. None: the kernel goes on without a report. */
  readonly reason?: string;
}

export interface Extra {
  readonly order?: number;
  readonly expected?: string;
  readonly got?: string;
}

/**
 * A violation found by the kernel-named layer (a descriptor conversion, the
 * ptdesc lifecycle, a use after free it detects before calling the machine):
 * recorded and rendered like the machine's own, thrown or collected as
 * configured. The operation itself went ahead. Its pfn must be a page of the machine.
 */
export function reportKernelViolation(ctx: Ctx, violation: KernelViolation): void {
  checkPfn(ctx.zone.memmap, violation.pfn);
  ctx.reporter.report({
    ...violation,
    // The kernel layer's messages carry "MD### op: "; the report adds it itself.
    message: violation.message.replace(/^MD\d{3} [^:]+: /, ""),
    where: "memdesc kernel API (src/sim/kernel)",
    kernelReport: "none",
    outcome: "performed",
  });
  ctx.reporter.flush();
}
