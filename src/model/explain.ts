/**
 * The explanation of one word that `memdesc decode` prints, formed from the
 * model's tables: the memdesc type tables, the page_type encodings per kernel
 * era, the page flags with their policies. Pure: the CLI prints these lines,
 * and the reference site's decoder (src/site/decoder.ts) shows the same lines
 * in the browser, from this same code bundled (docs/decisions/0700).
 * The kpageflags explanation needs the census classifier, so it lives one
 * layer up, in src/census/explain.ts.
 */
import { inputError } from "./errors.js";
import type { KernelVersion } from "./kernel.js";
import { formatKernel } from "./kernel.js";
import { decodeMemdesc, memdescTable } from "./memdesc-word.js";
import { eraPageFlags, PAGE_FLAG_ERAS, PAGE_FLAGS_CONFIG, PT_FLAGS, pageFlagEra } from "./page-flags.js";

const PAGE_FLAG_ERAS_NEWEST = PAGE_FLAG_ERAS.at(-1);

import { decodePageType, PAGE_TYPES, pageTypeEra, pageTypeTester } from "./page-type.js";
import { hex32, hex64 } from "./word.js";

export const DECODE_KINDS = ["memdesc", "page_type", "flags", "kpageflags"] as const;
export type DecodeKind = (typeof DECODE_KINDS)[number];

/** One word explained: the lines `memdesc decode` prints and the fields `--json` adds. */
export interface Decoded {
  readonly as: DecodeKind;
  readonly value: string;
  readonly lines: readonly string[];
  readonly json: Record<string, unknown>;
}

/** A memdesc word read with one of the memdesc type tables. */
export function decodeMemdescWord(value: bigint, tableName: string): Decoded {
  const table = memdescTable(tableName);
  const d = decodeMemdesc(value, table);
  const lines = [`memdesc ${hex64(value)}  (table ${table.name}: ${table.title})`];
  const json: Record<string, unknown> = {
    table: table.name,
    type: d.entry.type,
    name: d.entry.name,
    kind: d.entry.kind,
  };
  lines.push(
    `  type      ${d.entry.type} = ${d.entry.name} (bits 0–3)${d.entry.note ? `: ${d.entry.note}` : ""}`,
  );
  switch (d.payload) {
    case "pointer":
      lines.push(
        `  pointer   ${hex64(d.address)} → ${d.entry.struct ?? "a struct the table does not name"} (bits 4–63; 16-byte aligned, from a slab cache)`,
      );
      json.address = hex64(d.address);
      json.struct = d.entry.struct;
      break;
    case "misc":
      lines.push(
        `  subtype   ${d.subtype} = ${d.subtypeName ?? "unassigned"} (bits 4–10)`,
        `  mappable  ${d.userMappable ? "yes" : "no"} (bit 11: may be mapped to user space)`,
        `  order     ${d.order} (bits 12–17: the allocation is ${2 ** d.order} page${d.order ? "s" : ""})`,
        `  node/zone/section ${hex64(d.nodeZoneSection)} (bits 18–63)`,
      );
      Object.assign(json, {
        subtype: d.subtype,
        subtypeName: d.subtypeName,
        userMappable: d.userMappable,
        order: d.order,
        nodeZoneSection: hex64(d.nodeZoneSection),
      });
      break;
    case "buddy":
      lines.push(
        `  order     ${d.order} (bits 4–9, on the first page of a free block)`,
        `  rest      ${hex64(d.rest)}`,
      );
      Object.assign(json, { order: d.order, rest: hex64(d.rest) });
      break;
    case "none":
      lines.push(`  payload   ${hex64(d.rest)} (the table defines no payload for this type)`);
      json.payload = hex64(d.rest);
      break;
  }
  return { as: "memdesc", value: hex64(value), lines, json };
}

