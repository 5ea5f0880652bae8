/**
 * Members of the handles as the kernel declares them: a `struct zpdesc *` member holds a zpdesc
 * handle and a pointer to a struct the model has no handle for holds the user's object
 * (mm/zsmalloc.c create_page_chain(): `prev_zpdesc->next = zpdesc; zpdesc->zspage = zspage;`),
 * at every stage; a separate descriptor's members are typed at the later stages (they were
 * `never`). At run time the values read back, and an object stored in the machine-backed
 * page->mapping reads back as that object while the page counts as mapped.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileAgainstStages } from "../../../src/check/compile.js";
import { STAGES } from "../../../src/model/stage.js";
import {
  __free_page,
  alloc_page,
  alloc_zpdesc,
  free_zpdesc,
  GFP_KERNEL,
  Machine,
  runOn,
} from "../../../src/sim/index.js";

const file = join(__dirname, "snippets", "pointer-members.ts");

describe("pointer members and separate-descriptor members", () => {
  it("compile at every stage but on the marked lines, which fail with TS2322", () => {
    const want = readFileSync(file, "utf8")
      .split("\n")
      .flatMap((t, i) => (/\/\/ @expect-error TS2322 /.test(t) ? [i + 1] : []));
    expect(want).toHaveLength(2);
    const byStage = compileAgainstStages({ files: [file], stages: STAGES });
    for (const stage of STAGES)
      expect(
        (byStage.get(stage) ?? []).map((d) => [d.line, d.code]),
        stage,
      ).toEqual(want.map((l) => [l, 2322]));
  }, 120_000);
  it("read back what was stored, through the side store and the mapping column", () => {
    const m = new Machine({ pages: 1024, onViolation: "collect" });
    runOn(m, () => {
      const a = alloc_zpdesc(GFP_KERNEL, -1)!;
      const b = alloc_zpdesc(GFP_KERNEL, -1)!;
      const zs = { first_zpdesc: a };
      a.next = b;
      a.zspage = zs;
      expect(a.next).toBe(b);
      expect(a.zspage).toBe(zs);
      a.next = null;
      a.zspage = null;
      free_zpdesc(a);
      free_zpdesc(b);
      const page = alloc_page(GFP_KERNEL)!;
      const mapping = { host: "inode" };
      page.mapping = mapping;
      expect(page.mapping).toBe(mapping);
      page.mapping = null;
      expect(page.mapping).toBeNull();
      __free_page(page);
    });
    expect(m.takeViolations()).toEqual([]);
  });
  it("a page freed with an object in ->mapping is a bad page (non-NULL mapping)", () => {
    const m = new Machine({ pages: 1024, onViolation: "collect" });
    runOn(m, () => {
      const page = alloc_page(GFP_KERNEL)!;
      page.mapping = { host: "inode" };
      __free_page(page);
    });
    expect(m.takeViolations().map((v) => v.rule)).toContain("MD016");
  });
});
