/**
 * The layers (DESIGN.md): model <- sim, census <- check <- c <- cli. Imports
 * point down only; model imports nothing of ours. And shared code asks the
 * kind's table entry instead of comparing a kind's name (principle 1).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { MEMDESC_KIND_NAMES } from "../src/model/index.js";

const SRC = resolve(__dirname, "../src");
/** What each layer may import (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  model: [],
  sim: ["model"],
  census: ["model"],
  check: ["model", "sim", "census"],
  c: ["model", "sim", "census", "check"],
  cli: ["model", "sim", "census", "check", "c"],
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}
const layerOf = (file: string): string => relative(SRC, file).split("/")[0]!;

/**
 * The relative modules a source file imports, every kind: `import`, `import
 * type`, `export … from`, a bare `import "./x.js"` and `import("./x.js")`.
 */
function importsOf(text: string): string[] {
  // A relative specifier in either quote: group 2 (group 1 is the quote, matched again at its end).
  const spec = (before: string, after = "") => new RegExp(`${before}(["'])(\\.[^"']+)\\1${after}`, "g");
  const patterns = [
    spec("(?:^|\\n)\\s*(?:import|export)\\b[^;]*?\\bfrom\\s+"),
    spec("(?:^|\\n)\\s*import\\s+"),
    spec("\\bimport\\(\\s*", "\\s*\\)"),
  ];
  return patterns.flatMap((p) => [...text.matchAll(p)].map((m) => m[2]!));
}

/**
 * Import cycles of a graph (module → the modules it imports), each as a path
 * back to its start: one per back edge of a depth-first walk, so a graph has
 * a cycle exactly when this finds one (it need not list every cycle).
 */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const keys = new Set<string>();
  const path: string[] = [];
  const onPath = new Set<string>();
  const visit = (node: string): void => {
    if (onPath.has(node)) {
      const cycle = path.slice(path.indexOf(node));
      // The same cycle entered at another module: keep one, keyed from its smallest name.
      const start = cycle.indexOf([...cycle].sort()[0]!);
      const key = [...cycle.slice(start), ...cycle.slice(0, start)].join(" -> ");
      if (!keys.has(key)) {
        keys.add(key);
        cycles.push([...cycle, node]);
      }
      return;
    }
    if (seen.has(node)) return;
    path.push(node);
    onPath.add(node);
    for (const next of graph.get(node) ?? []) visit(next);
    path.pop();
    onPath.delete(node);
    seen.add(node);
  };
  for (const node of [...graph.keys()].sort()) visit(node);
  return cycles;
}
const sources = files(SRC).filter((f) => layerOf(f) in ALLOWED);

describe("layering", () => {
  it("finds the layers it checks", () => {
    for (const layer of ["model", "sim", "census", "check", "c", "cli"])
      expect(sources.map(layerOf)).toContain(layer);
  });

  it("no file imports from a layer above it", () => {
    const bad: string[] = [];
    for (const file of sources) {
      const from = layerOf(file);
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^;]*?from\s+"(\.[^"]+)"/g)) {
        const target = resolve(dirname(file), m[1]!);
        if (!target.startsWith(SRC)) continue;
        const to = layerOf(target);
        if (to !== from && !ALLOWED[from]!.includes(to))
          bad.push(`${relative(SRC, file)} imports ${to}/ (${m[1]})`);
      }
    }
    expect(bad).toEqual([]);
  });

  it("the cycle finder finds a cycle, a self-import and a type-only edge, and nothing in a graph without one", () => {
    // Its own pattern on source text: every kind of import is an edge.
    const text = [
      'import type { A } from "./a.js";',
      "import {\n  b,\n  type B,\n} from './single-quoted.js';",
      'import { c } from "./c.js";',
      'export { d } from "./d.js";',
      'export type { E } from "./e.js";',
      'import "./f.js";',
      'const g = await import("./g.js");',
      'import { readFileSync } from "node:fs";',
      'export function f() { return ".c"; }',
      'export const DIR = new URL("../samples/", import.meta.url);',
      ' * see `import { x } from "./h.js"` in a comment',
    ].join("\n");
    expect(importsOf(text).sort()).toEqual([
      "./a.js",
      "./c.js",
      "./d.js",
      "./e.js",
      "./f.js",
      "./g.js",
      "./single-quoted.js",
    ]);
    const graph = (edges: Record<string, string[]>) => new Map(Object.entries(edges));
    expect(importCycles(graph({ a: ["b"], b: ["c"], c: [] }))).toEqual([]);
    expect(importCycles(graph({ a: ["b", "c"], b: ["c"], c: [] }))).toEqual([]);
    expect(importCycles(graph({ d: ["a"], a: ["b"], b: ["c"], c: ["a"] }))).toEqual([["a", "b", "c", "a"]]);
    expect(importCycles(graph({ a: ["a"] }))).toEqual([["a", "a"]]);
    expect(importCycles(graph({ x: ["y"], y: ["x"], b: ["c"], c: ["b"] }))).toEqual([
      ["b", "c", "b"],
      ["x", "y", "x"],
    ]);
  });

  it("no module in src/ imports itself through others (type-only and dynamic imports count)", () => {
    const all = files(SRC);
    const graph = new Map<string, string[]>();
    for (const file of all) {
      const targets = importsOf(readFileSync(file, "utf8")).map((spec) =>
        relative(SRC, resolve(dirname(file), spec.replace(/\.js$/, ".ts"))),
      );
      graph.set(relative(SRC, file), targets);
    }
    // Every edge names a module that exists, or the graph would miss it.
    const missing = [...graph].flatMap(([from, tos]) =>
      tos.filter((to) => !graph.has(to)).map((to) => `${from} -> ${to}`),
    );
    expect(missing).toEqual([]);
    expect(graph.size).toBeGreaterThan(100);
    expect(importCycles(graph).map((c) => c.join(" -> "))).toEqual([]);
  });

  it("no code outside src/model compares a memdesc kind's name or a PGTY value", () => {
    const names = MEMDESC_KIND_NAMES.join("|");
    // Any quote: "slab", 'slab' and `slab` are the same comparison.
    const byName = new RegExp(`[!=]==\\s*(["'\`])(?:${names})\\1|(["'\`])(?:${names})\\2\\s*[!=]==`);
    const byPgty = /[!=]==\s*PGTY[._]/;
    // The patterns themselves: a broken one would pass every file.
    expect(['kind === "slab"', "kind !== 'ptdesc'", "`folio` === kind"].map((l) => byName.test(l))).toEqual([
      true,
      true,
      true,
    ]);
    expect(byPgty.test("top === PGTY_slab")).toBe(true);
    expect(byName.test('payload === "pointer"')).toBe(false);
    const bad: string[] = [];
    for (const file of sources) {
      if (layerOf(file) === "model") continue;
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, i) => {
          const at = `${relative(SRC, file)}:${i + 1}`;
          if (byName.test(line) || byPgty.test(line)) bad.push(`${at}: ${line.trim()}`);
        });
    }
    expect(bad).toEqual([]);
  });
});
