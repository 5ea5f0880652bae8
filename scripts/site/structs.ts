/**
 * structs.html: the shrink of struct page drawn. One figure per struct (page,
 * folio, ptdesc, slab, zpdesc) with each stage side by side as byte-accurate
 * boxes from src/model/layouts, the *_MATCH overlay pairs (KERNEL_MATCH_ASSERTS)
 * as connectors, and every member of today's struct page traced to where it
 * lives at each later stage.
 */
import {
  KERNEL_MATCH_ASSERTS,
  LAYOUT_CONFIG,
  LAYOUT_STRUCTS,
  LAYOUTS,
  type LayoutNode,
  type LayoutStruct,
  layoutTree,
  MATCH_MACRO,
  type OverlayStruct,
  STAGE_INFO,
  STAGES,
  type Stage,
  type StructLayout,
} from "../../src/model/index.js";
import { anchor, code, esc, htmlTable, page, type SitePage } from "./html.js";
import { type BoxSpec, type Column, legend, Router, structColumn, svgDoc, textWidth } from "./svg.js";

const PAGE: StructLayout = LAYOUTS.today.page;

/** The fields of a layout in C declaration order (union alternatives in order). */
export function declOrder(layout: StructLayout) {
  const out: StructLayout["fields"][number][] = [];
  const walk = (nodes: readonly LayoutNode[]) => {
    for (const n of nodes) {
      if (n.kind === "field") out.push(n.field);
      else walk(n.members);
    }
  };
  walk(layoutTree(layout));
  return out;
}

/** Anchor of a member of a struct at a stage: structs.html#page-today-_mapcount. */
export const fieldAnchor = (struct: LayoutStruct, stage: Stage, field: string) =>
  anchor(struct, stage, field);

/**
 * Where a member of today's struct page lives when the layout tables do not
 * say it by name: the plan renames it. Each entry cites the plan.
 * - compound_info: the memdesc word replaces it (Memdescs/Path: struct page's
 *   `unsigned long memdesc` "replaces compound_head"; the interim32 table's
 *   note says the same). The *_MATCH pairs on compound_info only keep an
 *   overlay's first word off bit 0; they are not successors.
 * (memcg_data needs no entry: the separately allocated struct folio keeps
 * today's name, decision 0303, though the Path page's 2025 folio writes `memcg`.)
 */
const RENAMED: Readonly<
  Record<string, { readonly instead?: readonly Loc[]; readonly also?: readonly Loc[]; readonly why: string }>
> = {
  compound_info: {
    instead: [{ struct: "page", field: "memdesc" }],
    why: "the memdesc word replaces compound_head/compound_info (https://kernelnewbies.org/MatthewWilcox/Memdescs/Path)",
  },
  page_type: {
    also: [{ struct: "page", field: "memdesc" }],
    why: "the memdesc word's type bits take over the page types: Buddy, Slab, PageTable … are memdesc types (https://kernelnewbies.org/MatthewWilcox/Memdescs); zsmalloc's first_obj_offset, kept in page_type's owner bits today (ZPDESC_MATCH), moves to struct zpdesc",
  },
};

interface Loc {
  readonly struct: LayoutStruct;
  readonly field: string;
}

export type TraceCell =
  | { readonly kind: "page"; readonly locs: readonly Loc[] }
  | { readonly kind: "desc"; readonly locs: readonly Loc[] }
  | { readonly kind: "gone"; readonly locs: readonly [] };

/**
 * Where member `name` of today's struct page lives at `stage`: in struct page
 * (same name, or the plan's successor), in separately allocated descriptors
 * (a member of the same name, or the member a *_MATCH assert sits on it today),
 * or nowhere in the model's layouts.
 */
export function tracePageField(name: string, stage: Stage): TraceCell {
  const L = LAYOUTS[stage];
  const has = (l: Loc) => L[l.struct].fields.some((f) => f.name === l.field);
  const renamed = RENAMED[name];
  let locs: Loc[] = [];
  if (renamed?.instead) locs = renamed.instead.filter(has);
  else {
    if (L.page.fields.some((f) => f.name === name)) locs.push({ struct: "page", field: name });
    for (const k of LAYOUT_STRUCTS) {
      if (k === "page" || L[k].overlays) continue;
      const partners = new Set<string>([name]);
      for (const a of KERNEL_MATCH_ASSERTS)
        if (a.struct === k && a.page === 0 && a.pg === name) partners.add(a.field);
      for (const f of L[k].fields) if (partners.has(f.name)) locs.push({ struct: k, field: f.name });
    }
    for (const l of renamed?.also ?? [])
      if (has(l) && !locs.some((x) => x.struct === l.struct && x.field === l.field)) locs.push(l);
  }
  if (locs.length === 0) return { kind: "gone", locs: [] };
  return locs.some((l) => l.struct === "page") ? { kind: "page", locs } : { kind: "desc", locs };
}

