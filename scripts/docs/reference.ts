/**
 * docs/reference/{memdesc-word,page-type,page-flags}.md and docs/rules.md,
 * generated from the model's tables.
 */
import type { FindingSpec } from "../../src/model/findings.js";
import { formatKernel } from "../../src/model/kernel.js";
import { MEMDESC_KINDS, type PageFolio } from "../../src/model/kinds.js";
import {
  BUDDY_FIELDS,
  DEFAULT_MEMDESC_TABLE,
  KERNEL_ADDRESS_MIN,
  MEMDESC_TABLES,
  MISC_FIELDS,
  MISC_SUBTYPES,
} from "../../src/model/memdesc-word.js";
import {
  eraCheckAtFree,
  eraDumpNames,
  eraPageFlags,
  PAGE_FLAG_ALIASES,
  PAGE_FLAG_ERAS,
  PAGE_FLAG_POLICIES,
  PAGE_FLAGS,
  PAGE_FLAGS_CHECK_AT_FREE,
  PAGE_FLAGS_CHECK_AT_PREP,
  PAGE_FLAGS_CONFIG,
  PAGE_FLAGS_SECOND,
  PT_FLAGS,
  pageFlagNames,
} from "../../src/model/page-flags.js";
import { PAGE_TYPE_ERAS, PAGE_TYPES, type PageTypeName } from "../../src/model/page-type.js";
import { RULE_IDS, RULES } from "../../src/model/rules.js";
import { STAGE_INFO, STAGES } from "../../src/model/stage.js";
import { hex64 } from "../../src/model/word.js";
import type { DocPage } from "../gen-docs.js";
import { hex, table } from "./md.js";

/** The kind table's pageFolio column in words (src/model/kinds.ts). */
const PAGE_FOLIO_CELL: Record<PageFolio, string> = {
  folio: "its folio",
  none: "NULL (MD006)",
  head: "the compound head, as today",
};

function memdescWordPage(): DocPage {
  const tables = MEMDESC_TABLES.map(
    (t) => `## Table \`${t.name}\`${t === DEFAULT_MEMDESC_TABLE ? " (default)" : ""}

${t.title}. Source: ${t.source}.

${table(
  ["type", "name", "memdesc kind", "bits 4–63", "descriptor", "note"],
  [...Array(16).keys()].map((n) => {
    const e = t.entries.find((x) => x.type === n);
    return e
      ? [n, e.name, e.kind, e.payload, e.struct ?? "—", e.note]
      : [n, "—", "—", "unassigned (decoding it is MD001)", "—", ""];
  }),
)}`,
  ).join("\n\n");
  const field = (name: string, f: { shift: number; width: number }) => [
    name,
    `${f.shift}–${f.shift + f.width - 1}`,
    f.width,
  ];
  return {
    path: "docs/reference/memdesc-word.md",
    content: `# The memdesc word

At the end of the shrink, \`struct page\` is one \`unsigned long memdesc\`: bits 0–3 name a type,
bits 4–63 hold a pointer to a separately allocated descriptor (16-byte aligned, so its low 4 bits
are free) or inline data. Published revisions of the plan disagree on the numbers, so memdesc keeps
each as a named table; \`${DEFAULT_MEMDESC_TABLE.name}\` is the default
([decision 0001](../decisions/0001-default-memdesc-table.md)). Select another with \`--table\`.

A pointer payload must be a kernel address (≥ \`${hex64(KERNEL_ADDRESS_MIN)}\`); a word whose type the
table leaves unassigned, or whose pointer is not a kernel address, is an error, never a guess.

${tables}

## Misc words (inline data)

${table(
  ["field", "bits", "width"],
  [
    field("subtype", MISC_FIELDS.subtype),
    field("user-mappable", MISC_FIELDS.userMappable),
    field("order", MISC_FIELDS.order),
    field("node/zone/section", MISC_FIELDS.nodeZoneSection),
  ],
)}

Subtypes: ${MISC_SUBTYPES.map((s, i) => `${i} ${s}`).join(", ")}; ${MISC_SUBTYPES.length}–127 unassigned.
Misc memory has no refcount and no mapcount.

## Buddy words

The sources embed \`struct buddy\` without giving an 8-byte encoding; memdesc keeps the order in bits
${BUDDY_FIELDS.order.shift}–${BUDDY_FIELDS.order.shift + BUDDY_FIELDS.order.width - 1} on the first page of a free block (an assumption, recorded in decision 0001).

## Descriptors (final stage): size, and what page_folio() finds

${table(
  ["kind", "descriptor", "bytes", "page_folio()", "where the size comes from"],
  Object.values(MEMDESC_KINDS).map((k) => [
    k.kind,
    k.struct ?? "inline",
    k.descriptorBytes,
    PAGE_FOLIO_CELL[k.pageFolio],
    k.sizeSource,
  ]),
)}

## struct page per stage

${table(
  ["stage", "sizeof(struct page)", "descriptors", "source"],
  STAGES.map((s) => [
    s,
    STAGE_INFO[s].pageBytes,
    STAGE_INFO[s].separateDescriptors ? "separately allocated" : "overlay struct page",
    STAGE_INFO[s].source,
  ]),
)}
`,
  };
}

