/**
 * words.html: the words, drawn — the memdesc word per type table, page_type
 * per kernel era, the page flags word with dump_page()'s node/zone fields —
 * each a bit bar from the model's tables, with the tables themselves below
 * (every row has an anchor).
 */

import { FLAGS_LAYOUT_CONFIG, flagsLayout } from "../../src/model/flags-layout.js";
import { formatKernel } from "../../src/model/kernel.js";
import { KPF_BITS } from "../../src/model/kpageflags.js";
import {
  BUDDY_FIELDS,
  DEFAULT_MEMDESC_TABLE,
  KERNEL_ADDRESS_MIN,
  MEMDESC_TABLES,
  MEMDESC_TYPE_BITS,
  type MemdescTable,
  MISC_FIELDS,
  MISC_SUBTYPES,
} from "../../src/model/memdesc-word.js";
import {
  eraPageFlags,
  NR_PAGEFLAGS,
  PAGE_FLAG_ALIASES,
  PAGE_FLAG_ERAS,
  PAGE_FLAGS,
  PT_FLAGS,
} from "../../src/model/page-flags.js";
import { PAGE_TYPE_ERAS, PAGE_TYPE_NONE, PAGE_TYPES, type PageTypeEra } from "../../src/model/page-type.js";
import { hex64 } from "../../src/model/word.js";
import { anchor, code, esc, htmlTable, page, type SitePage } from "./html.js";
import { legend, svgDoc, textWidth } from "./svg.js";

interface BitField {
  /** Lowest bit. */
  readonly lo: number;
  readonly width: number;
  readonly label: string;
  readonly cls: string;
  readonly title: string;
  readonly href?: string;
  /** Write the label vertically (one-bit fields). */
  readonly vertical?: boolean;
}

const hx = (n: number, w = 2) => `0x${n.toString(16).padStart(w, "0")}`;

/**
 * A word of `bits` bits as a bar, bit `bits-1` on the left as the kernel's
 * comments draw it; each field a box with its name and bit range as text.
 */
function bitBar(opts: {
  x: number;
  y: number;
  bits: number;
  px: number;
  title: string;
  fields: readonly BitField[];
  id: string;
  vertical?: number;
}): { svg: string; height: number; width: number } {
  const { x, px, bits } = opts;
  const head = 18;
  const vert = opts.vertical ?? 0;
  const top = opts.y + head + vert;
  const h = 40;
  const out: string[] = [
    `<g class="word" id="${opts.id}">`,
    `<text x="${x}" y="${opts.y + 13}" class="ch">${esc(opts.title)}</text>`,
  ];
  const bx = (bit: number) => x + (bits - 1 - bit) * px;
  for (const f of opts.fields) {
    const fx = bx(f.lo + f.width - 1);
    const w = f.width * px;
    const range = f.width === 1 ? `bit ${f.lo}` : `bits ${f.lo}–${f.lo + f.width - 1}`;
    const open = f.href ? `<a href="${esc(f.href)}">` : "";
    const close = f.href ? "</a>" : "";
    out.push(
      `<g class="bits ${f.cls}" data-lo="${f.lo}" data-width="${f.width}">${open}<title>${esc(`${f.label}: ${range}${f.title ? ` — ${f.title}` : ""}`)}</title><rect x="${fx}" y="${top}" width="${w}" height="${h}"/>`,
    );
    if (f.vertical) {
      out.push(
        `<text transform="translate(${fx + px / 2 + 4} ${top - 4}) rotate(-90)" class="vl">${esc(f.label)}</text>`,
        `<text x="${fx + px / 2}" y="${top + h / 2 + 4}" text-anchor="middle" class="bn">${f.lo}</text>`,
      );
    } else if (textWidth(f.label) + 8 > w && opts.vertical) {
      // Too narrow for its name: the name stands above the box, turned like the flag bits'.
      const rtext = f.width === 1 ? `${f.lo}` : `${f.lo + f.width - 1}–${f.lo}`;
      out.push(
        `<text transform="translate(${fx + w / 2 + 4} ${top - 4}) rotate(-90)" class="vl">${esc(f.label)}</text>`,
        `<text x="${fx + w / 2}" y="${top + h / 2 + 4}" text-anchor="middle" class="bn">${textWidth(rtext, 10) + 4 <= w ? rtext : f.lo}</text>`,
      );
    } else {
      const label =
        textWidth(f.label) + 8 <= w
          ? f.label
          : f.label.length > 3
            ? `${f.label.slice(0, Math.max(1, Math.floor((w - 8) / 6.7) - 1))}…`
            : f.label;
      const rtext = f.width === 1 ? `${f.lo}` : `${f.lo + f.width - 1}–${f.lo}`;
      out.push(
        `<text x="${fx + w / 2}" y="${top + 16}" text-anchor="middle">${esc(label)}</text>`,
        `<text x="${fx + w / 2}" y="${top + 32}" text-anchor="middle" class="bn">${textWidth(rtext, 10) + 4 <= w ? rtext : ""}</text>`,
      );
    }
    out.push(`${close}</g>`);
  }
  for (let b = 0; b <= bits; b += 8) {
    const tx = x + (bits - b) * px;
    out.push(`<line x1="${tx}" x2="${tx}" y1="${top + h}" y2="${top + h + 5}" class="tick"/>`);
    if (b < bits)
      out.push(`<text x="${tx - 2}" y="${top + h + 16}" text-anchor="end" class="ruler">${b}</text>`);
  }
  out.push("</g>");
  return { svg: out.join("\n"), height: head + vert + h + 24, width: bits * px };
}

