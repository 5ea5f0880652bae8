/**
 * Diagnostics are classified from the checker's types, not from the
 * compiler's English (issue 8, "What is wrong today" item 3). Each case was
 * misclassified by the regular expressions over the message that
 * src/check/compile.ts used before: written to fail on that code.
 *
 * Expected findings decided by hand from the snippet: which rules the call
 * breaks, and the sentence each rule's template (src/model/findings.ts)
 * gives for those fields — spelled out here, not rendered by the code
 * under test.
 */
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { compileAgainstStages } from "../../src/check/compile.js";
import { STAGES, type Stage } from "../../src/model/stage.js";

const here = resolve(__dirname, "__classify__.ts");

function check(source: string, stages: readonly Stage[] = STAGES) {
  const byStage = compileAgainstStages({ files: [here], stages, sources: new Map([[here, source]]) });
  return stages.flatMap((s) =>
    (byStage.get(s) ?? []).map((d) => `${d.line} ${d.stage} ${d.rule ?? `TS${d.code}`} ${d.message}`),
  );
}

describe("every failed rule at a call, read from the types", () => {
  it("page.lru after a double free is MD007 at the later stages (the MD014 is the line before)", () => {
    const got = check(`import { __free_pages, alloc_pages } from "memdesc/sim";
export function f() {
  const page = alloc_pages("GFP_KERNEL", 0);
  if (!page) return;
  __free_pages(page, 0);
  __free_pages(page, 0);
  return page.lru;
}
`);
    const md014 = "MD014 __free_pages: double free — the block was already freed";
    expect(got.sort()).toEqual(
      [
        ...STAGES.map((s) => `6 ${s} MD014 ${md014}`),
        ...(["interim32", "interim16", "final"] as const).map(
          (s) => `7 ${s} MD007 MD007 page->lru: struct page has no member 'lru' at stage ${s}`,
        ),
      ].sort(),
    );
  });

  it("page_ptdesc() of a non-compound order-2 page breaks MD006 and MD008: both are reported", () => {
    const got = check(
      `import { alloc_pages, page_ptdesc } from "memdesc/sim";
export function f() {
  const page = alloc_pages("GFP_KERNEL", 2);
  if (!page) return;
  return page_ptdesc(page);
}
`,
      ["today"],
    );
    expect(got).toEqual([
      "5 today MD006 MD006 page_ptdesc: this memory is plain pages (alloc_pages), not a page table (pagetable_alloc)",
      "5 today MD008 MD008 page_ptdesc: the block was allocated at order 2 without __GFP_COMP; a non-compound block cannot become a folio or a ptdesc",
    ]);
  });

  it("__pagetable_free() of a constructed kernel table breaks MD012 and MD013: both are reported", () => {
    // (The issue's case was pagetable_free() of an unmarked kernel table; that MD013 is no
    // compile-time finding any more — decision 0020 — so the same two-rule call is shown here.)
    const got = check(
      `import { __pagetable_free, GFP_PGTABLE_KERNEL, init_mm, pagetable_alloc, pagetable_pte_ctor, ptdesc_set_kernel } from "memdesc/sim";
export function f() {
  const pt = pagetable_alloc(GFP_PGTABLE_KERNEL, 0);
  if (!pt) return;
  ptdesc_set_kernel(pt);
  if (!pagetable_pte_ctor(init_mm, pt)) return;
  __pagetable_free(pt);
}
`,
      ["today"],
    );
    expect(got).toEqual([
      "7 today MD012 MD012 __pagetable_free: this page table is still constructed; use pagetable_dtor_free(), or pagetable_dtor() first",
      "7 today MD013 MD013 __pagetable_free: a kernel page table is freed through a path that skips the PT_kernel check, so it can be reused before the IOMMU is invalidated; free it with pagetable_free()/pagetable_dtor_free()",
    ]);
  });

  it("MD002 is read from the order parameter's type", () => {
    const got = check(
      `import { alloc_pages, __free_pages } from "memdesc/sim";
export function f() {
  const page = alloc_pages("GFP_KERNEL", 2);
  if (!page) return;
  __free_pages(page, 0);
}
`,
      ["today"],
    );
    expect(got).toEqual(["5 today MD002 MD002 __free_pages: block allocated at order 2, freed at order 0"]);
  });

  it("rules broken on two arguments of one call are both reported (tsc itself reports only the first argument)", () => {
    const byStage = compileAgainstStages({
      files: [here],
      stages: ["today"],
      sources: new Map([
        [
          here,
          `import { alloc_pages, __free_pages } from "memdesc/sim";
export function f() {
  const page = alloc_pages("GFP_KERNEL", 0);
  if (!page) return;
  __free_pages(page, 0);
  __free_pages(page, 3);
}
`,
        ],
      ]),
    });
    expect((byStage.get("today") ?? []).map((d) => `${d.line}:${d.column} ${d.rule} ${d.message}`)).toEqual([
      "6:16 MD014 MD014 __free_pages: double free — the block was already freed",
      "6:22 MD002 MD002 __free_pages: block allocated at order 0, freed at order 3",
    ]);
  });

  it("after a failed double free the handle carries the violation: a third free is not a new finding of the compiler, nor of ours", () => {
    const got = check(
      `import { alloc_pages, __free_pages } from "memdesc/sim";
export function f() {
  const page = alloc_pages("GFP_KERNEL", 0);
  if (!page) return;
  __free_pages(page, 0);
  __free_pages(page, 0);
  __free_pages(page, 0);
}
`,
      ["today"],
    );
    expect(got).toEqual(["6 today MD014 MD014 __free_pages: double free — the block was already freed"]);
  });

  it("an ordinary type error stays a TypeScript error, even when a handle type with a rule sentence is in its text", () => {
    const got = check(
      `import { __free_pages, alloc_pages } from "memdesc/sim";
export function f() {
  const page = alloc_pages("GFP_KERNEL", 0);
  if (!page) return;
  __free_pages(page, 0);
  __free_pages(page, 0);
  const n: string = page;
  return n;
}
`,
      ["today"],
    );
    expect(got.map((g) => g.split(" ").slice(0, 3).join(" "))).toEqual(["6 today MD014", "7 today TS2322"]);
  });

  it("a mask variable given a computed mask is TS2322 with a note: declare it gfp_t (both back ends)", () => {
    // arch/x86/mm/pgtable.c preallocate_pmds(): gfp_t gfp = GFP_PGTABLE_USER; ... gfp &= ~__GFP_ACCOUNT;
    const source = `import { __GFP_ACCOUNT, GFP_PGTABLE_USER, type gfp_t } from "memdesc/sim";
export function f() {
  let gfp = GFP_PGTABLE_USER;
  gfp &= ~__GFP_ACCOUNT;
  let ok: gfp_t = GFP_PGTABLE_USER;
  ok &= ~__GFP_ACCOUNT;
  return gfp + ok;
}
`;
    const want = [
      "4 today TS2322 Type 'number' is not assignable to type 'Gfp<\"GFP_PGTABLE_USER\">'. (the variable has the GFP constant's own type; declare it gfp_t, as the C does: let gfp: gfp_t = …)",
    ];
    for (const compiler of ["ts7", "ts6"] as const) {
      const byStage = compileAgainstStages({
        files: [here],
        stages: ["today"],
        sources: new Map([[here, source]]),
        compiler,
      });
      expect(
        (byStage.get("today") ?? []).map(
          (d) => `${d.line} ${d.stage} ${d.rule ?? `TS${d.code}`} ${d.message}`,
        ),
        compiler,
      ).toEqual(want);
    }
  });
});
