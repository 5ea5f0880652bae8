/**
 * `memdesc census --svg FILE`: a picture of physical memory — the PFN space
 * as a grid of cells coloured by the kind holding most of each cell's pages,
 * with a legend — and a bar chart of the memmap cost per stage. Plain SVG 1.1
 * with no scripts or external references, so it renders anywhere.
 */
import { STAGE_INFO, STAGES } from "../model/index.js";
import type { CensusMap } from "./census.js";
import { CENSUS_KIND_INFO, CENSUS_KINDS, type CensusKind } from "./kinds.js";
import { humanBytes, mib } from "./report.js";
import type { CensusDocument } from "./schema.js";

/** Colours per kind (ColorBrewer-like, distinct in print and for common colour-vision deficiencies). */
export const CENSUS_KIND_COLOURS: Readonly<Record<CensusKind, string>> = {
  nopage: "#ffffff",
  flagless: "#d9d9d9",
  buddy: "#e6f598",
  slab: "#fdae61",
  pagetable: "#d53e4f",
  hugetlb: "#9e0142",
  offline: "#8c8c8c",
  zero: "#fee08b",
  ksm: "#5e4fa2",
  anon: "#3288bd",
  file: "#66c2a5",
  reserved: "#252525",
  other: "#f46d43",
};

const NK = CENSUS_KINDS.length;
const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export interface SvgOptions {
  /** Grid columns (default 128). */
  readonly columns?: number;
  /** At most this many grid cells (default 128 × 128). */
  readonly maxCells?: number;
}