function memdescFields(kind: "pointer" | "misc" | "buddy"): BitField[] {
  const t: BitField = {
    lo: 0,
    width: MEMDESC_TYPE_BITS,
    label: "type",
    cls: "b-type",
    title: "the memdesc type, per table",
  };
  const f = (name: string, spec: { shift: number; width: number }, cls: string, title = ""): BitField => ({
    lo: spec.shift,
    width: spec.width,
    label: name,
    cls,
    title,
  });
  if (kind === "pointer")
    return [
      t,
      {
        lo: MEMDESC_TYPE_BITS,
        width: 64 - MEMDESC_TYPE_BITS,
        label: "descriptor address (16-byte aligned: its low 4 bits are the type)",
        cls: "b-ptr",
        title: `a kernel address ≥ ${hex64(KERNEL_ADDRESS_MIN)}`,
      },
    ];
  if (kind === "misc")
    return [
      t,
      f("subtype", MISC_FIELDS.subtype, "b-sub", MISC_SUBTYPES.map((s, i) => `${i} ${s}`).join(", ")),
      { ...f("mappable", MISC_FIELDS.userMappable, "b-one", "may be mapped to user space"), vertical: true },
      f("order", MISC_FIELDS.order, "b-ord"),
      f("node / zone / section (as in today's page flags)", MISC_FIELDS.nodeZoneSection, "b-nzs"),
    ];
  const rest = BUDDY_FIELDS.order.shift + BUDDY_FIELDS.order.width;
  return [
    t,
    f(
      "order",
      BUDDY_FIELDS.order,
      "b-ord",
      "on the first page of a free block (the model's encoding: decision 0001)",
    ),
    { lo: rest, width: 64 - rest, label: "rest (zero in the model)", cls: "b-rest", title: "" },
  ];
}

function typeStrip(x: number, y: number, t: MemdescTable, cell: number): { svg: string; height: number } {
  const out: string[] = [
    `<text x="${x}" y="${y + 13}" class="ch">table ${esc(t.name)}${t === DEFAULT_MEMDESC_TABLE ? " (default)" : ""}: ${esc(t.title)}</text>`,
  ];
  for (let n = 0; n < 16; n++) {
    const e = t.entries.find((v) => v.type === n);
    const cx = x + n * cell;
    const cls = e ? `t-${e.payload}` : "t-none-assigned";
    out.push(
      `<g class="tcell ${cls}" data-table="${esc(t.name)}" data-type="${n}"><a href="#${anchor("memdesc", t.name, n)}"><title>${esc(e ? `${n} = ${e.name}: ${e.payload}${e.struct ? ` → ${e.struct}` : ""}${e.note ? `; ${e.note}` : ""}` : `${n}: unassigned (decoding it is MD001)`)}</title><rect x="${cx}" y="${y + 20}" width="${cell}" height="40"/><text x="${cx + cell / 2}" y="${y + 36}" text-anchor="middle" class="bn">${n}</text><text x="${cx + cell / 2}" y="${y + 52}" text-anchor="middle" class="tn">${esc(e ? (textWidth(e.name, 10) + 4 <= cell ? e.name : `${e.name.slice(0, Math.floor((cell - 6) / 6.1) - 1)}…`) : "—")}</text></a></g>`,
    );
  }
  return { svg: out.join("\n"), height: 72 };
}