const cellText = (stage: Stage, c: TraceCell) =>
  c.kind === "gone"
    ? "gone"
    : c.locs
        .map((l) => {
          const f = LAYOUTS[stage][l.struct].fields.find((x) => x.name === l.field)!;
          return l.struct === "page" ? `struct page ${l.field} +${f.offset}` : `${l.struct}.${l.field}`;
        })
        .join(", ");

function fieldBoxes(layout: StructLayout, cls: (f: StructLayout["fields"][number]) => string): BoxSpec[] {
  return declOrder(layout).map((f) => {
    const bits = f.bits ? `:${f.bits.width}` : "";
    const arr = f.count !== undefined ? `[${f.count}]` : "";
    return {
      name: `${f.name}${arr}${bits}`,
      offset: f.offset,
      size: f.size,
      detail: [
        f.ctype + arr,
        f.bits ? `bits ${f.bits.shift}–${f.bits.shift + f.bits.width - 1}` : "",
        f.config ?? "",
        f.note ?? "",
      ]
        .filter(Boolean)
        .join("; "),
      cls: cls(f),
      id: `box-${fieldAnchor(layout.struct, layout.stage, f.name)}`,
      data: { struct: layout.struct, stage: layout.stage, field: f.name },
      href: `#${fieldAnchor(layout.struct, layout.stage, f.name)}`,
    };
  });
}

const find = (col: Column, field: string) => col.boxes.find((b) => b.spec.data.field === field);

/** Groups of stages whose layout of `struct` is identical (the separate descriptors). */
function stageGroups(struct: LayoutStruct, stages: readonly Stage[]): Stage[][] {
  const groups: Stage[][] = [];
  const key = (s: Stage) => JSON.stringify({ ...LAYOUTS[s][struct], stage: undefined });
  for (const s of stages) {
    const g = groups.find((x) => key(x[0]!) === key(s));
    if (g) g.push(s);
    else groups.push([s]);
  }
  return groups;
}

const GAP = 56;

