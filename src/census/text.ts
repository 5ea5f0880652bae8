/**
 * The readable census report: kinds, free blocks (against /proc/buddyinfo),
 * the memmap cost per stage with a bar chart, the descriptors behind the final
 * stage, the assumptions, and optionally page-types' summary. Rendered from
 * the census document only.
 */
import picocolors from "picocolors";
import { STAGE_INFO, STAGES } from "../model/index.js";
import { CENSUS_KIND_INFO, CENSUS_KINDS } from "./kinds.js";
import { formatPageTypesSummary, type PageTypesRow } from "./page-types.js";
import { humanBytes, mib } from "./report.js";
import type { CensusDocument } from "./schema.js";

export interface TextOptions {
  /** Append page-types' summary (`--summary`). */
  readonly summary?: boolean;
  /** page-types rows with their unknown bits (the document drops those). */
  readonly summaryRows?: readonly PageTypesRow[];
  /** Columns for bars (default 40). */
  readonly barWidth?: number;
  /** Bold headings with ANSI escapes (the CLI decides, decision 0504); default off. */
  readonly color?: boolean;
}

function bar(fraction: number, width: number): string {
  const eighths = Math.round(Math.max(0, Math.min(1, fraction)) * width * 8);
  const full = Math.floor(eighths / 8);
  const rest = eighths % 8;
  return "█".repeat(full) + (rest > 0 ? (["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][rest] ?? "") : "");
}

const pct = (x: number, digits = 1) => `${x.toFixed(digits)}%`;
const r = (s: string | number, w: number) => String(s).padStart(w);
const l = (s: string | number, w: number) => String(s).padEnd(w);

export function renderCensusText(doc: CensusDocument, options: TextOptions = {}): string {
  const width = options.barWidth ?? 40;
  const pc = picocolors.createColors(options.color ?? false);
  const out: string[] = [];
  const src = doc.source;
  const from =
    src.kind === "live"
      ? src.kpageflags === "/proc/kpageflags"
        ? "live /proc/kpageflags"
        : // MEMDESC_PROC moved /proc: say so, never "live".
          `${src.kpageflags} (MEMDESC_PROC, not this machine's /proc)`
      : src.kind === "sample"
        ? `the sample snapshot shipped with memdesc (${src.kpageflags})`
        : src.kpageflags;
  out.push(
    pc.bold(
      `memdesc census${src.kind === "sample" ? " — SAMPLE, not this machine" : ""}: ${from}` +
        (doc.kernel.release ? `, kernel ${doc.kernel.release}` : ""),
    ),
  );
  if (src.note) out.push(`workload: ${src.note}`);
  if (src.captured) out.push(`captured: ${src.captured}`);
  out.push(
    `${doc.pfns} page frames of ${doc.pageSize} bytes (${humanBytes(doc.pfns * doc.pageSize)} of PFN space); ` +
      `kpageflags semantics of ${doc.kernel.version} (${doc.kernel.semantics}, chosen by ${doc.kernel.chosenBy})`,
  );
  out.push("");

  // Kinds.
  out.push(pc.bold("page frames by kind"));
  out.push(
    `  ${l("kind", 10)} ${l("memdesc", 11)} ${r("pages", 10)} ${r("MiB", 10)} ${r("allocations", 12)} ${r("share", 7)}`,
  );
  const total = doc.pfns || 1;
  for (const k of CENSUS_KINDS) {
    const e = doc.kinds[k];
    const info = CENSUS_KIND_INFO[k];
    const allocs = info.accounting === "allocation" ? String(e.allocations) : "—";
    out.push(
      `  ${l(k, 10)} ${l(e.memdesc ?? "—", 11)} ${r(e.pages, 10)} ${r(((e.pages * doc.pageSize) / 2 ** 20).toFixed(1), 10)} ` +
        `${r(allocs, 12)} ${r(pct((100 * e.pages) / total), 7)}  ${bar(e.pages / total, 20)}`,
    );
  }
  for (const k of CENSUS_KINDS) {
    for (const s of CENSUS_KIND_INFO[k].subCounts) {
      const v = (doc.kinds[k] as Record<string, unknown>)[s.name];
      if (typeof v === "number") out.push(`  ${k}.${s.name}: ${v} (${s.why})`);
    }
  }
  const mapped = CENSUS_KINDS.filter((k) => doc.kinds[k].mappedPages !== undefined);
  if (mapped.length > 0) {
    out.push(
      `  mapped (kpagecount): ${mapped
        .filter((k) => (doc.kinds[k].mappedPages ?? 0) > 0)
        .map((k) => `${k} ${doc.kinds[k].mappedPages} pages / ${doc.kinds[k].mappings} mappings`)
        .join(", ")}`,
    );
  }
  if (doc.orphanTails > 0)
    out.push(`  ${doc.orphanTails} compound tails had no head before them (counted as allocations)`);
  out.push("");

  // Free blocks.
  out.push(pc.bold("free blocks per order (runs of KPF_BUDDY pages, split into aligned blocks)"));
  const orders = doc.freeBlocks.map((_, o) => o);
  const colW = Math.max(6, ...doc.freeBlocks.map((n) => String(n).length + 1));
  out.push(`  ${l("order", 10)}${orders.map((o) => r(o, colW)).join("")}`);
  out.push(`  ${l("census", 10)}${doc.freeBlocks.map((n) => r(n, colW)).join("")}`);
  if (doc.buddyinfo) {
    out.push(`  ${l("buddyinfo", 10)}${doc.buddyinfo.freeBlocks.map((n) => r(n, colW)).join("")}`);
    out.push(
      doc.buddyinfo.agrees
        ? "  agrees with /proc/buddyinfo taken with the data"
        : `  differs from /proc/buddyinfo at orders ${doc.buddyinfo.difference
            .map((d, o) => (d !== 0 ? `${o} (${d > 0 ? "+" : ""}${d})` : null))
            .filter((x) => x !== null)
            .join(
              ", ",
            )} — the allocator ran during the read, or blocks could not merge (isolation, migratetypes)`,
    );
  } else {
    out.push("  (no /proc/buddyinfo recorded with this data to compare)");
  }
  out.push("");

  // Memmap per stage.
  out.push(pc.bold("memmap cost per stage"));
  out.push(
    `  ${l("stage", 10)} ${r("B/page", 6)} ${r("memmap", 12)} ${r("descriptors", 12)} ${r("total", 12)} ${r("of RAM", 7)}`,
  );
  const today = doc.memmap.today.totalBytes || 1;
  for (const s of STAGES) {
    const c = doc.memmap[s];
    out.push(
      `  ${l(s, 10)} ${r(c.bytesPerPage, 6)} ${r(mib(c.memmapBytes), 12)} ${r(c.descriptorBytes ? mib(c.descriptorBytes) : "—", 12)} ` +
        `${r(mib(c.totalBytes), 12)} ${r(pct(c.percentOfRam, 3), 7)}  ${bar(c.totalBytes / today, width)}`,
    );
  }
  const fin = doc.memmap.final;
  out.push(
    `  final saves ${mib(doc.memmap.today.totalBytes - fin.totalBytes)} of ${mib(doc.memmap.today.totalBytes)} ` +
      `(${pct((100 * (doc.memmap.today.totalBytes - fin.totalBytes)) / today)}); ${STAGE_INFO.final.title}`,
  );
  const withBytes = doc.descriptors.filter((d) => d.bytes > 0);
  if (withBytes.length > 0) {
    out.push(
      `  descriptors: ${withBytes.map((d) => `${d.kind} ${d.count} × ${d.bytesEach} B = ${mib(d.bytes)}`).join("; ")}`,
    );
  }
  out.push("");

  out.push(pc.bold("assumptions"));
  for (const a of doc.assumptions) out.push(`  - ${a}`);

  if (options.summary) {
    out.push("");
    out.push(pc.bold("page-types summary (what `page-types -F FILE` prints for the same words)"));
    const rows = options.summaryRows;
    if (rows) {
      out.push(formatPageTypesSummary(rows, doc.pageSize).trimEnd());
      const unknown = rows.filter((x) => x.unknownBits.length > 0);
      if (unknown.length > 0) {
        out.push(
          `  note: page-types would stop with "unknown flag bit" on ${unknown
            .map((x) => `${x.flags} (bits ${x.unknownBits.join(", ")})`)
            .join(", ")}`,
        );
      }
    } else {
      out.push(
        formatPageTypesSummary(
          doc.summary.map((x) => ({ ...x, unknownBits: [] })),
          doc.pageSize,
        ).trimEnd(),
      );
    }
  }
  return `${out.join("\n")}\n`;
}