function pageTypePage(): DocPage {
  const names = PAGE_TYPES.map((t) => t.name);
  const eraCell = (era: (typeof PAGE_TYPE_ERAS)[number], n: PageTypeName) => {
    const enc = era.encoding;
    if (enc.style === "top-byte") {
      const v = enc.values[n];
      return v === undefined ? "—" : `top byte ${hex(v)}`;
    }
    const b = enc.bits[n];
    return b === undefined ? "—" : `clear ${hex(b, 8)}`;
  };
  const cell = (era: (typeof PAGE_TYPE_ERAS)[number], n: PageTypeName) =>
    `${eraCell(era, n)}${era.unsettled?.[n] ? " (unsettled)" : ""}`;
  // A stable-release era ends with its whole series: "6.6.30–6.6.y".
  const kernels = (e: (typeof PAGE_TYPE_ERAS)[number]) =>
    `${formatKernel(e.from)}–${e.from.patch !== undefined && e.to.patch === undefined ? `${formatKernel(e.to)}.y` : formatKernel(e.to)}`;
  return {
    path: "docs/reference/page-type.md",
    content: `# page_type

The 32-bit \`page_type\` shares storage with \`_mapcount\`. "No type" is \`UINT_MAX\` (\`_mapcount\` -1) in
every era. Since 6.12 the type is the top byte (\`enum pagetype\`); a top byte below 0x80 is a mapcount,
0x80–0xef is reserved for mapcount overflow. Before 6.12 each type was a bit that \`__SetPageX\`
*cleared* from the all-ones word ("inverted masks"). Decode a word with
\`memdesc decode VALUE --as page_type --kernel VERSION\`.

## Page types (newest kernel)

${table(
  ["type", "accessors", "PGTY", "folio type", "in /proc/kpageflags"],
  PAGE_TYPES.map((t) => [
    t.name,
    t.uname
      ? `Page${t.uname}, __SetPage${t.uname}, __ClearPage${t.uname}`
      : `folio_test_${t.fname}, __folio_set_${t.fname}`,
    hex(t.pgty),
    t.folioType ? "yes (owner may use 16 bits)" : "no",
    t.kpf ?? "not exported",
  ]),
)}

## Encodings by kernel version

${table(
  ["era", "kernels", "style", "owner bits", ...names],
  PAGE_TYPE_ERAS.map((e) => [
    e.id,
    kernels(e),
    e.encoding.style === "top-byte"
      ? "top byte"
      : `inverted masks (BASE ${hex(e.encoding.base >>> 0, 8)}, reserve ${e.encoding.mapcountReserve})`,
    e.encoding.ownerBits,
    ...names.map((n) => cell(e, n)),
  ]),
)}

A \`--kernel\` of \`MAJOR.MINOR\` means that release (\`6.6\` is 6.6.0); give the stable release
(\`6.6.30\`, or a \`uname -r\` string such as \`6.6.30-foo\`) where an era depends on it.

Sources:
${PAGE_TYPE_ERAS.map((e) => `- ${e.id}: ${e.source}`).join("\n")}

Unsettled (decoded, and the decoder says so):
${PAGE_TYPE_ERAS.flatMap((e) => Object.entries(e.unsettled ?? {}).map(([n, why]) => `- ${e.id}, ${n}: ${why}`)).join("\n")}

## Owner bits

page-flags.h: "The low 24 bits of pagetype may be used for your own purposes". mm_types.h: "Owners of
typed folios may reuse the lower 16 bit of the head page page_type field after setting the page
type, but must reset these 16 bit to -1 before clearing the page type". memdesc checks owner fields
declared with \`define_page_type_owner_fields()\` against both rules (MD005).
`,
  };
}

