/**
 * `memdesc layout [STRUCT] [--stage STAGE] [--json]`: a struct's layout at a
 * stage, printed the way pahole prints a kernel struct (offset and size of
 * every member, unions and their anonymous structs nested), with the struct
 * page member each overlay member must sit on. Without STRUCT: every struct
 * of the stage in a summary table. Reads only the model's layout tables.
 */

import {
  getLayout,
  KERNEL_MATCH_ASSERTS,
  LAYOUT_CONFIG,
  LAYOUT_STRUCTS,
  LAYOUTS,
  type LayoutNode,
  type LayoutStruct,
  layoutTree,
  pageChanges,
  parseLayoutStruct,
  parseStage,
  STAGES,
  type Stage,
  type StructLayout,
} from "../model/index.js";
import type { RegisterCommand } from "./run.js";

const INDENT = "    ";

interface Line {
  readonly code: string;
  /** [offset, size] for the pahole comment, when the line declares something. */
  readonly at?: readonly [number, number];
  readonly extra?: string;
}

function declaration(f: StructLayout["fields"][number]): string {
  const sep = f.ctype.endsWith("*") ? "" : " ";
  const array = f.count !== undefined ? `[${f.count}]` : "";
  const bits = f.bits ? `:${f.bits.width}` : "";
  return `${f.ctype}${sep}${f.name}${array}${bits};`;
}

/** One line on what the stage is, from the layouts themselves. */
function stageLine(stage: Stage): string {
  const separate = LAYOUT_STRUCTS.some((k) => k !== "page" && !LAYOUTS[stage][k].overlays);
  return `${LAYOUTS[stage].page.size}-byte struct page; ${
    separate
      ? "folio, ptdesc, slab and zpdesc are allocated separately"
      : "folio, ptdesc, slab and zpdesc overlay it"
  }`;
}

/** The kernel's static_asserts that pin this member to struct page, as the source writes them. */
function asserts(layout: StructLayout, name: string): string[] {
  return KERNEL_MATCH_ASSERTS.filter((a) => a.struct === layout.struct && a.field === name).map(
    (a) => `${a.macro}(${a.pg}, ${a.field})${a.page === 0 ? "" : ` [page ${a.page}]`}`,
  );
}

function annotations(layout: StructLayout, f: StructLayout["fields"][number]): string | undefined {
  const parts: string[] = layout.stage === "today" ? asserts(layout, f.name) : [];
  if (f.matches !== undefined && parts.length === 0) parts.push(`on page ${f.matches}`);
  if (f.bits) {
    const last = f.bits.shift + f.bits.width - 1;
    parts.push(f.bits.width === 1 ? `bit ${last}` : `bits ${f.bits.shift}-${last}`);
  }
  if (f.config !== undefined) parts.push(f.config);
  return parts.length > 0 ? parts.join("; ") : undefined;
}

/** Natural alignment of a member (u128 is 16-byte aligned; nothing else exceeds a long). */
function alignOf(n: LayoutNode): number {
  if (n.kind === "field") {
    if (n.field.ts === "u128") return 16;
    return Math.min(8, n.field.size / (n.field.count ?? 1));
  }
  return Math.max(1, ...n.members.map(alignOf));
}

function nodeExtent(n: LayoutNode): readonly [number, number] {
  if (n.kind === "field") return [n.field.offset, n.field.size];
  if (n.kind === "union") return [n.union.offset, n.union.size];
  return [n.offset, n.size];
}

/** Members laid out one after another (a struct body): pahole's hole markers between them. */
function sequence(layout: StructLayout, nodes: readonly LayoutNode[], depth: number, out: Line[]): number {
  let end: number | undefined;
  for (const n of nodes) {
    const [offset, size] = nodeExtent(n);
    if (end !== undefined && offset > end) {
      out.push({ code: `${INDENT.repeat(depth)}/* XXX ${offset - end} bytes hole */` });
    }
    node(layout, n, depth, out);
    end = Math.max(end ?? 0, offset + size);
  }
  return end ?? 0;
}

function node(layout: StructLayout, n: LayoutNode, depth: number, out: Line[]): void {
  const pad = INDENT.repeat(depth);
  if (n.kind === "field") {
    const extra = annotations(layout, n.field);
    out.push({
      code: `${pad}${declaration(n.field)}`,
      at: [n.field.offset, n.field.size],
      ...(extra === undefined ? {} : { extra }),
    });
    return;
  }
  if (n.kind === "union") {
    out.push({ code: `${pad}union {`, at: [n.union.offset, n.union.size] });
    for (const m of n.members) node(layout, m, depth + 1, out);
    out.push({ code: `${pad}};` });
    return;
  }
  // pahole reports an anonymous struct's sizeof: its members rounded up to its alignment.
  const align = alignOf(n);
  out.push({ code: `${pad}struct {`, at: [n.offset, Math.ceil(n.size / align) * align] });
  sequence(layout, n.members, depth + 1, out);
  out.push({ code: `${pad}};` });
}