export function memdescFigure(): string {
  const px = 16;
  const parts: string[] = [];
  let y = 40;
  const lg = legend(16, 22, [
    ["b-type", "type (bits 0–3)"],
    ["b-ptr", "pointer payload"],
    ["b-sub", "Misc subtype"],
    ["b-ord", "order"],
    ["b-nzs", "node/zone/section"],
  ]);
  parts.push(lg.svg);
  for (const [kind, title] of [
    ["pointer", "a descriptor type (File, Anon, Slab, PageTable, …): type + pointer"],
    ["misc", "Misc: type + inline subtype, mappable bit, order, node/zone/section"],
    ["buddy", "Buddy (free page): type + order, nothing allocated"],
  ] as const) {
    const bar = bitBar({
      x: 16,
      y,
      bits: 64,
      px,
      title,
      fields: memdescFields(kind),
      id: `fig-memdesc-${kind}`,
      vertical: kind === "misc" ? 64 : 0,
    });
    parts.push(bar.svg);
    y += bar.height + 10;
  }
  const cell = 64;
  const cells = legend(16, y + 14, [
    ["t-pointer", "pointer to a descriptor"],
    ["t-misc", "Misc, inline"],
    ["t-buddy", "Buddy, inline"],
    ["t-none", "no payload defined"],
    ["t-none-assigned", "unassigned (MD001)"],
  ]);
  parts.push(`<g class="tcells">${cells.svg}</g>`);
  y += 24;
  for (const t of MEMDESC_TABLES) {
    const s = typeStrip(16, y, t, cell);
    parts.push(s.svg);
    y += s.height;
  }
  return svgDoc(
    64 * px + 40,
    y + 10,
    "The 64-bit memdesc word: layouts of the payload, and the type numbers of each published table",
    "Bits 0–3 are the type. A descriptor type's other 60 bits are the descriptor's address; Misc and Buddy carry their data inline. Each table assigns the 16 type numbers differently.",
    parts.join("\n"),
    "fig-memdesc",
  );
}

function eraFields(era: PageTypeEra): BitField[] {
  const enc = era.encoding;
  if (enc.style === "top-byte") {
    return [
      {
        lo: 24,
        width: 8,
        label: "type (top byte)",
        cls: "b-type",
        title: PAGE_TYPES.filter((t) => enc.values[t.name] !== undefined)
          .map((t) => `${hx(enc.values[t.name]!)} ${t.name}`)
          .join(", "),
      },
      {
        lo: 0,
        width: 24,
        label: 'owner bits (low 24: "may be used for your own purposes")',
        cls: "b-owner",
        title: "",
      },
    ];
  }
  const fields: BitField[] = [];
  const typeBits = new Map<number, string>();
  for (const t of PAGE_TYPES) {
    const b = enc.bits[t.name];
    if (b !== undefined) typeBits.set(Math.log2(b), t.name);
  }
  for (let bit = 0; bit < 32; bit++) {
    const name = typeBits.get(bit);
    if (name) {
      fields.push({
        lo: bit,
        width: 1,
        label: name,
        cls: "b-clear",
        title: `cleared to mark PG_${name}`,
        vertical: true,
      });
    } else if ((enc.base >>> bit) & 1) {
      fields.push({
        lo: bit,
        width: 1,
        label: "BASE",
        cls: "b-base",
        title: `PAGE_TYPE_BASE ${hx(enc.base >>> 0, 8)}`,
        vertical: true,
      });
    }
  }
  if (enc.ownerBits > 0)
    fields.push({
      lo: 0,
      width: enc.ownerBits,
      label: `owner bits (low ${enc.ownerBits})`,
      cls: "b-owner",
      title: "",
    });
  return fields;
}

/** The kernels of an era: `to` without a patch level means every stable release of that series. */
const eraRange = (e: PageTypeEra) =>
  `${formatKernel(e.from)} – ${formatKernel(e.to)}${e.to.patch === undefined ? ".y" : ""}`;

