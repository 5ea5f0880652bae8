/**
 * The kpageflags part of `memdesc decode`: a /proc/kpageflags word with
 * page-types' letters and long names, the census kind it is classified as,
 * and the memdesc kind that would describe it. Here, not in src/model,
 * because it asks the census classifier. `decodeWord` parses a value given as
 * text and explains it as any of the four kinds; the CLI and the reference
 * site's decoder both call it, so they print the same lines.
 */
import {
  type Decoded,
  type DecodeKind,
  decodeFlagsWord,
  decodeMemdescWord,
  decodePageTypeWord,
} from "../model/explain.js";
import { formatKernel, type KernelVersion, NEWEST_KERNEL, parseKernel } from "../model/kernel.js";
import {
  kpfBit,
  kpfBitNote,
  kpfSemanticsFor,
  pageTypesLongNames,
  pageTypesSymbolic,
  pageTypesUnknownBits,
  pageTypesWellKnown,
} from "../model/kpageflags.js";
import { hex64, parseU32, parseU64, setBits64 } from "../model/word.js";
import { CENSUS_KIND_INFO, classifyWord } from "./kinds.js";

export interface DecodeOptions {
  /** Memdesc type table name (memdesc words). */
  readonly table: string;
  /** Kernel version as the user wrote it (page_type, flags and kpageflags); the newest when absent. */
  readonly kernel?: string | undefined;
}

/**
 * Explain `value` (0x… hex, decimal, 0o… or 0b…) as a word of kind `as`.
 * Bad input throws a MemdescInputError with the one line to show.
 */
export function decodeWord(as: DecodeKind, value: string, opts: DecodeOptions): Decoded {
  const kernel = opts.kernel ? parseKernel(opts.kernel) : NEWEST_KERNEL;
  switch (as) {
    case "memdesc":
      return decodeMemdescWord(parseU64(value, "memdesc word"), opts.table);
    case "page_type":
      return decodePageTypeWord(parseU32(value, "page_type word"), kernel);
    case "flags":
      return decodeFlagsWord(parseU64(value, "flags word"), kernel);
    case "kpageflags":
      return decodeKpageflagsWord(parseU64(value, "kpageflags word"), kernel);
  }
}

export function decodeKpageflagsWord(value: bigint, kernel: KernelVersion): Decoded {
  const sem = kpfSemanticsFor(kernel);
  const lines = [`kpageflags ${hex64(value)}  (kernel ${formatKernel(kernel)}: ${sem.title})`];
  const bits = setBits64(value).map((bit) => {
    const info = kpfBit(bit);
    return {
      bit,
      name: info?.name ?? null,
      letter: info?.letter ?? null,
      longName: info?.longName ?? null,
      scope: info?.scope ?? null,
      note: kpfBitNote(bit, kernel),
    };
  });
  for (const b of bits) {
    const label = b.name
      ? `${b.name.padEnd(18)} ${b.letter ?? " "} ${b.longName}`
      : "(no KPF name: not set by any kernel memdesc knows)";
    lines.push(
      `  bit ${String(b.bit).padStart(2)}  ${label}${b.scope === "page-types" ? " [page-types -r pseudo-bit, never in /proc/kpageflags]" : ""}${b.note ? `  — ${b.note}` : ""}`,
    );
  }
  if (bits.length === 0)
    lines.push(
      "  no bits set: a PFN with no online memmap (new kernels), a free page on a per-CPU list, or an allocation that carries no flags",
    );
  const shown = pageTypesWellKnown(value);
  lines.push(`  page-types  ${pageTypesSymbolic(shown)}  ${pageTypesLongNames(shown) || "(none)"}`);
  const unknown = pageTypesUnknownBits(value);
  if (unknown.length) lines.push(`  page-types would stop with "unknown flag bit ${unknown[0]}"`);
  const kind = classifyWord(value);
  const info = CENSUS_KIND_INFO[kind];
  lines.push(`  census kind ${kind}: ${info.ruleText}`);
  lines.push(`  memdesc     ${info.memdesc ?? "none can be named from kpageflags"}`);
  return {
    as: "kpageflags",
    value: hex64(value),
    lines,
    json: {
      kernel: formatKernel(kernel),
      semantics: sem.name,
      bits,
      pageTypes: {
        flags: hex64(shown),
        symbolic: pageTypesSymbolic(shown),
        longNames: pageTypesLongNames(shown),
      },
      censusKind: kind,
      memdescKind: info.memdesc,
    },
  };
}
