/**
 * docs/reference/layouts.md: every struct at every stage, the kernel's
 * *_MATCH static_asserts, what each stage removes from struct page, and the
 * published layouts the model did not choose — all from src/model/layouts.
 */
import {
  ALTERNATIVE_PAGE_LAYOUTS,
  KERNEL_MATCH_ASSERTS,
  KERNEL_SIZE_ASSERTS,
  LAYOUT_CONFIG,
  LAYOUT_STRUCTS,
  LAYOUTS,
  type LayoutNode,
  layoutTree,
  pageChanges,
  STAGES,
  type Stage,
  type StructLayout,
} from "../../src/model/index.js";
import type { DocPage } from "../gen-docs.js";
import { table } from "./md.js";

const code = (s: string) => `\`${s}\``;
const PAGE_SIZE = 4096;

/** Rows in declaration order, each with the union/struct nesting it sits in. */
function rows(layout: StructLayout): (string | number)[][] {
  const out: (string | number)[][] = [];
  const walk = (nodes: readonly LayoutNode[], path: readonly string[]) => {
    for (const n of nodes) {
      if (n.kind === "union") {
        walk(n.members, [...path, `union ${n.union.id}`]);
        continue;
      }
      if (n.kind === "struct") {
        walk(n.members, [...path, `struct ${n.alt}`]);
        continue;
      }
      const f = n.field;
      const array = f.count !== undefined ? `[${f.count}]` : "";
      const bits = f.bits ? `:${f.bits.width} (bits ${f.bits.shift}–${f.bits.shift + f.bits.width - 1})` : "";
      const matches = KERNEL_MATCH_ASSERTS.filter((a) => a.struct === layout.struct && a.field === f.name);
      const matchText =
        layout.stage === "today" && matches.length > 0
          ? matches.map((a) => code(`${a.page === 0 ? "" : `page[${a.page}].`}${a.pg}`)).join(", ")
          : f.matches !== undefined
            ? code(f.matches)
            : "";
      out.push([
        f.offset,
        f.size,
        code(`${f.name}${array}`) + bits,
        code(f.ctype),
        f.ts,
        path.join(" › "),
        matchText,
        f.config ?? "",
        f.note ?? "",
      ]);
    }
  };
  walk(layoutTree(layout), []);
  return out;
}

function structSection(layout: StructLayout, heading: string): string {
  const placement =
    layout.struct === "page"
      ? "the memmap: one per base page"
      : layout.overlays
        ? `overlays ${layout.size > LAYOUTS.today.page.size ? `${layout.size / LAYOUTS.today.page.size} struct pages` : "struct page"}`
        : "separately allocated from its own slab cache, 16-byte aligned";
  const lines = [
    `${heading} struct ${layout.struct} — ${layout.size} bytes`,
    "",
    `Placement: ${placement}. Source: ${layout.source}.`,
  ];
  if (layout.derived !== undefined) lines.push("", `Derived by the model: ${layout.derived}.`);
  lines.push(
    "",
    table(
      ["Offset", "Size", "Member", "C type", "ts", "Inside", "Sits on struct page", "Config", "Note"],
      rows(layout),
    ),
    "",
    `Size: ${code(`/* size: ${layout.size} */`)}`,
  );
  return lines.join("\n");
}

function summary(): string {
  const changes = pageChanges();
  return table(
    [
      "Stage",
      "sizeof(struct page)",
      "memmap share of RAM (4 KiB pages)",
      "struct page loses",
      "struct page gains",
      "Source",
    ],
    changes.map((c) => [
      c.stage,
      c.pageBytes,
      `${(c.pageBytes / PAGE_SIZE) * 100} %`,
      c.removed.map(code).join(", ") || "—",
      c.stage === STAGES[0] ? "—" : c.added.map(code).join(", ") || "—",
      LAYOUTS[c.stage].page.source,
    ]),
  );
}

function memberMatrix(): string {
  const names: string[] = [];
  for (const s of STAGES)
    for (const f of LAYOUTS[s].page.fields) if (!names.includes(f.name)) names.push(f.name);
  return table(
    ["struct page member", ...STAGES],
    names.map((n) => [
      code(n),
      ...STAGES.map((s) => {
        const f = LAYOUTS[s].page.fields.find((x) => x.name === n);
        return f ? `${f.offset} (${f.size})` : "—";
      }),
    ]),
  );
}