/** One line under an era's bar: the values of its types, as the era's page-flags.h has them. */
function eraNote(era: PageTypeEra): string {
  const enc = era.encoding;
  if (enc.style === "top-byte")
    return `${PAGE_TYPES.filter((t) => enc.values[t.name] !== undefined)
      .map((t) => `${hx(enc.values[t.name]!)} ${t.name}`)
      .join(", ")}; a top byte below 0x80 is a mapcount${unsettledNote(era)}`;
  return `type X present when (page_type & (BASE | X)) == BASE; untyped: 0x${PAGE_TYPE_NONE.toString(16)}${unsettledNote(era)}`;
}

const unsettledNote = (era: PageTypeEra) => {
  const names = Object.keys(era.unsettled ?? {});
  return names.length ? `; unsettled in this era: ${names.join(", ")} (see the table)` : "";
};

export function pageTypeFigure(): string {
  const px = 30;
  const parts: string[] = [];
  const lg = legend(16, 22, [
    ["b-type", "type byte"],
    ["b-clear", "bit cleared to set the type"],
    ["b-base", "PAGE_TYPE_BASE bit"],
    ["b-owner", "owner bits"],
  ]);
  parts.push(lg.svg);
  let y = 40;
  for (const era of PAGE_TYPE_ERAS) {
    const inverted = era.encoding.style !== "top-byte";
    const bar = bitBar({
      x: 16,
      y,
      bits: 32,
      px,
      title: `era ${era.id} (kernels ${eraRange(era)}): ${inverted ? "inverted bit masks" : "top byte"}`,
      fields: eraFields(era),
      id: `fig-page-type-${anchor(era.id)}`,
      vertical: inverted ? 90 : 0,
    });
    parts.push(`<a href="#${anchor("page-type-era", era.id)}">${bar.svg}</a>`);
    y += bar.height;
    parts.push(`<text x="16" y="${y + 8}" class="cs">${esc(eraNote(era))}</text>`);
    y += 30;
  }
  return svgDoc(
    Math.max(32 * px + 40, ...PAGE_TYPE_ERAS.map((e) => textWidth(eraNote(e)) + 40)),
    y,
    "page_type (32 bits) in each kernel era",
    "Since 6.12 the type is the top byte and the low 24 bits belong to the owner; before, each type was a bit cleared from the all-ones word.",
    parts.join("\n"),
    "fig-page-type",
  );
}

export function flagsFigure(): string {
  const px = 18;
  // The upper fields as page-flags-layout.h derives them for the model's configuration (src/model/flags-layout.ts).
  const upper = flagsLayout(FLAGS_LAYOUT_CONFIG).fields.filter((f) => f.width > 0);
  const fields: BitField[] = PAGE_FLAGS.map((f) => ({
    lo: f.bit,
    width: 1,
    label: f.name,
    cls: f.policy ? `b-${f.policy.toLowerCase()}` : "b-none",
    title: `${f.policy ?? "no policy"}${f.folioOnly ? ", folio-only" : ""}: ${f.comment}`,
    href: `#${anchor("flag", f.name)}`,
    vertical: true,
  }));
  for (const u of upper) {
    fields.push({
      lo: u.shift,
      width: u.width,
      label: u.name,
      cls: u.name === "zone" ? "b-zone" : u.name === "node" ? "b-node" : "b-rest",
      title: `${u.name.toUpperCase()}_PGSHIFT ${u.shift}, width ${u.width}${u.name === "node" || u.name === "zone" ? `: dump_page() prints ${u.name}=` : ""}`,
    });
  }
  const lowest = Math.min(64, ...upper.map((u) => u.shift));
  if (lowest > NR_PAGEFLAGS)
    fields.push({
      lo: NR_PAGEFLAGS,
      width: lowest - NR_PAGEFLAGS,
      label: "unused",
      cls: "b-base",
      title: "no field in this configuration",
    });
  const bar = bitBar({
    x: 16,
    y: 40,
    bits: 64,
    px,
    title: `page->flags: ${NR_PAGEFLAGS} PG_* bits (newest kernel, x86-64) and the fields above them (page-flags-layout.h)`,
    fields,
    id: "fig-flags-word",
    vertical: 120,
  });
  const lg = legend(16, 22, [
    ["b-pf_any", "PF_ANY"],
    ["b-pf_head", "PF_HEAD"],
    ["b-pf_no_tail", "PF_NO_TAIL"],
    ["b-pf_no_compound", "PF_NO_COMPOUND"],
    ["b-none", "no policy"],
    ["b-zone", "zone"],
    ["b-node", "node"],
  ]);
  return svgDoc(
    64 * px + 40,
    40 + bar.height + 10,
    "The page flags word",
    `Bits 0–${NR_PAGEFLAGS - 1} are enum pageflags; above them ${upper.map((u) => `${u.name} at bits ${u.shift}–${u.shift + u.width - 1}`).join(", ")}; dump_page() prints node= and zone=.`,
    `${lg.svg}\n${bar.svg}`,
    "fig-flags",
  );
}