/** The struct page figure: the four stages, same-name members joined, and the trace of today's members. */
export function pageFigure(): string {
  const scale = 8;
  const cols: Column[] = [];
  let x = 16;
  const y = 40;
  for (const s of STAGES) {
    const L = LAYOUTS[s].page;
    const col = structColumn({
      x,
      y,
      scale,
      size: L.size,
      id: `fig-page-${s}`,
      title: [`struct page — ${s}`, `${L.size} bytes`],
      boxes: fieldBoxes(L, (f) =>
        s === "today"
          ? `k-${tracePageField(f.name, "final").kind}`
          : f.ts === "memdesc"
            ? "k-memdesc"
            : "k-page",
      ),
    });
    cols.push(col);
    x += col.width + GAP;
  }
  const links: string[] = [];
  const router = new Router();
  for (let i = 1; i < cols.length; i++) {
    const from = cols[i - 1]!;
    const to = cols[i]!;
    for (const b of to.boxes) {
      const a = find(from, String(b.spec.data.field));
      if (a)
        links.push(
          router.connect(
            a,
            from,
            b,
            to,
            "link",
            `${b.spec.data.field}: kept from ${STAGES[i - 1]} to ${STAGES[i]}`,
          ),
        );
    }
    for (const name of Object.keys(RENAMED)) {
      const a = find(cols[i - 1]!, name);
      for (const l of [...(RENAMED[name]!.instead ?? []), ...(RENAMED[name]!.also ?? [])]) {
        const b = l.struct === "page" ? find(cols[i]!, l.field) : undefined;
        if (a && b)
          links.push(router.connect(a, from, b, to, "link", `${name} → ${l.field}: ${RENAMED[name]!.why}`));
      }
    }
  }
  const width1 = x - GAP + 16;
  const colsH = Math.max(...cols.map((c) => c.height)) + y;
  // The trace: every member of today's struct page, where it lives at each later stage.
  const later = STAGES.filter((s) => s !== "today");
  const rows = declOrder(PAGE).map((f) => ({
    f,
    cells: later.map((s) => ({ s, c: tracePageField(f.name, s) })),
  }));
  const c0 = Math.max(...rows.map((r) => textWidth(`${r.f.name} +${r.f.offset} ${r.f.size} B`))) + 24;
  const cw = later.map(
    (s, i) => Math.max(textWidth(s), ...rows.map((r) => textWidth(cellText(s, r.cells[i]!.c)))) + 24,
  );
  const ty = colsH + 60;
  const rowH = 18;
  const t: string[] = [
    `<text x="16" y="${ty - 26}" class="ch">Where each member of today's struct page lives at each later stage</text>`,
  ];
  const xs = [16, 16 + c0, ...cw.map((_, i) => 16 + c0 + cw.slice(0, i + 1).reduce((a, b) => a + b, 0))];
  t.push(`<text x="${xs[0]}" y="${ty}" class="tr-h">today's member</text>`);
  later.forEach((s, i) => {
    t.push(`<text x="${xs[i + 1]}" y="${ty}" class="tr-h">${s}</text>`);
  });
  rows.forEach((r, j) => {
    const yy = ty + (j + 1) * rowH;
    t.push(
      `<g class="trace" id="fig-trace-${anchor(r.f.name)}" data-field="${esc(r.f.name)}"><a href="#trace-${anchor(r.f.name)}"><text x="${xs[0]}" y="${yy}">${esc(`${r.f.name} +${r.f.offset} ${r.f.size} B`)}</text></a>`,
    );
    r.cells.forEach((cell, i) => {
      t.push(
        `<text x="${xs[i + 1]}" y="${yy}" class="tr-${cell.c.kind}" data-stage="${cell.s}" data-where="${cell.c.kind}">${esc(cellText(cell.s, cell.c))}</text>`,
      );
    });
    t.push("</g>");
  });
  const lg = legend(16, 22, [
    ["k-page", "in struct page (today: still there at final)"],
    ["k-desc", "today: moves to a separately allocated descriptor by final"],
    ["k-gone", "today: gone from the model's layouts by final"],
    ["k-memdesc", "the memdesc word"],
  ]);
  const width = Math.max(width1, xs[xs.length - 1]! + 16, lg.width + 32);
  const height = ty + (rows.length + 1) * rowH + 10;
  return svgDoc(
    width,
    height,
    "struct page at each stage of the shrink (x86-64), one box per member, 8 px per byte",
    `struct page is ${STAGES.map((s) => `${LAYOUTS[s].page.size} bytes at ${s}`).join(", ")}. Lines join a member kept from one stage to the next. The table below traces each of today's members.`,
    [lg.svg, ...cols.map((c) => c.svg), links.join("\n"), ...t].join("\n"),
    "fig-page",
  );
}

