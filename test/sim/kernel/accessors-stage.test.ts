/**
 * page_private()/set_page_private()/page_ref_count()/page_count()/page_mapcount() are MD007
 * at a stage where the field they read is gone, exactly like the field access; at today they
 * compile, and at run time they read the machine's columns.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileAgainstStages } from "../../../src/check/compile.js";
import {
  __free_page,
  alloc_page,
  GFP_KERNEL,
  get_page,
  Machine,
  page_count,
  page_mapcount,
  page_private,
  page_ref_count,
  put_page,
  runOn,
  set_page_private,
} from "../../../src/sim/index.js";

const file = join(__dirname, "snippets", "accessors.stage.ts");

describe("stage-checked accessors (MD007)", () => {
  it("compile at today and fail at final on exactly the marked lines", () => {
    const want = readFileSync(file, "utf8")
      .split("\n")
      .flatMap((t, i) => {
        const m = /\/\/ @final TS(\d+) (.+)$/.exec(t);
        return m ? [{ line: i + 1, code: Number(m[1]), text: m[2]!.trim() }] : [];
      });
    expect(want).toHaveLength(17);
    const byStage = compileAgainstStages({ files: [file], stages: ["today", "final"] });
    expect(byStage.get("today")).toEqual([]);
    const got = byStage.get("final") ?? [];
    expect(got.map((d) => [d.line, d.code, d.rule])).toEqual(want.map((w) => [w.line, w.code, "MD007"]));
    for (const w of want) expect(got.find((d) => d.line === w.line)?.message).toContain(w.text);
  }, 120_000);
  it("read the machine at run time", () => {
    const m = new Machine({ pages: 1024, onViolation: "collect" });
    runOn(m, () => {
      const page = alloc_page(GFP_KERNEL)!;
      set_page_private(page, 42);
      expect(page_private(page)).toBe(42);
      get_page(page);
      expect(page_ref_count(page)).toBe(2);
      expect(page_count(page)).toBe(2);
      put_page(page);
      expect(page_mapcount(page)).toBe(0); // _mapcount starts at -1
      set_page_private(page, 0);
      __free_page(page);
    });
    expect(m.takeViolations()).toEqual([]);
  });
});
