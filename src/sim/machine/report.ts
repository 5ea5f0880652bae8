/**
 * Violations as data (DESIGN.md "Errors are data") and the one renderer that
 * turns them into text shaped like the kernel's own reports:
 *
 *   bad_page()        mm/page_alloc.c: "BUG: Bad page state in process %s  pfn:%05lx"
 *                     then dump_page(page, reason)
 *   dump_page()       mm/debug.c __dump_folio() (linux-mm/linux-mm @07bbc86c):
 *                     page: refcount:%d mapcount:%d mapping:%p index:%#lx pfn:%#lx
 *                     head: order:%u mapcount:%d entire_mapcount:%d pincount:%d   (large folios)
 *                     [anon |ksm ]flags: %pGp
 *                     page_type: %x(%s)                                           (typed pages)
 *                     raw: four 64-bit words per line, two lines (print_hex_dump, 32 bytes a row)
 *                     head: the folio's first two struct pages, four lines        (large folios)
 *                     page dumped because: %s
 *   VM_BUG_ON_PAGE()  include/linux/mmdebug.h: dump_page(page, "VM_BUG_ON_PAGE(cond)"), then BUG()
 *
 * followed by memdesc's own lines (prefixed "memdesc:"): the rule, the
 * operation, the 8-byte memdesc word decoded, and what happened.
 *
 * Differences from the kernel's text, on purpose: %p pointers print as the
 * raw 16 hex digits instead of a hashed id; the dump_mapping() lines, the
 * page_owner dump, print_modules() and the stack trace are not printed;
 * "kernel BUG at" names the file without a line number.
 */
import {
  eraDumpNames,
  flagsForEra,
  PAGE_FLAG_ERAS,
  type PageFlagEra,
  type PageTypeName,
  RULES,
  type RuleId,
} from "../../model/index.js";
import { FOLIO_MAPPING_ANON, FOLIO_MAPPING_FLAGS, FOLIO_MAPPING_KSM } from "./constants.js";
import type { FolioSnapshot, PageSnapshot } from "./snapshot.js";
import { FLAGS_LAYOUT, FLAGS_NODE_ZONE } from "./struct-page.js";

/** What the kernel itself prints for the violation. */
export type KernelReport = "bad_page" | "VM_BUG_ON_PAGE" | "VM_WARN_ON_PAGE" | "none";

/**
 * What the machine did about it:
 * - "stopped": the operation was not performed, as BUG() would have stopped the task;
 * - "leaked": bad_page() semantics, the block stays off the free lists;
 * - "performed": the operation went ahead as the kernel would have done it.
 */
export type ViolationOutcome = "stopped" | "leaked" | "performed";

export interface Violation {
  readonly rule: RuleId;
  /** The operation, by its kernel name (`__free_pages`, `put_page`, `split_page`, `alloc_pages` …). */
  readonly op: string;
  readonly pfn: number;
  readonly order?: number;
  readonly expected?: string;
  readonly got?: string;
  /** The bad_page() reason or the VM_BUG_ON condition, in the kernel's words. */
  readonly reason?: string;
  /** The kernel file the check lives in. */
  readonly where: string;
  readonly kernelReport: KernelReport;
  readonly outcome: ViolationOutcome;
  /** One sentence: `MD002 __free_pages: block allocated at order 2, freed at order 0`. */
  readonly message: string;
  /** The process name bad_page() prints (the machine's `comm` option). */
  readonly comm: string;
  readonly page: PageSnapshot;
  /** Present when the page is part of a compound page and the dump shows its folio. */
  readonly folio?: FolioSnapshot;
  /** snapshot_page() could not match the page to its folio: "page does not match folio". */
  readonly unfaithful?: true;
  /** The allocation site, with trackAllocSites. */
  readonly site?: string;
  /** The allocation block the page belonged to when the violation was found (a live allocation, or the one a short free orphaned it from). */
  readonly block?: { readonly head: number; readonly order: number };
}

