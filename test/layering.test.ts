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
