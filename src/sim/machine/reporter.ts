/**
 * Recording violations: builds the Violation (with page snapshots taken now),
 * keeps it, and at the end of the public operation either throws every
 * violation of that operation (onViolation "throw") or lets the caller go on
 * ("collect").
 */
import { pageFlagBit, type RuleId } from "../../model/index.js";
import { LINK_TAIL_BIAS } from "./constants.js";
import type { MachineConfig } from "./options.js";
import { type KernelReport, MachineViolationError, type Violation, type ViolationOutcome } from "./report.js";
import { type FolioSnapshot, snapshotPage } from "./snapshot.js";
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

const PG_HEAD = 1 << pageFlagBit("PG_head");

export class Reporter {
  readonly all: Violation[] = [];
  private pending: Violation[] = [];
  readonly siteNames: string[] = [""];
  private readonly siteIds = new Map<string, number>();

  constructor(
    private readonly z: Zone,
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

  /** The compound page `pfn` belongs to, if any, as dump_page() shows it. */
  folioOf(pfn: number): FolioSnapshot | undefined {
    const m = this.z.m;
    const v = m.next[pfn]!;
    const head = v <= LINK_TAIL_BIAS ? LINK_TAIL_BIAS - v : pfn;
    if ((m.flags[head]! & PG_HEAD) === 0 || head + 1 >= m.n) return undefined;
    const era = this.config.pageTypeEra;
    return {
      order: m.flags[head + 1]! & 0xff,
      head: snapshotPage(this.z, era, head),
      second: snapshotPage(this.z, era, head + 1, true),
    };
  }

  /** Record a violation (message gets the rule ID and the operation in front). */
  report(v: ViolationInput): Violation {
    const m = this.z.m;
    const folio = this.folioOf(v.pfn);
    const head = folio?.head.pfn ?? v.pfn;
    const siteId = m.site ? m.site[head]! : 0;
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
      page: snapshotPage(this.z, this.config.pageTypeEra, v.pfn),
      ...(folio ? { folio } : {}),
      ...(siteId ? { site: this.siteNames[siteId]! } : {}),
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