/**
 * One finding and its repeats: the same rule broken by the same kernel
 * function on pages of the same allocation block — a cascade, such as a
 * per-page loop over a block whose first free went wrong, where each tail
 * shows the consequence again. The first violation is the finding; the
 * repeats are kept (every page, every report) and counted.
 */
export interface ViolationGroup {
  readonly first: Violation;
  readonly repeats: readonly Violation[];
  /** Distinct pfns of the repeats other than the first's. */
  readonly morePages: number;
}

/**
 * Group violations into findings (issue 8: reports are bounded and true):
 * same rule, same operation, same allocation block. A violation outside any
 * known block groups only with the same sentence on the same page. Groups
 * keep the order of their first violation.
 */
export function groupViolations(vs: readonly Violation[]): ViolationGroup[] {
  const groups = new Map<string, { first: Violation; repeats: Violation[]; pfns: Set<number> }>();
  for (const v of vs) {
    const key = v.block
      ? `${v.rule}|${v.op}|block ${v.block.head}/${v.block.order}`
      : `${v.rule}|${v.op}|pfn ${v.pfn}|${v.message}`;
    const g = groups.get(key);
    if (!g) groups.set(key, { first: v, repeats: [], pfns: new Set([v.pfn]) });
    else {
      g.repeats.push(v);
      g.pfns.add(v.pfn);
    }
  }
  return [...groups.values()].map((g) => ({
    first: g.first,
    repeats: g.repeats,
    morePages: g.pfns.size - 1,
  }));
}

/** The line that counts a group's repeats: "and 510 more tail pages of the order-9 block at pfn 0x0". */
export function repeatsLine(g: ViolationGroup): string | null {
  if (g.repeats.length === 0) return null;
  const block = g.first.block;
  const extra = g.repeats.length - g.morePages;
  const also = extra > 0 ? ` (${g.repeats.length} more reports in all)` : "";
  if (!block || g.morePages === 0)
    return `and ${g.repeats.length} more time${g.repeats.length === 1 ? "" : "s"} on the same page`;
  const tails = g.repeats.every((r) => r.pfn !== block.head);
  const pages = `${g.morePages} more ${tails ? "tail " : ""}page${g.morePages === 1 ? "" : "s"}`;
  return `and ${pages} of the order-${block.order} block at pfn 0x${block.head.toString(16)}${also}`;
}

/** Thrown by a machine with `onViolation: "throw"`; carries every violation of the operation. */
export class MachineViolationError extends Error {
  override readonly name = "MachineViolationError";
  readonly violation: Violation;
  readonly violations: readonly Violation[];
  /** The operation's result when it went ahead anyway (the pfn an allocation returned). */
  readonly result: number | undefined;
  constructor(violations: readonly Violation[], result?: number) {
    const first = violations[0]!;
    super(violations.length === 1 ? first.message : `${first.message} (+${violations.length - 1} more)`);
    this.violation = first;
    this.violations = violations;
    this.result = result;
  }
  /** The kernel-shaped text of every violation. */
  get report(): string {
    return this.violations.map((v) => renderViolation(v)).join("\n");
  }
}

const NEWEST_FLAG_ERA = PAGE_FLAG_ERAS.at(-1)!;

/**
 * %pGp: `0x…(name|name|node=0|zone=2|lastcpupid=0x1fffff)` (lib/vsprintf.c
 * format_page_flags()). `flags` are the flag bits in `era`'s numbering; the
 * names are that kernel's __def_pageflag_names (include/trace/events/mmflags.h),
 * printed in the table's order, each clearing its bit; bits no name claims
 * are printed as a hex number after the names (format_flags()).
 */