/** A descriptor's figure: struct page ×N with the *_MATCH members, today's overlay, the separate descriptor(s). */
export function descriptorFigure(struct: OverlayStruct): string {
  const today: StructLayout = LAYOUTS.today[struct];
  const pages = Math.max(1, Math.ceil(today.size / PAGE.size));
  const groups = stageGroups(
    struct,
    STAGES.filter((s) => s !== "today"),
  );
  const maxSize = Math.max(pages * PAGE.size, ...groups.map((g) => LAYOUTS[g[0]!][struct].size));
  const scale = maxSize > 128 ? 4 : 8;
  const asserts = KERNEL_MATCH_ASSERTS.filter((a) => a.struct === struct);
  const y = 40;
  let x = 16;
  const pgBoxes: BoxSpec[] = [];
  for (const a of asserts) {
    const f = PAGE.fields.find((p) => p.name === a.pg)!;
    const name = a.page === 0 ? a.pg : `page[${a.page}].${a.pg}`;
    if (pgBoxes.some((b) => b.name === name)) continue;
    pgBoxes.push({
      name,
      offset: f.offset + a.page * PAGE.size,
      size: f.size,
      detail: `struct page member ${a.pg} of page ${a.page} (${f.ctype})`,
      cls: "k-page",
      id: `box-${anchor(struct, "pages", name)}`,
      data: { struct: "page", stage: "today", field: name, of: struct },
      href: `#${fieldAnchor("page", "today", a.pg)}`,
    });
  }
  const pageCol = structColumn({
    x,
    y,
    scale,
    size: pages * PAGE.size,
    rule: PAGE.size,
    id: `fig-${struct}-pages`,
    title: [`struct page${pages > 1 ? ` ×${pages}` : ""} — today`, `members ${MATCH_MACRO[struct]} names`],
    boxes: pgBoxes,
  });
  x += pageCol.width + GAP + 40;
  const matched = new Set<string>(asserts.map((a) => a.field));
  const todayCol = structColumn({
    x,
    y,
    scale,
    size: today.size,
    rule: PAGE.size,
    id: `fig-${struct}-today`,
    title: [`struct ${struct} — today`, `${today.size} bytes, overlays struct page`],
    boxes: fieldBoxes(today, (f) =>
      f.ts === "page" ? "k-embed" : matched.has(f.name) ? "k-match" : "k-plain",
    ),
  });
  x += todayCol.width + GAP;
  const sepCols: Column[] = [];
  for (const g of groups) {
    const L = LAYOUTS[g[0]!][struct];
    const col = structColumn({
      x,
      y,
      scale,
      size: L.size,
      id: `fig-${struct}-${g.join("-")}`,
      title: [`struct ${struct} — ${g.join(" · ")}`, `${L.size} bytes, separately allocated`],
      boxes: fieldBoxes(L, (f) => (today.fields.some((t) => t.name === f.name) ? "k-desc" : "k-new")),
    });
    sepCols.push(col);
    x += col.width + GAP;
  }
  const links: string[] = [];
  const router = new Router();
  for (const a of asserts) {
    const from = find(pageCol, a.page === 0 ? a.pg : `page[${a.page}].${a.pg}`);
    const to = find(todayCol, a.field);
    if (from && to)
      links.push(
        router.connect(
          from,
          pageCol,
          to,
          todayCol,
          "match",
          `${a.macro}(${a.pg}, ${a.field})${a.page ? ` on page ${a.page}` : ""}`,
        ),
      );
  }
  let prev: Column = todayCol;
  for (const col of sepCols) {
    for (const b of col.boxes) {
      const a = find(prev, String(b.spec.data.field));
      if (a) links.push(router.connect(a, prev, b, col, "carry", `${b.spec.data.field}: same member`));
    }
    prev = col;
  }
  const lg = legend(16, 22, [
    ["k-page", "struct page member"],
    ["k-match", `sits on it (${MATCH_MACRO[struct]})`],
    ["k-plain", "other overlay member"],
    ["k-desc", "kept in the separate descriptor"],
    ["k-new", "new in the separate descriptor"],
  ]);
  const height = Math.max(pageCol.height, todayCol.height, ...sepCols.map((c) => c.height)) + y + 12;
  return svgDoc(
    Math.max(x - GAP + 16, lg.width + 32),
    height,
    `struct ${struct}: overlay of struct page today, separately allocated later (${scale} px per byte)`,
    `Today struct ${struct} is ${today.size} bytes overlaying ${pages} struct page${pages > 1 ? "s" : ""}; ${asserts.length} ${MATCH_MACRO[struct]} asserts tie its members to struct page members. ${groups.map((g) => `At ${g.join(", ")} it is ${LAYOUTS[g[0]!][struct].size} bytes, separately allocated`).join("; ")}.`,
    [lg.svg, pageCol.svg, todayCol.svg, ...sepCols.map((c) => c.svg), ...links].join("\n"),
    `fig-${struct}`,
  );
}

function fieldTable(layout: StructLayout, stages: readonly Stage[]): string {
  const fields = declOrder(layout);
  return htmlTable(
    ["Offset", "Size", "Member", "C type", "Config", "Note"],
    fields.map((f) => [
      f.offset,
      f.size,
      code(`${f.name}${f.count !== undefined ? `[${f.count}]` : ""}${f.bits ? `:${f.bits.width}` : ""}`),
      code(f.ctype),
      esc(f.config ?? ""),
      esc(f.note ?? ""),
    ]),
    fields.map((f) => stages.map((s) => fieldAnchor(layout.struct, s, f.name))),
  );
}

function traceTable(): string {
  const later = STAGES.filter((s) => s !== "today");
  const fields = declOrder(PAGE);
  const link = (s: Stage, l: Loc) =>
    `<a href="#${fieldAnchor(l.struct, s, l.field)}">${esc(l.struct === "page" ? `struct page ${l.field}` : `${l.struct}.${l.field}`)}</a>`;
  return htmlTable(
    ["today's member", ...later, "why, where the tables do not say it by name"],
    fields.map((f) => [
      `<a href="#${fieldAnchor("page", "today", f.name)}">${code(f.name)}</a> +${f.offset} (${f.size} B)`,
      ...later.map((s) => {
        const c = tracePageField(f.name, s);
        return c.kind === "gone"
          ? '<span class="gone">gone</span>'
          : `<span class="${c.kind}">${c.locs.map((l) => link(s, l)).join(", ")}</span>`;
      }),
      esc(RENAMED[f.name]?.why ?? ""),
    ]),
    fields.map((f) => `trace-${anchor(f.name)}`),
  );
}