function pageFlagsPage(): DocPage {
  const mask = (m: number) => `${hex(m, 8)} (${pageFlagNames(m).join(", ")})`;
  return {
    path: "docs/reference/page-flags.md",
    content: `# Page flags

\`enum pageflags\` of the newest tree (include/linux/page-flags.h, linux-mm/linux-mm @03e0599d), for an
x86-64 build with CONFIG_MMU, CONFIG_MEMORY_FAILURE, CONFIG_PAGE_IDLE_FLAG and CONFIG_X86_PAT (which
selects ARCH_USES_PG_ARCH_2). Bit numbers change between releases: [the eras](#eras) below give every
kernel from 6.6, and \`memdesc decode --as flags --kernel V\` reads a word with its era.

${table(
  ["bit", "flag", "policy", "folio-only accessor", "config", "comment"],
  PAGE_FLAGS.map((f) => [
    f.bit,
    f.name,
    f.policy ?? "—",
    f.folioOnly ? "yes" : "",
    f.config ?? "",
    f.comment,
  ]),
)}

## Eras

Each era's \`enum pageflags\` numbered under the model's configuration (\`PAGE_FLAGS_CONFIG\`:
${Object.entries(PAGE_FLAGS_CONFIG)
  .map(([k, v]) => `${k} ${v ? "on" : "off"}`)
  .join(", ")}); a dash: the era has no such flag, or the configuration leaves it out.

${table(
  ["flag", ...PAGE_FLAG_ERAS.map((e) => e.id)],
  [...new Set(PAGE_FLAG_ERAS.flatMap((e) => e.flags.map((f) => f.name)))].map((name) => [
    name,
    ...PAGE_FLAG_ERAS.map((e) => {
      const f = eraPageFlags(e).find((x) => x.name === name);
      return f ? `${f.bit} ${f.policy ?? "—"}` : "—";
    }),
  ]),
)}

PAGE_FLAGS_CHECK_AT_FREE per era: ${PAGE_FLAG_ERAS.map((e) => `${e.id} ${hex(eraCheckAtFree(e), 8)}`).join(", ")}.

What \`dump_page()\` and \`%pGp\` print, per era (\`__def_pageflag_names\` of
include/trace/events/mmflags.h, in the table's order, as [bit] name under the
model's configuration); the simulator's dumps follow the machine's \`kernel\`:

${PAGE_FLAG_ERAS.map(
  (e) =>
    `- ${e.id}: ${eraDumpNames(e)
      .map(([b, n]) => `[${b}] ${n}`)
      .join(", ")}`,
).join("\n")}

Sources:

${PAGE_FLAG_ERAS.map((e) => `- ${e.id}: ${e.source}`).join("\n")}

Unsettled:

${PAGE_FLAG_ERAS.filter((e) => e.unsettled)
  .map((e) => `- ${e.id}: ${e.unsettled}`)
  .join("\n")}

## Policies

${table(
  ["policy", "meaning"],
  Object.entries(PAGE_FLAG_POLICIES).map(([k, v]) => [k, v]),
)}

## Aliases

${table(
  ["alias", "bit of", "policy", "note"],
  Object.entries(PAGE_FLAG_ALIASES).map(([k, v]) => [k, v.of, v.policy ?? "—", v.note]),
)}

## ptdesc flags (\`enum pt_flags\`, include/linux/mm.h)

${table(
  ["flag", "bit", "same bit as"],
  Object.entries(PT_FLAGS).map(([k, v]) => [k, v, PAGE_FLAGS.find((f) => f.bit === v)?.name ?? ""]),
)}

## Masks

- PAGE_FLAGS_CHECK_AT_FREE = ${mask(PAGE_FLAGS_CHECK_AT_FREE)} (plus LRU_GEN_MASK, not modelled)
- PAGE_FLAGS_CHECK_AT_PREP = ${mask(PAGE_FLAGS_CHECK_AT_PREP)}
- PAGE_FLAGS_SECOND = ${hex(PAGE_FLAGS_SECOND, 8)}: the folio order in the low byte of page[1].flags plus PG_has_hwpoisoned, PG_large_rmappable, PG_partially_mapped
`,
  };
}