function memdescTables(): string {
  return MEMDESC_TABLES.map(
    (
      t,
    ) => `<h3 id="${anchor("memdesc", t.name)}">Table <code>${esc(t.name)}</code>${t === DEFAULT_MEMDESC_TABLE ? " (default)" : ""}</h3>
<p>${esc(t.title)}. Source: ${esc(t.source)}.</p>
${htmlTable(
  ["type", "name", "memdesc kind", "bits 4–63", "descriptor", "note"],
  [...Array(16).keys()].map((n) => {
    const e = t.entries.find((x) => x.type === n);
    return e
      ? [n, esc(e.name), esc(e.kind), esc(e.payload), e.struct ? code(e.struct) : "—", esc(e.note)]
      : [n, "—", "—", "unassigned (decoding it is MD001)", "—", ""];
  }),
  [...Array(16).keys()].map((n) => anchor("memdesc", t.name, n)),
)}`,
  ).join("\n");
}

function pageTypeTables(): string {
  const eraCell = (era: PageTypeEra, n: (typeof PAGE_TYPES)[number]["name"]) => {
    const enc = era.encoding;
    if (enc.style === "top-byte") {
      const v = enc.values[n];
      return v === undefined ? "—" : `top byte ${hx(v)}`;
    }
    const b = enc.bits[n];
    return b === undefined ? "—" : `clear ${hx(b, 8)}`;
  };
  return `<h3 id="page-types">Page types (newest kernel)</h3>
${htmlTable(
  ["type", "accessors", "PGTY", "folio type", "in /proc/kpageflags"],
  PAGE_TYPES.map((t) => [
    esc(t.name),
    code(
      t.uname
        ? `Page${t.uname}, __SetPage${t.uname}, __ClearPage${t.uname}`
        : `folio_test_${t.fname}, __folio_set_${t.fname}`,
    ),
    hx(t.pgty),
    t.folioType ? "yes (owner may use 16 bits)" : "no",
    t.kpf ? `<a href="#${anchor("kpf", t.kpf)}">${code(t.kpf)}</a>` : "not exported",
  ]),
  PAGE_TYPES.map((t) => anchor("page-type", t.name)),
)}
<h3 id="page-type-eras">Encodings by kernel version</h3>
${htmlTable(
  ["era", "kernels", "style", "owner bits", ...PAGE_TYPES.map((t) => esc(t.name)), "source", "unsettled"],
  PAGE_TYPE_ERAS.map((e) => [
    esc(e.id),
    eraRange(e),
    e.encoding.style === "top-byte" ? "top byte" : `inverted masks (BASE ${hx(e.encoding.base >>> 0, 8)})`,
    e.encoding.ownerBits,
    ...PAGE_TYPES.map((t) => `${eraCell(e, t.name)}${e.unsettled?.[t.name] ? " (unsettled)" : ""}`),
    esc(e.source),
    Object.entries(e.unsettled ?? {})
      .map(([n, why]) => `${esc(n)}: ${esc(why ?? "")}`)
      .join("<br>"),
  ]),
  PAGE_TYPE_ERAS.map((e) => anchor("page-type-era", e.id)),
)}`;
}