function descriptorsSection(): string {
  const separate = STAGES.filter((s) => LAYOUT_STRUCTS.some((k) => k !== "page" && !LAYOUTS[s][k].overlays));
  const first = separate[0];
  if (first === undefined) return "";
  const out: string[] = [];
  const sameEverywhere = (k: (typeof LAYOUT_STRUCTS)[number]) => {
    const strip = (s: Stage) => JSON.stringify({ ...LAYOUTS[s][k], stage: undefined });
    return separate.every((s) => strip(s) === strip(first));
  };
  out.push(
    `## Separately allocated descriptors (${separate.join(", ")})`,
    "",
    "From the interim stages on, each descriptor comes from its own slab cache with 16-byte alignment " +
      "(the memdesc word keeps its type in the low 4 bits), so each size is a multiple of 16.",
  );
  for (const k of LAYOUT_STRUCTS) {
    if (k === "page") continue;
    if (sameEverywhere(k)) {
      out.push("", structSection(LAYOUTS[first][k], "###"), "", `Identical at ${separate.join(", ")}.`);
    } else {
      for (const s of separate) out.push("", structSection(LAYOUTS[s][k], `### ${s}:`));
    }
  }
  return out.join("\n");
}

function assertsSection(): string {
  const page = LAYOUTS.today.page;
  const offsetOf = (struct: StructLayout, name: string) => struct.fields.find((f) => f.name === name)?.offset;
  return [
    "## The kernel's layout asserts (stage today)",
    "",
    "Each row is one `static_assert` of the newest tree under the configuration above. The model proves " +
      "every row at compile time (`src/model/layouts/matches.ts`: a wrong offset fails `tsc` with the macro " +
      "and both offsets in the message) and again in `test/model/layouts.test.ts`. For the folio's second, " +
      "third and fourth page, mm_types.h redefines FOLIO_MATCH to add `N * sizeof(struct page)`.",
    "",
    table(
      ["Macro", "struct page member", "Page", "Overlay member", "Offset", "Config", "File"],
      KERNEL_MATCH_ASSERTS.map((a) => [
        a.macro,
        code(a.pg),
        a.page,
        code(`${a.struct}.${a.field}`),
        (offsetOf(page, a.pg) ?? 0) + a.page * page.size,
        "config" in a ? a.config : "",
        a.file,
      ]),
    ),
    "",
    table(
      ["Size bound", "Holds", "File"],
      KERNEL_SIZE_ASSERTS.map((a) => [
        a.text,
        `${LAYOUTS.today[a.struct].size} ≤ ${a.bound === "sizeof(struct page)" ? page.size : offsetOf(page, "memcg_data")}`,
        a.file,
      ]),
    ),
  ].join("\n");
}

export default function layoutsDocs(): DocPage[] {
  const parts: string[] = [
    "# Struct layouts per stage",
    "",
    "Regenerate with `npm run docs` (source: `src/model/layouts/`, generator: `scripts/docs/layouts.ts`). " +
      "Print any of these in a terminal with `memdesc layout STRUCT --stage STAGE` (add `--json` for data). " +
      "Decisions: [0300 data shape](../decisions/0300-layout-data-shape.md), " +
      "[0301 configuration](../decisions/0301-layout-config.md), " +
      "[0302 interim and final layouts](../decisions/0302-interim-and-final-layouts.md).",
    "",
    "## Configuration assumed",
    "",
    `Offsets are for ${LAYOUT_CONFIG.arch}: ${LAYOUT_CONFIG.summary}.`,
    "",
    table(
      ["Symbol", "Value", "Effect"],
      LAYOUT_CONFIG.assumptions.map((a) => [code(a.symbol), a.value, a.effect]),
    ),
    "",
    "## struct page at each stage",
    "",
    summary(),
    "",
    "Memmap shares are `sizeof(struct page) / 4096` (derived); separately allocated descriptors cost extra " +
      "(one per allocation, see the sizes below).",
    "",
    "## Members of struct page at each stage (MD007)",
    "",
    "Rule MD007, *a field exists at the chosen stage*, is decided by this table: a member marked — does not " +
      "exist at that stage, so code that uses it does not compile when checked against that stage. " +
      "Cells give offset (size).",
    "",
    memberMatrix(),
    "",
    assertsSection(),
    "",
    "## Stage today",
    "",
    "The 64-byte struct page and the descriptors that overlay it, verified against linux-mm/linux-mm " +
      "(include/linux/mm_types.h @0199209e47e0, mm/slab.h @129c35f1a42e, mm/zpdesc.h @5a9d2b558f05).",
  ];
  for (const k of LAYOUT_STRUCTS) parts.push("", structSection(LAYOUTS.today[k], "###"));
  for (const s of STAGES.filter((x) => x !== "today")) {
    parts.push("", `## Stage ${s}`, "", structSection(LAYOUTS[s].page, "###"));
  }
  parts.push("", descriptorsSection());
  parts.push(
    "",
    "## Published struct page layouts not chosen",
    "",
    "The plans disagree; the model picks one layout per stage and keeps the others here " +
      "(why: [0302](../decisions/0302-interim-and-final-layouts.md)).",
  );
  for (const alt of ALTERNATIVE_PAGE_LAYOUTS) {
    parts.push(
      "",
      `### ${alt.id} (competes with ${alt.stage})`,
      "",
      alt.title,
      "",
      structSection(alt.layout, "####"),
    );
  }
  return [{ path: "docs/reference/layouts.md", content: parts.join("\n") }];
}