/** The pahole-style text for one struct at one stage. */
export function renderLayoutText(layout: StructLayout): string {
  const lines: Line[] = [];
  const end = sequence(layout, layoutTree(layout), 1, lines);
  const width = Math.max(...lines.map((l) => l.code.length), `struct ${layout.struct} {`.length) + 2;
  const comment = (at: readonly [number, number]) =>
    `/* ${String(at[0]).padStart(5)} ${String(at[1]).padStart(5)} */`;
  const body = lines.map((l) => {
    if (!l.at) return l.code;
    const text = `${l.code.padEnd(width)}${comment(l.at)}`;
    return l.extra === undefined ? text : `${text}  ${l.extra}`;
  });
  const isOverlay = layout.overlays;
  const head = [
    `/* struct ${layout.struct} at stage ${layout.stage}: ${stageLine(layout.stage)} */`,
    `/* source: ${layout.source} */`,
    ...(layout.derived === undefined ? [] : [`/* derived: ${layout.derived} */`]),
    `/* config: ${LAYOUT_CONFIG.summary} */`,
    `${`struct ${layout.struct} {`.padEnd(width)}/* offset  size */${isOverlay ? "  kernel assert tying it to struct page" : ""}`,
  ];
  const tail = [`${INDENT}/* size: ${layout.size} */`];
  if (layout.size > end) tail.push(`${INDENT}/* padding: ${layout.size - end} */`);
  return `${[...head, ...body, ...tail, "};"].join("\n")}\n`;
}

function placement(stage: Stage, layout: StructLayout): string {
  if (layout.struct === "page") return "memmap, one per base page";
  if (layout.overlays) {
    const pages = layout.size / LAYOUTS[stage].page.size;
    return pages > 1 ? `overlays ${pages} struct pages` : "overlays struct page";
  }
  return "own slab cache, 16-byte aligned";
}

/** The summary of every struct at one stage. */
export function renderStageSummary(stage: Stage): string {
  const rows = LAYOUT_STRUCTS.map((k) => {
    const l = getLayout(stage, k);
    return [`struct ${k}`, String(l.size), placement(stage, l), String(l.fields.length), l.source];
  });
  const head = ["struct", "size", "placement", "members", "source"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const fmt = (r: readonly string[]) =>
    r
      .map((c, i) => (i === 1 || i === 3 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const change = pageChanges().find((c) => c.stage === stage);
  const lines = [
    `stage ${stage}: ${stageLine(stage)}`,
    `config: ${LAYOUT_CONFIG.summary}`,
    "",
    fmt(head),
    ...rows.map(fmt),
  ];
  if (change && stage !== STAGES[0]) {
    lines.push(
      "",
      `struct page loses: ${change.removed.join(", ") || "(nothing)"}`,
      `struct page gains: ${change.added.join(", ") || "(nothing)"}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The --json form of one struct: its total size in bytes plus every member. */
export function layoutJson(layout: StructLayout): object {
  return {
    struct: layout.struct,
    stage: layout.stage,
    size: layout.size,
    overlays: layout.overlays,
    source: layout.source,
    ...(layout.derived === undefined ? {} : { derived: layout.derived }),
    config: LAYOUT_CONFIG.summary,
    unions: layout.unions,
    fields: layout.fields,
  };
}

/** The --json form of a stage summary. */
export function stageJson(stage: Stage): object {
  const change = pageChanges().find((c) => c.stage === stage);
  return {
    stage,
    pageBytes: LAYOUTS[stage].page.size,
    config: LAYOUT_CONFIG.summary,
    structs: LAYOUT_STRUCTS.map((k) => {
      const l = getLayout(stage, k);
      return { struct: k, size: l.size, overlays: l.overlays, members: l.fields.length, source: l.source };
    }),
    pageRemoved: change?.removed ?? [],
    pageAdded: change?.added ?? [],
  };
}

export const registerLayout: RegisterCommand = (program) => {
  program
    .command("layout")
    .summary("print a struct's layout at a stage, pahole style")
    .description(
      "Print the layout of struct page, folio, ptdesc, slab or zpdesc at a stage of the struct page shrink: " +
        "offset and size of every member, unions nested, and for today's overlays the struct page member each " +
        "member must sit on (FOLIO_MATCH, TABLE_MATCH, SLAB_MATCH, ZPDESC_MATCH). Without STRUCT, summarise every " +
        "struct of the stage.",
    )
    .argument("[struct]", `one of ${LAYOUT_STRUCTS.join(", ")}`)
    .option("--stage <stage>", `one of ${STAGES.join(", ")}`, "today")
    .option("--json", "print JSON (the struct's total size in bytes and its members)")
    // runCli() sets exitOverride() on the root program after the commands are
    // registered, which subcommands do not inherit: without this, a commander
    // usage error here would process.exit(1) instead of reaching runCli (exit 2).
    .exitOverride()
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  memdesc layout page                   today's 64-byte struct page",
        "  memdesc layout ptdesc                 struct ptdesc with its TABLE_MATCH partners",
        "  memdesc layout page --stage final     struct page { unsigned long memdesc; }",
        "  memdesc layout --stage interim32      every struct at the 32-byte stage",
        "  memdesc layout folio --json           machine-readable",
      ].join("\n"),
    )
    .action((structArg, options) => {
      const stage = parseStage(options.stage);
      const struct: LayoutStruct | undefined =
        structArg === undefined ? undefined : parseLayoutStruct(structArg);
      let text: string;
      if (struct === undefined) {
        text = options.json ? `${JSON.stringify(stageJson(stage), null, 2)}\n` : renderStageSummary(stage);
      } else {
        const layout = getLayout(stage, struct);
        text = options.json ? `${JSON.stringify(layoutJson(layout), null, 2)}\n` : renderLayoutText(layout);
      }
      process.stdout.write(text);
    });
};