export function formatPageFlags(flags: number, era: PageFlagEra = NEWEST_FLAG_ERA): string {
  const word = FLAGS_NODE_ZONE | BigInt(flags >>> 0);
  const parts: string[] = [];
  let rest = flags >>> 0;
  for (const [bit, name] of eraDumpNames(era)) {
    if (rest & (2 ** bit)) {
      parts.push(name);
      rest = (rest & ~(2 ** bit)) >>> 0;
    }
  }
  if (rest) parts.push(`0x${rest.toString(16)}`);
  // format_page_flags()'s pff[] order: section, node, zone (decimal), lastcpupid, kasantag (%#x),
  // each only when the configuration gives it a width in the flags word.
  for (const name of ["section", "node", "zone", "lastcpupid", "kasantag"] as const) {
    const f = FLAGS_LAYOUT.fields.find((x) => x.name === name);
    if (!f) continue;
    const v = Number((word >> BigInt(f.shift)) & ((1n << BigInt(f.width)) - 1n));
    parts.push(name === "lastcpupid" || name === "kasantag" ? `${name}=0x${v.toString(16)}` : `${name}=${v}`);
  }
  return `0x${word.toString(16)}(${parts.join("|")})`;
}

/**
 * page_type_name() of mm/debug.c @07bbc86c: its table names slab, hugetlb,
 * offline, guard, table, buddy and unaccepted only. Index 6 (zsmalloc) is an
 * empty slot inside the array, which printk's %s shows as "(null)"; indexes
 * past the array (large_kmalloc, netpp) print "unknown".
 */
export function dumpPageTypeName(pageType: number): string {
  const i = (pageType >>> 24) - 0xf0;
  const named: Partial<Record<number, PageTypeName>> = {
    0: "buddy",
    1: "offline",
    2: "table",
    3: "guard",
    4: "hugetlb",
    5: "slab",
    7: "unaccepted",
  };
  if (i < 0 || i >= 8) return "unknown";
  const n = named[i];
  return n ?? "(null)";
}

const hex16 = (v: bigint) => v.toString(16).padStart(16, "0");
const pfn5 = (pfn: number) => pfn.toString(16).padStart(5, "0");

function rawLines(prefix: string, words: readonly bigint[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i += 4)
    out.push(
      `${prefix}${words
        .slice(i, i + 4)
        .map(hex16)
        .join(" ")}`,
    );
  return out;
}

/** The dump_page() block for a snapshot (without "page dumped because"). */
export function dumpLines(page: PageSnapshot, folio?: FolioSnapshot, unfaithful = false): string[] {
  const head = folio?.head ?? page;
  const lines: string[] = [];
  if (unfaithful) lines.push("page does not match folio");
  // The FOLIO_MAPPING_* bits are the low bits of the pointer.
  const mappingFlags = Number(BigInt(head.mapping) & BigInt(FOLIO_MAPPING_FLAGS));
  // folio_mapping(): an anon or KSM folio has no address_space.
  const mapping = mappingFlags ? 0n : head.words[3]!;
  // mm/debug.c @07bbc86c __dump_folio(): index:%#lx is folio->index + idx, the head's
  // __folio_index (word 4) plus the page's place in the folio.
  const idx = page.pfn - head.pfn;
  const index = (head.words[4]! + BigInt(idx)) & 0xffff_ffff_ffff_ffffn;
  lines.push(
    `page: refcount:${head.refcount} mapcount:${page.mapcount} mapping:${hex16(mapping)} index:0x${index.toString(16)} pfn:0x${page.pfn.toString(16)}`,
  );
  if (folio) {
    // folio_mapcount / folio_entire_mapcount / _pincount: the machine does not map folios, so they are at their initial values.
    lines.push(`head: order:${folio.order} mapcount:0 entire_mapcount:0 pincount:0`);
  }
  const type =
    (mappingFlags & FOLIO_MAPPING_KSM) === FOLIO_MAPPING_KSM
      ? "ksm "
      : mappingFlags & FOLIO_MAPPING_ANON
        ? "anon "
        : "";
  // The flags word as the chosen kernel holds and names it (the snapshot's era; the columns
  // hold the newest tree's bits).
  const era = head.flagEra ?? NEWEST_FLAG_ERA;
  const flags = era === NEWEST_FLAG_ERA ? head.flags : flagsForEra(head.flags, era);
  lines.push(`${type}flags: ${formatPageFlags(flags, era)}`);
  if ((head.pageType | 0) < (0xff00_0000 | 0)) {
    lines.push(`page_type: ${(head.pageType >>> 24).toString(16)}(${dumpPageTypeName(head.pageType)})`);
  }
  lines.push(...rawLines("raw: ", page.words));
  if (folio) lines.push(...rawLines("head: ", [...folio.head.words, ...folio.second.words]));
  return lines;
}