/** The fields of a rule's finding, one line each (what the compile-time types and the simulator fill in). */
function findingFields(spec: FindingSpec): string {
  const fields = Object.entries(spec.fields);
  if (fields.length === 0) return " (no fields)";
  return fields
    .map(([name, f]) => {
      const values =
        f.type === "phrase"
          ? ` — one of ${Object.keys(f.phrases)
              .map((k) => `\`${k}\``)
              .join(", ")}`
          : "";
      return `\n  - \`${name}\` (${f.type}): ${f.doc}${values}`;
    })
    .join("");
}

function rulesPage(): DocPage {
  const entries = RULE_IDS.map((id) => {
    const r = RULES[id];
    return `## ${id} ${r.slug}

**${r.title}.**

${r.explanation}

- Fix: ${r.fix}
- Kernel: ${r.source}
- Compile time: ${r.compileTime ? `TS${r.compileTime.tsCode}. ${r.compileTime.how} Limits: ${r.compileTime.limits}` : "none — the compiler cannot see it; the run-time check is the rule."}
- Run time: ${r.runTime ? `${r.runTime.how}${r.runTime.kernelReport ? ` Kernel report: \`${r.runTime.kernelReport}\`.` : ""}` : "none — decided entirely at compile time."}
- Finding: \`${id} <op>: ${r.finding.sentence}\`${findingFields(r.finding)}
- Examples: [\`examples/rules/${id}-${r.slug}/\`](../examples/rules/${id}-${r.slug}/)`;
  });
  return {
    path: "docs/rules.md",
    content: `# The memdesc rules

Every rule has an ID, a kernel source, a compile-time form where the compiler can decide (a type
whose compiler message carries the ID and a sentence), a run-time form in the simulator, and
examples: one that breaks the rule and one that keeps it. A finding is data — \`{ rule, op, pfn,
fields }\` — and each rule's one sentence template (src/model/findings.ts) renders it, at compile
time as the type the compiler prints and at run time with \` (pfn 0x…)\` after it. A compile-time
finding is sound or silent (decision 0020): one that another handle of the same memory could make
false is left to \`--run\`.

${table(
  ["ID", "rule", "compile time", "run time"],
  RULE_IDS.map((id) => [
    `[${id}](#${id.toLowerCase()}-${RULES[id].slug})`,
    RULES[id].title,
    RULES[id].compileTime ? `TS${RULES[id].compileTime.tsCode}` : "—",
    RULES[id].runTime ? "yes" : "—",
  ]),
)}

${entries.join("\n\n")}
`,
  };
}

export default function referencePages(): DocPage[] {
  return [memdescWordPage(), pageTypePage(), pageFlagsPage(), rulesPage()];
}
