/**
 * Reports are bounded and true (issue 8, item 6): one bad free whose consequences show on 511
 * tail pages is one finding per rule and call with its consequences counted, not 511; the text
 * shows a few findings per rule in full and counts the rest; --json keeps every finding,
 * grouped; a dump block says its headline once; no line contradicts another.
 *
 * Expected numbers, by hand from the scenario (test/check/cascade/per-page-pagetable-free.ts):
 * 512 page_ptdesc() calls on plain pages (MD006 each, pfns 0x0-0x1ff); pagetable_free() of pfn 0
 * frees compound_order() = 0 pages of the order-9 block (MD009 once) and orphans 0x1-0x1ff; each
 * of the 511 later iterations uses an orphaned tail in page_ptdesc() and in pagetable_free()
 * (MD015). The block is the one at pfn 0x0 (a fresh machine's first order-9 allocation).
 */
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { checkFiles } from "../../src/check/check.js";
import { FULL_PER_RULE, renderCheckReport } from "../../src/check/render.js";
import { runScenarios } from "../../src/check/run.js";

const dir = resolve(__dirname, "cascade");

describe("a cascade is one finding with its consequences counted", async () => {
  const report = await checkFiles({
    paths: [join(dir, "per-page-pagetable-free.ts")],
    stages: ["today"],
    run: runScenarios,
    cwd: dir,
  });
  const s = report.files[0]!.scenarios![0]!;
  const text = renderCheckReport(report);

  it("groups the findings: one per rule, call and block", () => {
    expect(s.violations.map((v) => `${v.rule} ${v.op} ${v.pfn} +${v.repeats.length}`)).toEqual([
      "MD006 page_ptdesc 0 +511",
      // The head belongs to a live non-compound order-9 block: it has no ptdesc (issue 8 item 3).
      "MD008 page_ptdesc 0 +0",
      "MD009 pagetable_free 0 +0",
      "MD015 page_ptdesc 1 +510",
      "MD015 pagetable_free 1 +1021",
    ]);
    for (const v of s.violations) expect(v.block).toEqual({ head: 0, order: 9 });
  });

  it("--json keeps every finding: the group's first and its repeats", () => {
    const md006 = s.violations[0]!;
    expect(md006.repeats.map((r) => r.pfn)).toEqual(Array.from({ length: 511 }, (_, i) => i + 1));
    expect(s.violations.reduce((n, v) => n + 1 + v.repeats.length, 0)).toBe(512 + 1 + 1 + 511 + 2 * 511);
    expect(md006.repeats[0]!.message).toBe(
      "MD006 page_ptdesc: pfn 0x1 is plain pages (a Misc memdesc), allocated without a descriptor, not a ptdesc",
    );
  });

  it("the summary counts findings once per group", () => {
    expect(report.summary.runByRule).toEqual({ MD006: 1, MD008: 1, MD009: 1, MD015: 2, MD018: 1 });
  });

  it("the text is bounded and counts the rest in kernel words", () => {
    expect(text.split("\n").length).toBeLessThan(120);
    expect(text).toContain("      and 511 more tail pages of the order-9 block at pfn 0x0\n");
    expect(text).toContain("      and 510 more tail pages of the order-9 block at pfn 0x0\n");
    // pagetable_free() of an orphaned tail is refused twice (the descriptor write, then the free).
    expect(text).toContain(
      "and 510 more tail pages of the order-9 block at pfn 0x0 (1021 more reports in all)",
    );
  });

  it("each headline sentence appears once", () => {
    for (const v of s.violations) {
      const sentence = v.message.replace(/^MD\d+ /, "");
      expect(text.split(sentence).length - 1, sentence).toBe(1);
    }
  });

  it("no line contradicts another: 'the kernel reports nothing' never beside BUG()", () => {
    for (const v of s.violations)
      if (/reports nothing/.test(v.report)) expect(v.report).not.toMatch(/BUG\(\)/);
    // An orphaned tail is not "free": one state, one word for it.
    expect(text).not.toMatch(/pfn 0x1 is free/);
  });
});

describe("a scenario's text shows a few findings per rule in full and counts the rest", async () => {
  const report = await checkFiles({
    paths: [join(dir, "five-double-frees.ts")],
    stages: ["today"],
    run: runScenarios,
    cwd: dir,
  });
  const s = report.files[0]!.scenarios![0]!;
  const text = renderCheckReport(report);

  it("five double frees of five pages are five findings in --json", () => {
    expect(s.violations.map((v) => `${v.rule} ${v.op} +${v.repeats.length}`)).toEqual(
      Array.from({ length: 5 }, () => "MD014 __free_page +0"),
    );
  });

  it(`the text shows ${FULL_PER_RULE} in full and counts the other two`, () => {
    expect(text.match(/^ {4}MD014 {2}__free_page: /gm)?.length).toBe(FULL_PER_RULE);
    expect(text).toContain(
      "    MD014  and 2 more MD014 findings in this scenario (--json lists every one)\n",
    );
  });
});