/** A 32-bit page_type word read with the encoding of `kernel`'s era. */
export function decodePageTypeWord(value: number, kernel: KernelVersion): Decoded {
  const era = pageTypeEra(kernel);
  const d = decodePageType(value, era);
  const style = era.encoding.style === "top-byte" ? "top byte" : "inverted bit masks";
  const lines = [`page_type ${hex32(value)}  (kernel ${formatKernel(kernel)}: era ${era.id}, ${style})`];
  const json: Record<string, unknown> = { kernel: formatKernel(kernel), era: era.id, meaning: d.kind };
  switch (d.kind) {
    case "untyped":
      lines.push("  no type: page_type == UINT_MAX, i.e. _mapcount == -1 (not mapped)");
      break;
    case "mapcount":
      lines.push(
        `  not a type: _mapcount ${value | 0}, the page is mapped ${d.mapcount} time${d.mapcount === 1 ? "" : "s"}`,
      );
      json.mapcount = d.mapcount;
      break;
    case "typed": {
      const info = PAGE_TYPES.find((t) => t.name === d.type)!;
      const accessor = pageTypeTester(d.type, era);
      lines.push(
        `  type      ${d.type}: ${accessor}${info.folioType ? " (a folio type)" : ""}${era.encoding.style === "top-byte" ? ` — PGTY_${d.type} 0x${(value >>> 24).toString(16)}` : ""}`,
      );
      if (d.ownerBits > 0) {
        lines.push(
          `  owner     low ${d.ownerBits} bits = 0x${d.ownerValue.toString(16)}${info.folioType ? " (typed folios may use only the low 16: mm_types.h)" : ""}`,
        );
      }
      if (info.kpf) lines.push(`  /proc/kpageflags shows it as ${info.kpf}`);
      if (d.unsettled) lines.push(`  unsettled ${d.unsettled}`);
      Object.assign(json, { type: d.type, ownerBits: d.ownerBits, ownerValue: d.ownerValue });
      if (d.unsettled) json.unsettled = d.unsettled;
      break;
    }
    case "mapcount-overflow":
      lines.push(
        `  top byte 0x${d.topByte.toString(16)}: reserved for mapcount overflow (0x80–0xef), not a type`,
      );
      break;
    case "unknown-type":
      inputError(`page_type ${hex32(value)}: ${d.detail}`);
  }
  return { as: "page_type", value: hex32(value), lines, json };
}

/**
 * A page->flags word read with `kernel`'s enum pageflags (its era in
 * PAGE_FLAG_ERAS), numbered under the model's configuration.
 */
export function decodeFlagsWord(value: bigint, kernel: KernelVersion): Decoded {
  const era = pageFlagEra(kernel);
  const flags = eraPageFlags(era, PAGE_FLAGS_CONFIG);
  const nr = flags.length;
  const lines = [
    `flags ${hex64(value)}  (kernel ${formatKernel(kernel)}: enum pageflags of era ${era.id}, x86-64 config)`,
  ];
  const set: Record<string, unknown>[] = [];
  for (const f of flags) {
    if (!((value >> BigInt(f.bit)) & 1n)) continue;
    const aliases = Object.entries(era.aliases)
      .filter(([, a]) => a.of === f.name)
      .map(([n]) => n);
    // enum pt_flags reuses page flag numbers by name (PT_kernel = PG_referenced); only the newest tree has it.
    const pt =
      era === PAGE_FLAG_ERAS_NEWEST
        ? Object.entries(PT_FLAGS)
            .filter(([, b]) => b === f.bit)
            .map(([n]) => n)
        : [];
    lines.push(
      `  bit ${String(f.bit).padStart(2)}  ${f.name.padEnd(16)} ${(f.policy ?? "no policy").padEnd(14)}${f.folioOnly ? " folio-only" : ""}${pt.length ? `  (${pt.join(", ")} on a ptdesc)` : ""}${aliases.length ? `  aliases: ${aliases.join(", ")}` : ""}`,
    );
    set.push({ bit: f.bit, name: f.name, policy: f.policy, aliases, ptdesc: pt });
  }
  const high = value >> BigInt(nr);
  if (high) {
    lines.push(
      `  bits ${nr}–63 = ${hex64(high)}: not flags — zone, node, section, LRU generation and last_cpupid fields (layout depends on the config)`,
    );
  }
  if (set.length === 0 && !high) lines.push("  no flags set");
  if (era.unsettled) lines.push(`  unsettled ${era.unsettled}`);
  const json: Record<string, unknown> = {
    kernel: formatKernel(kernel),
    era: era.id,
    flags: set,
    fields: hex64(high),
  };
  if (era.unsettled) json.unsettled = era.unsettled;
  return { as: "flags", value: hex64(value), lines, json };
}
