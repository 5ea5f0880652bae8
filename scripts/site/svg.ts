/**
 * Byte-accurate struct drawings: a struct is a column, each member a box whose
 * top is its offset and whose height is its size (one scale per figure), with
 * the name, offset and size written in the box as text (or beside it when the
 * box is too small to hold a line). Members that share bytes (union
 * alternatives, bitfields of one storage unit) sit in lanes side by side.
 */
import { esc } from "./html.js";

export const FONT = "DejaVu Sans Mono, Liberation Mono, Menlo, Consolas, monospace";
/** Approximate advance of one character of the monospace font, in em. */
const CHAR_EM = 0.61;
const FS = 11;
const LINE = FS + 2;

export interface BoxSpec {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  /** Extra words for the box's <title> (C type, config, note). */
  readonly detail: string;
  /** CSS class that sets the fill. */
  readonly cls: string;
  readonly id: string;
  /** data-* attributes (struct, stage, field). */
  readonly data: Readonly<Record<string, string | number>>;
  /** Link target when the box is clicked. */
  readonly href?: string;
}

export interface PlacedBox {
  readonly spec: BoxSpec;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface Column {
  readonly svg: string;
  /** x of the column's outline, left and right. */
  readonly left: number;
  readonly right: number;
  readonly width: number;
  readonly height: number;
  readonly boxes: readonly PlacedBox[];
}

export const textWidth = (s: string, fs = FS) => Math.ceil(s.length * fs * CHAR_EM);

export const sizeText = (size: number) => `${size} B`;

/**
 * One struct as a column at (x, y): a header, an offset ruler every 8 bytes,
 * the outline of `size` bytes and each box in the first lane where it
 * overlaps nothing.
 */
export function structColumn(opts: {
  readonly x: number;
  readonly y: number;
  readonly scale: number;
  readonly size: number;
  readonly title: readonly string[];
  readonly boxes: readonly BoxSpec[];
  readonly id: string;
  /** Draw a heavier rule every `rule` bytes (64: one struct page). */
  readonly rule?: number;
}): Column {
  const { scale } = opts;
  const lanes: { end: number; start: number }[][] = [];
  const laneOf = new Map<BoxSpec, number>();
  for (const b of opts.boxes) {
    let lane = lanes.findIndex((l) => l.every((r) => b.offset >= r.end || b.offset + b.size <= r.start));
    if (lane < 0) {
      lane = lanes.length;
      lanes.push([]);
    }
    lanes[lane]!.push({ start: b.offset, end: b.offset + b.size });
    laneOf.set(b, lane);
  }
  const label = (b: BoxSpec) => ({ one: `${b.name} +${b.offset} ${sizeText(b.size)}`, name: b.name });
  // A long name wraps at its underscores when the box is tall enough for the extra lines.
  const nameLines = (b: BoxSpec): string[] => {
    const room = Math.floor((b.size * scale - 2) / LINE) - 1;
    if (b.name.length <= 14 || room < 2) return [b.name];
    const parts = b.name.split(/(?<=.)(?=_)/);
    const lines: string[] = [];
    for (const p of parts) {
      const last = lines[lines.length - 1];
      if (last !== undefined && (last + p).length <= 14) lines[lines.length - 1] = last + p;
      else lines.push(p);
    }
    return lines.length <= room ? lines : [b.name];
  };
  const fits2 = (b: BoxSpec) => b.size * scale >= 2 * LINE + 2;
  const fits1 = (b: BoxSpec) => b.size * scale >= LINE + 1;
  const laneW = lanes.map((_, i) => {
    const own = opts.boxes.filter((b) => laneOf.get(b) === i && (fits1(b) || fits2(b)));
    const need = own.map((b) =>
      fits2(b)
        ? Math.max(...nameLines(b).map((l) => textWidth(l)), textWidth(`+${b.offset} · ${sizeText(b.size)}`))
        : textWidth(label(b).one),
    );
    return Math.max(64, ...need) + 10;
  });
  const small = opts.boxes.filter((b) => !fits1(b));
  const gutter = small.length ? Math.max(...small.map((b) => textWidth(label(b).one))) + 24 : 0;
  const ruler = 30;
  const headerH = opts.title.length * (LINE + 2) + 6;
  const top = opts.y + headerH;
  const bodyW = laneW.reduce((a, b) => a + b, 0);
  const laneX = laneW.map((_, i) => opts.x + ruler + laneW.slice(0, i).reduce((a, b) => a + b, 0));
  const out: string[] = [];
  out.push(`<g class="struct" id="${opts.id}">`);
  opts.title.forEach((t, i) => {
    out.push(
      `<text x="${opts.x + ruler}" y="${opts.y + (i + 1) * (LINE + 2)}" class="${i === 0 ? "ch" : "cs"}">${esc(t)}</text>`,
    );
  });
  out.push(
    `<rect x="${opts.x + ruler}" y="${top}" width="${bodyW}" height="${opts.size * scale}" class="outline"/>`,
  );
  for (let o = 0; o <= opts.size; o += 8) {
    const y = top + o * scale;
    const heavy = opts.rule !== undefined && o % opts.rule === 0;
    out.push(
      `<line x1="${opts.x + ruler - 4}" x2="${opts.x + ruler}" y1="${y}" y2="${y}" class="${heavy ? "tick heavy" : "tick"}"/>`,
    );
    if (scale * 8 >= 12 || o % 32 === 0)
      out.push(`<text x="${opts.x + ruler - 6}" y="${y + 4}" class="ruler" text-anchor="end">${o}</text>`);
    if (heavy && o > 0 && o < opts.size)
      out.push(
        `<line x1="${opts.x + ruler}" x2="${opts.x + ruler + bodyW}" y1="${y}" y2="${y}" class="pagerule"/>`,
      );
  }
  const placed: PlacedBox[] = [];
  let smallIdx = 0;
  for (const b of opts.boxes) {
    const lane = laneOf.get(b)!;
    const x = laneX[lane]!;
    const y = top + b.offset * scale;
    const w = laneW[lane]!;
    const h = b.size * scale;
    placed.push({ spec: b, x, y, w, h });
    const data = Object.entries(b.data)
      .map(([k, v]) => ` data-${k}="${esc(v)}"`)
      .join("");
    const title = `${b.name}: offset ${b.offset}, size ${b.size} byte${b.size === 1 ? "" : "s"}${b.detail ? ` — ${b.detail}` : ""}`;
    const open = b.href ? `<a href="${esc(b.href)}">` : "";
    const close = b.href ? "</a>" : "";
    out.push(
      `<g class="box ${b.cls}" id="${b.id}"${data} data-offset="${b.offset}" data-size="${b.size}">${open}<title>${esc(title)}</title>`,
    );
    out.push(`<rect x="${x}" y="${y}" width="${w}" height="${h}"/>`);
    if (fits2(b)) {
      const lines = nameLines(b);
      lines.forEach((l, i) => {
        out.push(`<text x="${x + 5}" y="${y + (i + 1) * LINE}" class="fn">${esc(l)}</text>`);
      });
      out.push(
        `<text x="${x + 5}" y="${y + (lines.length + 1) * LINE}" class="fo">+${b.offset} · ${sizeText(b.size)}</text>`,
      );
    } else if (fits1(b)) {
      out.push(`<text x="${x + 5}" y="${y + h / 2 + FS / 2 - 1}" class="fn">${esc(label(b).one)}</text>`);
    } else {
      // Too small for a line of text: the label sits in the gutter, with a leader.
      const lx = opts.x + ruler + bodyW + 18;
      const ly = y + h / 2 + 4 + smallIdx * LINE;
      smallIdx++;
      out.push(
        `<line x1="${x + w}" y1="${y + h / 2}" x2="${lx - 3}" y2="${ly - 4}" class="leader"/>`,
        `<text x="${lx}" y="${ly}" class="fn">${esc(label(b).one)}</text>`,
      );
    }
    out.push(`${close}</g>`);
  }
  out.push("</g>");
  return {
    svg: out.join("\n"),
    left: opts.x + ruler,
    right: opts.x + ruler + bodyW,
    width: Math.max(
      ruler + bodyW + gutter,
      ruler + Math.max(...opts.title.map((t, i) => textWidth(t, i === 0 ? 13 : FS))),
    ),
    height: headerH + opts.size * scale,
    boxes: placed,
  };
}

/**
 * Connectors between boxes of two columns. Each runs from a dot at the right
 * edge of its source box along the box's top, out of the source column, across
 * the gap, into the target column and along the target box's top to a dot at
 * its left edge — drawn over the boxes, so a connector to a member in a back
 * lane cannot be mistaken for one to the member in front of it. Several
 * connectors at one box are spaced 2.5 px apart, above the text.
 */
export class Router {
  private readonly used = new Map<string, number>();
  private slot(id: string): number {
    const n = this.used.get(id) ?? 0;
    this.used.set(id, n + 1);
    return n;
  }
  connect(a: PlacedBox, from: Column, b: PlacedBox, to: Column, cls: string, title: string): string {
    const y1 = a.y + 2 + 2.5 * this.slot(`out:${a.spec.id}`);
    const y2 = b.y + 2 + 2.5 * this.slot(`in:${b.spec.id}`);
    const x0 = a.x + a.w - 3;
    const x1 = from.right;
    const x2 = to.left;
    const x3 = b.x + 3;
    const mx = (x1 + x2) / 2;
    return `<g class="${cls}"><title>${esc(title)}</title><path d="M${x0} ${y1} L${x1} ${y1} C${mx} ${y1} ${mx} ${y2} ${x2} ${y2} L${x3} ${y2}"/><circle cx="${x0}" cy="${y1}" r="2"/><circle cx="${x3}" cy="${y2}" r="2"/></g>`;
  }
}

export const SVG_STYLE = `
text{font-family:${FONT};font-size:${FS}px;fill:#111}
.ch{font-size:13px;font-weight:bold}.cs{fill:#444}.ruler{font-size:10px;fill:#555}
.outline{fill:#fafafa;stroke:#333;stroke-width:1.5}
.box rect{stroke:#333;stroke-width:1}
.tick{stroke:#555}.tick.heavy{stroke:#000;stroke-width:2}.pagerule{stroke:#000;stroke-width:2;stroke-dasharray:6 3}
.leader{stroke:#555;stroke-width:1}.sw rect{stroke:#333;stroke-width:1}
.k-page rect{fill:#c6dbef}.k-desc rect{fill:#c7e9c0}.k-gone rect{fill:#e0e0e0}.k-alias rect{fill:#f0f0f0;stroke-dasharray:3 2}
.k-new rect{fill:#fdd0a2}.k-match rect{fill:#fee391}.k-plain rect{fill:#ffffff}.k-embed rect{fill:none;stroke-dasharray:2 3}
.k-memdesc rect{fill:#9ecae1}
.link path{fill:none;stroke:#2171b5;stroke-width:1.3}.link circle{fill:#2171b5}
.match path{fill:none;stroke:#b8860b;stroke-width:1.4}.match circle{fill:#b8860b}
.carry path{fill:none;stroke:#238b45;stroke-width:1.3;stroke-dasharray:5 3}.carry circle{fill:#238b45}
.tr-h{font-weight:bold}.tr-page{fill:#08519c}.tr-desc{fill:#006d2c}.tr-gone{fill:#777}
.lg{font-size:11px}
a:hover rect{stroke-width:2.5}
.b-type rect{fill:#9ecae1}.b-ptr rect{fill:#c7e9c0}.b-sub rect{fill:#fdd0a2}.b-one rect{fill:#fdae6b}.b-ord rect{fill:#bcbddc}
.b-nzs rect{fill:#e0e0e0}.b-rest rect{fill:#f0f0f0}.b-owner rect{fill:#fff7bc}.b-clear rect{fill:#fc9272}.b-base rect{fill:#d9d9d9}
.b-pf_any rect{fill:#c6dbef}.b-pf_head rect{fill:#c7e9c0}.b-pf_no_tail rect{fill:#fdd0a2}.b-pf_no_compound rect{fill:#dadaeb}.b-pf_second rect{fill:#fee391}.b-none rect{fill:#ffffff}
.b-zone rect{fill:#fcbba1}.b-node rect{fill:#a1d99b}
.bits rect,.tcell rect{stroke:#333;stroke-width:1}.bn{font-size:10px;fill:#333}.tn{font-size:10px}.vl{font-size:11px}
.t-pointer rect{fill:#c7e9c0}.t-misc rect{fill:#fdd0a2}.t-buddy rect{fill:#bcbddc}.t-none rect{fill:#f0f0f0}.t-none-assigned rect{fill:#ffffff;stroke-dasharray:3 2}
`;

export function svgDoc(
  width: number,
  height: number,
  title: string,
  desc: string,
  body: string,
  id: string,
): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" id="${id}" width="${Math.ceil(width)}" height="${Math.ceil(height)}" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" role="group" aria-labelledby="${id}-t ${id}-d">
<title id="${id}-t">${esc(title)}</title>
<desc id="${id}-d">${esc(desc)}</desc>
<style>${SVG_STYLE}</style>
<rect width="100%" height="100%" fill="#ffffff"/>
${body}
</svg>`;
}

/** A legend row of swatches. */
export function legend(
  x: number,
  y: number,
  items: readonly (readonly [string, string])[],
): { svg: string; width: number } {
  let cx = x;
  const out: string[] = [];
  for (const [cls, text] of items) {
    out.push(
      `<g class="sw ${cls}"><rect x="${cx}" y="${y - 10}" width="14" height="12"/></g><text x="${cx + 19}" y="${y}" class="lg">${esc(text)}</text>`,
    );
    cx += 19 + textWidth(text) + 18;
  }
  return { svg: out.join("\n"), width: cx - x };
}
