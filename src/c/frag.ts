/**
 * Translated code with its way back to the C: a fragment of TypeScript and
 * marks tying offsets in it to positions in the C file, so a compiler
 * diagnostic on the translation is reported at the C expression it came from.
 */

/** [offset in the fragment, C line (1-based), C column (1-based)]. */
export type Mark = readonly [number, number, number];

export interface Frag {
  readonly s: string;
  readonly m: readonly Mark[];
}

export const frag = (s: string, at?: { line: number; column: number }): Frag => ({
  s,
  m: at ? [[0, at.line, at.column]] : [],
});

/** Concatenate fragments and strings, shifting the marks. */
export function cat(...parts: readonly (Frag | string)[]): Frag {
  let s = "";
  const m: Mark[] = [];
  for (const p of parts) {
    if (typeof p === "string") {
      s += p;
      continue;
    }
    for (const [o, l, c] of p.m) m.push([o + s.length, l, c]);
    s += p.s;
  }
  return { s, m };
}

/** Join fragments with a separator. */
export function join(parts: readonly Frag[], sep: string): Frag {
  const out: (Frag | string)[] = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push(sep);
    out.push(p);
  });
  return cat(...out);
}

/** Marks an output line carries (offsets are columns, 0-based). */
export interface LineMarks {
  readonly marks: readonly Mark[];
}

/** Map a 1-based TS position in the translation back to the C position of the innermost mark at or before it. */
export function mapBack(
  lines: readonly LineMarks[],
  tsLine: number,
  tsColumn: number,
): { line: number; column: number } {
  for (let l = tsLine; l >= 1; l--) {
    const marks = lines[l - 1]?.marks ?? [];
    let best: Mark | undefined;
    for (const mk of marks) {
      if (l === tsLine && mk[0] > tsColumn - 1) continue;
      if (!best || mk[0] >= best[0]) best = mk;
    }
    if (best) return { line: best[1], column: best[2] };
  }
  return { line: 1, column: 1 };
}