/** dump_page(page, reason) as text. */
export function renderDump(
  page: PageSnapshot,
  folio: FolioSnapshot | undefined,
  reason: string | null,
  unfaithful = false,
): string {
  const lines = dumpLines(page, folio, unfaithful);
  if (reason) lines.push(`page dumped because: ${reason}`);
  return lines.join("\n");
}

/**
 * What happened, in words that agree with what the kernel printed: BUG()
 * stops the task only where the kernel reports a VM_BUG_ON_PAGE(); where
 * the kernel has no check (or only warns), the simulator is the one that
 * refuses the operation.
 */
function outcomeLine(v: Violation): string {
  switch (v.outcome) {
    case "stopped":
      return v.kernelReport === "VM_BUG_ON_PAGE"
        ? "the operation was not performed (BUG() stops the task here)"
        : v.kernelReport === "VM_WARN_ON_PAGE"
          ? "the simulator did not perform the operation (the kernel warns and goes on)"
          : "the simulator did not perform the operation (the kernel goes on without a report)";
    case "leaked":
      return "the page is leaked: bad_page() leaves it off the free lists";
    case "performed":
      return "the operation went ahead as the kernel does it";
  }
}

export interface RenderViolationOptions {
  /**
   * Print the finding's sentence (`memdesc: MD002 __free_pages: …`). Off when
   * the caller has printed it as the finding's headline: one sentence, once.
   */
  readonly headline?: boolean;
}

/**
 * The full report for a violation: the kernel's text, then memdesc's lines.
 * The finding's sentence appears once: where the kernel prints a reason
 * (bad_page(), VM_BUG_ON_PAGE()) the dump carries the kernel's reason; where
 * the kernel prints nothing the dump says only which rule made memdesc dump
 * the page.
 */
export function renderViolation(v: Violation, opts: RenderViolationOptions = {}): string {
  const lines: string[] = [];
  switch (v.kernelReport) {
    case "bad_page":
      lines.push(`BUG: Bad page state in process ${v.comm}  pfn:${pfn5(v.pfn)}`);
      lines.push(renderDump(v.page, v.folio, v.reason ?? `memdesc ${v.rule}`, v.unfaithful === true));
      break;
    case "VM_BUG_ON_PAGE":
      lines.push(renderDump(v.page, v.folio, `VM_BUG_ON_PAGE(${v.reason ?? "?"})`, v.unfaithful === true));
      lines.push("------------[ cut here ]------------");
      lines.push(`kernel BUG at ${v.where}!`);
      break;
    case "VM_WARN_ON_PAGE":
      lines.push(renderDump(v.page, v.folio, `VM_WARN_ON_PAGE(${v.reason ?? "?"})`, v.unfaithful === true));
      lines.push("------------[ cut here ]------------");
      lines.push(`WARNING: at ${v.where} ${v.op}`);
      break;
    case "none":
      lines.push(
        `memdesc: ${v.rule} in process ${v.comm}  pfn:${pfn5(v.pfn)} (the kernel reports nothing here)`,
      );
      lines.push(renderDump(v.page, v.folio, `memdesc ${v.rule}`, v.unfaithful === true));
      break;
  }
  const rule = RULES[v.rule];
  lines.push(`memdesc: ${v.rule} ${rule.slug}: ${rule.title}`);
  if (opts.headline !== false) lines.push(`memdesc: ${v.message}`);
  if (v.expected !== undefined || v.got !== undefined) {
    lines.push(`memdesc: expected ${v.expected ?? "?"}, got ${v.got ?? "?"}`);
  }
  lines.push(`memdesc: memdesc word 0x${hex16(v.page.memdesc)}: ${v.page.memdescText}`);
  if (v.site !== undefined) lines.push(`memdesc: allocated at ${v.site}`);
  lines.push(`memdesc: ${outcomeLine(v)}`);
  return lines.join("\n");
}
