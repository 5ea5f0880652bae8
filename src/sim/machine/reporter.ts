/**
 * Recording violations: builds the Violation (with page snapshots taken now),
 * keeps it, and at the end of the public operation either throws every
 * violation of that operation (onViolation "throw") or lets the caller go on
 * ("collect").
 */
import type { RuleId } from "../../model/index.js";
import { compound_head_pfn, folioLargeOrder, PageHead, PageTail } from "./memmap.js";
import type { MachineConfig } from "./options.js";
import { type KernelReport, MachineViolationError, type Violation, type ViolationOutcome } from "./report.js";
import { type FolioSnapshot, type PageSnapshot, snapshotPage } from "./snapshot.js";
import type { Zone } from "./zone.js";

export interface ViolationInput {
  readonly rule: RuleId;
  readonly op: string;
  readonly pfn: number;
  readonly message: string;
  readonly kernelReport: KernelReport;
  readonly outcome: ViolationOutcome;
  readonly where: string;
  readonly order?: number;
  readonly expected?: string;
  readonly got?: string;
  readonly reason?: string;
}

export class Reporter {
  readonly all: Violation[] = [];
  private pending: Violation[] = [];
  readonly siteNames: string[] = [""];
  private readonly siteIds = new Map<string, number>();
  /** The allocation block a page belongs to (set by the machine: Ctx.blockOf), recorded with each violation. */
  blockOf: (pfn: number) => { readonly head: number; readonly order: number } | null = () => null;

  constructor(
    private readonly zone: Zone,
    private readonly config: MachineConfig,
  ) {}

  siteId(site: string): number {
    let id = this.siteIds.get(site);
    if (id === undefined) {
      id = this.siteNames.length;
      this.siteNames.push(site);
      this.siteIds.set(site, id);
    }
    return id;
  }

  /**
   * What dump_page() shows for pfn: snapshot_page() (mm/util.c @0a1e70b4)
   * takes the folio from compound_info; if the page's index in that folio is
   * beyond folio_nr_pages() — as for every tail while __free_pages_prepare()
   * runs, since it zeroes _nr_pages (CONFIG_MEMCG's NR_PAGES_IN_LARGE_FOLIO)
   * with the order byte — the snapshot is "unfaithful": the page is dumped
   * on its own with compound_info cleared, after "page does not match folio".
   */
  dumpView(pfn: number): { page: PageSnapshot; folio?: FolioSnapshot; unfaithful?: true } {
    const memmap = this.zone.memmap;
    // The machine's configuration: page_type, the flags word and compound_info follow it.
    const era = this.config;
    const page = snapshotPage(this.zone, era, pfn);
    const tail = PageTail(memmap, pfn);
    const head = compound_head_pfn(memmap, pfn);
    if (!tail && !PageHead(memmap, pfn)) return { page };
    const order = folioLargeOrder(memmap, head);
    const nrPages = order === 0 ? 0 : 2 ** order;
    if (pfn - head > nrPages) {
      const words = [...page.words];
      words[1] = 0n;
      return { page: { ...page, compoundHead: pfn, words }, unfaithful: true };
    }
    return {
      page,
      folio: {
        order,
        head: head === pfn ? page : snapshotPage(this.zone, era, head),
        second: snapshotPage(this.zone, era, head + 1, true),
      },
    };
  }

  /** Record a violation (message gets the rule ID and the operation in front). */
  report(v: ViolationInput): Violation {
    const memmap = this.zone.memmap;
    const view = this.dumpView(v.pfn);
    const head = view.folio?.head.pfn ?? v.pfn;
    const siteId = memmap.site ? memmap.site[head]! : 0;
    const block = this.blockOf(v.pfn);
    const violation: Violation = {
      rule: v.rule,
      op: v.op,
      pfn: v.pfn,
      ...(v.order !== undefined ? { order: v.order } : {}),
      ...(v.expected !== undefined ? { expected: v.expected } : {}),
      ...(v.got !== undefined ? { got: v.got } : {}),
      ...(v.reason !== undefined ? { reason: v.reason } : {}),
      where: v.where,
      kernelReport: v.kernelReport,
      outcome: v.outcome,
      message: `${v.rule} ${v.op}: ${v.message}`,
      comm: this.config.comm,
      page: view.page,
      ...(view.folio ? { folio: view.folio } : {}),
      ...(view.unfaithful ? { unfaithful: true } : {}),
      ...(siteId ? { site: this.siteNames[siteId]! } : {}),
      ...(block ? { block } : {}),
    };
    this.all.push(violation);
    this.pending.push(violation);
    return violation;
  }

  /** bad_page(page, reason): MD016 with the kernel's reason string; the page is leaked. */
  badPage(op: string, pfn: number, reason: string): void {
    this.report({
      rule: "MD016",
      op,
      pfn,
      reason,
      message: `bad page state at pfn 0x${pfn.toString(16)}: ${reason}`,
      kernelReport: "bad_page",
      outcome: "leaked",
      where: "mm/page_alloc.c",
    });
  }

  /**
   * End of a public operation: in throw mode, throw what it reported. An
   * operation that went ahead passes its result, which the error carries.
   */
  flush(result?: number): void {
    if (this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    if (this.config.onViolation === "throw") throw new MachineViolationError(pending, result);
  }

  /** Whether the operation in progress has reported anything. */
  get hasPending(): boolean {
    return this.pending.length !== 0;
  }
}
