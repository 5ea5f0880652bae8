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
import { type PageTypeName, pageFlagBit, RULES, type RuleId } from "../../model/index.js";
import { FOLIO_MAPPING_ANON, FOLIO_MAPPING_FLAGS, FOLIO_MAPPING_KSM } from "./constants.js";
import type { FolioSnapshot, PageSnapshot } from "./snapshot.js";
import { FLAGS_NODE_ZONE, NODES_PGSHIFT, ZONES_PGSHIFT } from "./struct-page.js";

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
    return this.violations.map(renderViolation).join("\n");
  }
}

/** __def_pageflag_names order (include/trace/events/mmflags.h); %pGp prints names in this order. */
const PAGEFLAG_NAME_ORDER = [
  "locked",
  "waiters",
  "referenced",
  "uptodate",
  "dirty",
  "lru",
  "active",
  "workingset",
  "owner_priv_1",
  "owner_2",
  "arch_1",
  "reserved",
  "private",
  "private_2",
  "writeback",
  "head",
  "reclaim",
  "swapbacked",
  "unevictable",
  "dropbehind",
  "mlocked",
  "hwpoison",
  "idle",
  "young",
] as const;
const PAGEFLAG_NAMES: readonly (readonly [number, string])[] = PAGEFLAG_NAME_ORDER.map(
  (n) => [pageFlagBit(`PG_${n}`), n] as const,
);

/** %pGp: `0x…(name|name|node=0|zone=2)` (lib/vsprintf.c format_page_flags). */
export function formatPageFlags(flags: number): string {
  const word = FLAGS_NODE_ZONE | BigInt(flags >>> 0);
  const parts: string[] = [];
  let rest = flags >>> 0;
  for (const [bit, name] of PAGEFLAG_NAMES) {
    if (rest & (1 << bit)) {
      parts.push(name);
      rest = (rest & ~(1 << bit)) >>> 0;
    }
  }
  if (rest) parts.push(`0x${rest.toString(16)}`);
  parts.push(`node=${Number((word >> NODES_PGSHIFT) & 0x3ffn)}`);
  parts.push(`zone=${Number((word >> ZONES_PGSHIFT) & 0x3n)}`);
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
  const idx = page.pfn - head.pfn;
  lines.push(
    `page: refcount:${head.refcount} mapcount:${page.mapcount} mapping:${hex16(mapping)} index:${idx === 0 ? "0x0" : `0x${idx.toString(16)}`} pfn:0x${page.pfn.toString(16)}`,
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
  lines.push(`${type}flags: ${formatPageFlags(head.flags)}`);
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

const OUTCOMES: Readonly<Record<ViolationOutcome, string>> = {
  stopped: "the operation was not performed (BUG() stops the task here)",
  leaked: "the page is leaked: bad_page() leaves it off the free lists",
  performed: "the operation went ahead as the kernel does it",
};

/** The full report for a violation: the kernel's text, then memdesc's lines. */
export function renderViolation(v: Violation): string {
  const lines: string[] = [];
  switch (v.kernelReport) {
    case "bad_page":
      lines.push(`BUG: Bad page state in process ${v.comm}  pfn:${pfn5(v.pfn)}`);
      lines.push(renderDump(v.page, v.folio, v.reason ?? v.message, v.unfaithful === true));
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
      lines.push(renderDump(v.page, v.folio, v.message, v.unfaithful === true));
      break;
  }
  const rule = RULES[v.rule];
  lines.push(`memdesc: ${v.rule} ${rule.slug}: ${rule.title}`);
  lines.push(`memdesc: ${v.message}`);
  if (v.expected !== undefined || v.got !== undefined) {
    lines.push(`memdesc: expected ${v.expected ?? "?"}, got ${v.got ?? "?"}`);
  }
  lines.push(`memdesc: memdesc word 0x${hex16(v.page.memdesc)}: ${v.page.memdescText}`);
  if (v.site !== undefined) lines.push(`memdesc: allocated at ${v.site}`);
  lines.push(`memdesc: ${OUTCOMES[v.outcome]}`);
  return lines.join("\n");
}