function matchTable(struct: OverlayStruct): string {
  const asserts = KERNEL_MATCH_ASSERTS.filter((a) => a.struct === struct);
  return htmlTable(
    ["Assert", "struct page member", "Page", `struct ${struct} member`, "Offset", "Config", "File"],
    asserts.map((a) => [
      code(`${a.macro}(${a.pg}, ${a.field})`),
      `<a href="#${fieldAnchor("page", "today", a.pg)}">${code(a.pg)}</a>`,
      a.page,
      `<a href="#${fieldAnchor(struct, "today", a.field)}">${code(a.field)}</a>`,
      (PAGE.fields.find((f) => f.name === a.pg)?.offset ?? 0) + a.page * PAGE.size,
      esc("config" in a ? a.config : ""),
      code(a.file),
    ]),
    asserts.map((a) => anchor("match", struct, a.page, a.pg, a.field)),
  );
}

function stageTables(struct: LayoutStruct): string {
  return stageGroups(struct, STAGES)
    .map((g) => {
      const L: StructLayout = LAYOUTS[g[0]!][struct];
      const aliases = g
        .slice(1)
        .map((s) => `<span id="${anchor(struct, s)}"></span>`)
        .join("");
      return `<h3 id="${anchor(struct, g[0]!)}">${aliases}struct ${esc(struct)} — ${esc(g.join(", "))}: ${L.size} bytes</h3>
<p>Source: ${esc(L.source)}.${L.derived ? ` Derived by the model: ${esc(L.derived)}.` : ""}</p>
${fieldTable(L, g)}`;
    })
    .join("\n");
}

export default function structsPage(): SitePage[] {
  const figs: string[] = [];
  const pageSvg = pageFigure();
  const sections: string[] = [];
  sections.push(`<section id="page">
<h2>struct page</h2>
<p>${STAGES.map((s) => `<a href="#${anchor("page", s)}">${s}</a>: ${LAYOUTS[s].page.size} bytes`).join(" · ")}. ${esc(STAGE_INFO.final.title)}.
Each box is one member: its top is its offset, its height its size (8 px per byte). Hover a box for its C type and note; click it for its row below.</p>
<figure class="fig">${pageSvg}</figure>
<h3 id="page-trace">Where today's members go</h3>
<p>A member lives on in struct page when the later layout has a member of that name, in a separately allocated
descriptor when one has a member of that name or the member a <code>*_MATCH</code> assert sits on it today,
and is gone when neither holds. Two renames the tables cannot say by name are listed with their source.</p>
${traceTable()}
${stageTables("page")}
</section>`);
  figs.push(pageSvg);
  for (const k of LAYOUT_STRUCTS) {
    if (k === "page") continue;
    const svg = descriptorFigure(k);
    figs.push(svg);
    sections.push(`<section id="${k}">
<h2>struct ${esc(k)}</h2>
<p>Today struct ${esc(k)} overlays struct page (${LAYOUTS.today[k].size} bytes); later it is allocated separately.
Gold lines are the kernel's <code>${MATCH_MACRO[k]}</code> static_asserts; dashed green lines join a member kept in the separate descriptor.</p>
<figure class="fig">${svg}</figure>
<h3 id="${anchor("match", k)}">${MATCH_MACRO[k]} asserts</h3>
${matchTable(k)}
${stageTables(k)}
</section>`);
  }
  const body = `<h1>The shrink of struct page, drawn</h1>
<p>Offsets for ${esc(LAYOUT_CONFIG.arch)}: ${esc(LAYOUT_CONFIG.summary)}.
Every box comes from the layout tables in <code>src/model/layouts</code> (the same data as
<code>docs/reference/layouts.md</code> and <code>memdesc layout</code>).</p>
<p>Structs: ${LAYOUT_STRUCTS.map((k) => `<a href="#${k}">struct ${k}</a>`).join(" · ")}</p>
${sections.join("\n")}`;
  const out: SitePage[] = [page({ path: "structs.html", title: "The shrink of struct page", body })];
  LAYOUT_STRUCTS.forEach((k, i) => {
    out.push({ path: `figures/${k}.svg`, content: `<?xml version="1.0" encoding="UTF-8"?>\n${figs[i]}\n` });
  });
  return out;
}