function flagTables(): string {
  const aliases = (name: string) =>
    Object.entries(PAGE_FLAG_ALIASES)
      .filter(([, a]) => a.of === name)
      .map(([n]) => code(n))
      .join(", ");
  const pt = (bit: number) =>
    Object.entries(PT_FLAGS)
      .filter(([, b]) => b === bit)
      .map(([n]) => code(n))
      .join(", ");
  return `<h3 id="flags">enum pageflags (newest kernel)</h3>
${htmlTable(
  ["bit", "flag", "policy", "folio-only", "aliases", "on a ptdesc", "config", "comment"],
  PAGE_FLAGS.map((f) => [
    f.bit,
    code(f.name),
    esc(f.policy ?? "—"),
    f.folioOnly ? "yes" : "",
    aliases(f.name),
    pt(f.bit),
    esc(f.config ?? ""),
    esc(f.comment),
  ]),
  PAGE_FLAGS.map((f) => anchor("flag", f.name)),
)}
<p>Bits ${NR_PAGEFLAGS}–63 are not flags: ${flagsLayout(FLAGS_LAYOUT_CONFIG)
    .fields.filter((u) => u.width > 0)
    .map((u) => `${esc(u.name)} (bits ${u.shift}–${u.shift + u.width - 1})`)
    .join(", ")}, derived from the model's configuration as include/linux/page-flags-layout.h does
(<code>src/model/flags-layout.ts</code>); <code>dump_page()</code> prints the node, zone and lastcpupid fields.</p>
<h3 id="flag-eras">enum pageflags by kernel era</h3>
<p>Each era's bits under the model's x86-64 configuration (<code>PAGE_FLAGS_CONFIG</code>), with the
policy; a dash where the era or the configuration has no such flag. <code>memdesc decode --as flags --kernel V</code>
reads a word with its era.</p>
${htmlTable(
  ["flag", ...PAGE_FLAG_ERAS.map((e) => esc(e.id))],
  [...new Set(PAGE_FLAG_ERAS.flatMap((e) => e.flags.map((f) => f.name)))].map((name) => [
    code(name),
    ...PAGE_FLAG_ERAS.map((e) => {
      const f = eraPageFlags(e).find((x) => x.name === name);
      return f ? `${f.bit} ${esc(f.policy ?? "—")}` : "—";
    }),
  ]),
)}
${htmlTable(
  ["era", "source", "unsettled"],
  PAGE_FLAG_ERAS.map((e) => [esc(e.id), esc(e.source), esc(e.unsettled ?? "")]),
  PAGE_FLAG_ERAS.map((e) => anchor("flag-era", e.id)),
)}
<h3 id="kpf">/proc/kpageflags bits</h3>
${htmlTable(
  ["bit", "name", "page-types letter", "long name", "scope", "note"],
  KPF_BITS.map((b) => [
    b.bit,
    code(b.name),
    esc(b.letter ?? "—"),
    esc(b.longName),
    esc(b.scope),
    esc(b.note),
  ]),
  KPF_BITS.map((b) => anchor("kpf", b.name)),
)}`;
}

export default function wordsPage(): SitePage[] {
  const md = memdescFigure();
  const pt = pageTypeFigure();
  const fl = flagsFigure();
  const body = `<h1>The words, drawn</h1>
<p>Decode any of these words in the <a href="decoder.html">decoder</a> or with <code>memdesc decode</code>.</p>
<section id="memdesc">
<h2>The memdesc word</h2>
<p>At the end of the shrink struct page is one <code>unsigned long memdesc</code>. The published revisions of the plan number
the types differently, so each is kept as a table; <code>${esc(DEFAULT_MEMDESC_TABLE.name)}</code> is the default.</p>
<figure class="fig">${md}</figure>
${memdescTables()}
<h3 id="memdesc-misc">Misc subtypes</h3>
<p>${MISC_SUBTYPES.map((s, i) => `${i} ${esc(s)}`).join(", ")}; ${MISC_SUBTYPES.length}–127 unassigned.</p>
</section>
<section id="page-type">
<h2>page_type</h2>
<p>The 32-bit <code>page_type</code> shares storage with <code>_mapcount</code>; "no type" is <code>UINT_MAX</code> in every era.</p>
<figure class="fig">${pt}</figure>
${pageTypeTables()}
</section>
<section id="page-flags">
<h2>The page flags word</h2>
<figure class="fig">${fl}</figure>
${flagTables()}
</section>`;
  return [
    page({ path: "words.html", title: "The words", body }),
    { path: "figures/memdesc-word.svg", content: `<?xml version="1.0" encoding="UTF-8"?>\n${md}\n` },
    { path: "figures/page-type.svg", content: `<?xml version="1.0" encoding="UTF-8"?>\n${pt}\n` },
    { path: "figures/page-flags.svg", content: `<?xml version="1.0" encoding="UTF-8"?>\n${fl}\n` },
  ];
}