export function renderCensusSvg(doc: CensusDocument, map: CensusMap, options: SvgOptions = {}): string {
  const columns = options.columns ?? 128;
  const maxCells = options.maxCells ?? columns * 128;
  // Group map cells so the grid has at most maxCells cells.
  let group = 1;
  while (Math.ceil(map.cells / group) > maxCells) group *= 2;
  const cells = Math.ceil(map.cells / group);
  const pfnsPerCell = map.pfnsPerCell * group;
  const rows = Math.max(1, Math.ceil(cells / columns));
  const cell = Math.max(3, Math.min(8, Math.floor(640 / Math.max(rows, columns / 1.5))));

  const marginLeft = 96;
  const top = 64;
  const gridW = columns * cell;
  const gridH = rows * cell;
  const legendX = marginLeft + gridW + 24;
  const width = legendX + 300;

  const parts: string[] = [];
  const title =
    `memdesc census — ${doc.source.kind === "sample" ? "SAMPLE snapshot" : doc.source.kind}` +
    (doc.kernel.release ? `, kernel ${doc.kernel.release}` : "") +
    `: ${doc.pfns} page frames of ${doc.pageSize} B`;
  parts.push(`<text x="16" y="28" class="title">${esc(title)}</text>`);
  parts.push(
    `<text x="16" y="48" class="sub">${esc(
      `physical memory, one cell = ${pfnsPerCell} PFNs (${humanBytes(pfnsPerCell * doc.pageSize)}), coloured by the kind holding most of its pages; rows run left to right from PFN 0`,
    )}</text>`,
  );

  // The grid: the dominant kind of each cell, drawn as one rect per run of
  // equal cells within a row (real memory maps are long runs; this keeps the
  // file small).
  const dominant = new Uint8Array(cells);
  const counts = new Float64Array(NK);
  for (let c = 0; c < cells; c++) {
    counts.fill(0);
    for (let g = 0; g < group; g++) {
      const m = c * group + g;
      if (m >= map.cells) break;
      for (let k = 0; k < NK; k++) counts[k]! += map.pages[m * NK + k]!;
    }
    let best = 0;
    for (let k = 1; k < NK; k++) if (counts[k]! > counts[best]!) best = k;
    dominant[c] = best;
  }
  for (let row = 0; row < rows; row++) {
    let col = 0;
    while (col < columns && row * columns + col < cells) {
      const kind = dominant[row * columns + col]!;
      let end = col + 1;
      while (end < columns && row * columns + end < cells && dominant[row * columns + end] === kind) end++;
      parts.push(
        `<rect x="${marginLeft + col * cell}" y="${top + row * cell}" width="${(end - col) * cell}" height="${cell}" fill="${CENSUS_KIND_COLOURS[CENSUS_KINDS[kind]!]}"/>`,
      );
      col = end;
    }
  }
  parts.push(
    `<rect x="${marginLeft - 0.5}" y="${top - 0.5}" width="${gridW + 1}" height="${gridH + 1}" fill="none" stroke="#555" stroke-width="1"/>`,
  );
  // Row labels: physical address of the first PFN of every few rows.
  const labelEvery = Math.max(1, Math.ceil(14 / cell));
  for (let row = 0; row < rows; row += labelEvery) {
    const pfn = row * columns * pfnsPerCell;
    parts.push(
      `<text x="${marginLeft - 6}" y="${top + row * cell + cell}" class="axis" text-anchor="end">${esc(humanBytes(pfn * doc.pageSize))}</text>`,
    );
  }

  // Legend.
  let ly = top + 4;
  parts.push(`<text x="${legendX}" y="${ly}" class="head">kind (memdesc) — pages, MiB</text>`);
  ly += 10;
  for (const k of CENSUS_KINDS) {
    const e = doc.kinds[k];
    ly += 18;
    const label = `${k} (${CENSUS_KIND_INFO[k].memdesc ?? "no descriptor"}) — ${e.pages}, ${((e.pages * doc.pageSize) / 2 ** 20).toFixed(1)}`;
    parts.push(
      `<rect x="${legendX}" y="${ly - 11}" width="12" height="12" fill="${CENSUS_KIND_COLOURS[k]}" stroke="#555" stroke-width="0.5"/>`,
    );
    parts.push(`<text x="${legendX + 18}" y="${ly}" class="legend">${esc(label)}</text>`);
  }

  // Memmap cost per stage.
  const chartTop = Math.max(top + gridH, ly) + 48;
  parts.push(`<text x="16" y="${chartTop}" class="head">memmap cost per stage (share of RAM)</text>`);
  const barX = marginLeft + 40;
  const barMax = width - barX - 240;
  const maxBytes = Math.max(...STAGES.map((s) => doc.memmap[s].totalBytes), 1);
  STAGES.forEach((s, i) => {
    const c = doc.memmap[s];
    const y = chartTop + 16 + i * 30;
    const wMemmap = (c.memmapBytes / maxBytes) * barMax;
    const wDesc = (c.descriptorBytes / maxBytes) * barMax;
    parts.push(`<text x="${barX - 8}" y="${y + 15}" class="legend" text-anchor="end">${esc(s)}</text>`);
    parts.push(`<rect x="${barX}" y="${y}" width="${wMemmap.toFixed(2)}" height="20" fill="#3288bd"/>`);
    if (wDesc > 0) {
      parts.push(
        `<rect x="${(barX + wMemmap).toFixed(2)}" y="${y}" width="${Math.max(wDesc, 1).toFixed(2)}" height="20" fill="#fdae61"/>`,
      );
    }
    parts.push(
      `<text x="${(barX + wMemmap + wDesc + 8).toFixed(2)}" y="${y + 15}" class="legend">${esc(
        `${mib(c.totalBytes)} (${c.percentOfRam.toFixed(3)}%) — ${c.bytesPerPage} B/page${c.descriptorBytes ? ` + ${mib(c.descriptorBytes)} descriptors` : ""}`,
      )}</text>`,
    );
  });
  const keyY = chartTop + 16 + STAGES.length * 30 + 8;
  parts.push(`<rect x="${barX}" y="${keyY}" width="12" height="12" fill="#3288bd"/>`);
  parts.push(`<text x="${barX + 18}" y="${keyY + 11}" class="legend">struct page (memmap)</text>`);
  parts.push(`<rect x="${barX + 170}" y="${keyY}" width="12" height="12" fill="#fdae61"/>`);
  parts.push(
    `<text x="${barX + 188}" y="${keyY + 11}" class="legend">${esc(`separately allocated descriptors (${STAGE_INFO.final.stage}: 8 B/page + descriptors)`)}</text>`,
  );
  const height = keyY + 36;

  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">`,
    `<title>${esc(title)}</title>`,
    "<style>.title{font-size:16px;font-weight:bold}.sub{font-size:11px;fill:#444}.head{font-size:13px;font-weight:bold}.legend{font-size:12px}.axis{font-size:10px;fill:#444}</style>",
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...parts,
    "</svg>",
    "",
  ].join("\n");
}
