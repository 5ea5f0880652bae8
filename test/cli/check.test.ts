/** `memdesc check`: output format, --json against its exported schema, exit codes, bad input. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CheckReportSchema } from "../../src/check/index.js";
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from "../../src/cli/run.js";
import { runMemdesc } from "../helpers/cli.js";

const examples = resolve(__dirname, "../../examples/rules");
const scratch = mkdtempSync(join(tmpdir(), "memdesc-check-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("memdesc check", () => {
  it("prints file:line:col  MD###  stages  message, an explanation, and a summary; exit 1", async () => {
    const r = await runMemdesc("check", join(examples, "MD002-free-order/bad.ts"));
    expect(r.code).toBe(EXIT_FINDINGS);
    expect(r.stdout).toMatch(
      /bad\.ts:8:22 {2}MD002 {2}today,final {2}__free_pages: block allocated at order 2, freed at order 0\n/,
    );
    expect(r.stdout).toContain("    why: __free_pages(page, order) trusts the caller's order.");
    expect(r.stdout).toContain("    see: docs/rules.md#md002-free-order");
    expect(r.stdout.trimEnd().split("\n").at(-1)).toBe(
      "findings: 1 file checked at today, final; 2 compile-time rule violations (MD002×2); 0 TypeScript errors",
    );
  });
  it("exit 0 on a clean file", async () => {
    const r = await runMemdesc("check", join(examples, "MD002-free-order/good.ts"));
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toContain("good.ts  clean at today, final");
  });
  it("reports an ordinary TypeScript error as such, with no rule ID", async () => {
    const f = join(scratch, "typo.ts");
    writeFileSync(
      f,
      'import { alloc_pages, GFP_KERNEL } from "memdesc/sim";\nexport const p = alloc_page(GFP_KERNEL);\n',
    );
    const r = await runMemdesc("check", f, "--json");
    expect(r.code).toBe(EXIT_FINDINGS);
    const report = CheckReportSchema.parse(JSON.parse(r.stdout));
    expect(report.files[0]?.diagnostics.map((d) => [d.rule, d.code, d.line, d.stage])).toEqual([
      [null, 2552, 2, "today"],
      [null, 2552, 2, "final"],
    ]);
    expect(report.summary).toMatchObject({ violations: 0, typescriptErrors: 2, clean: false });
  });
  it("--json validates against the exported schema and carries rule, stage, line, column, message", async () => {
    const r = await runMemdesc(
      "check",
      join(examples, "MD007-field-stage/bad.ts"),
      "--stage",
      "all",
      "--json",
    );
    const report = CheckReportSchema.parse(JSON.parse(r.stdout));
    const d = report.files[0]!.diagnostics;
    expect(d.filter((x) => x.stage === "today")).toEqual([]);
    expect(d.find((x) => x.stage === "final" && x.line === 10)).toEqual({
      rule: "MD007",
      stage: "final",
      line: 10,
      column: 23,
      code: 2339,
      message: "MD007 page->mapping: struct page has no member 'mapping' at stage final",
      op: "page->mapping",
      fields: { struct: "page", member: "mapping", stage: "final" },
    });
    expect(report.summary.stages).toEqual(["today", "interim32", "interim16", "final"]);
  });
  it("--run runs scenarios and reports run-time findings with dump_page-like reports", async () => {
    const r = await runMemdesc("check", join(examples, "MD016-bad-page-at-free/bad.ts"), "--run", "--json");
    const report = CheckReportSchema.parse(JSON.parse(r.stdout));
    const s = report.files[0]!.scenarios![0]!;
    expect(s.name).toBe("scenario_type_left_on_tail_page");
    expect(s.violations.map((v) => v.rule)).toEqual(["MD016"]);
    expect(s.violations[0]!.report).toMatch(/^BUG: Bad page state in process memdesc {2}pfn:00001$/m);
    expect(s.violations[0]!.report).toMatch(/page dumped because: nonzero mapcount/);
  });
  it("--expect: exit 0 when the findings are exactly the expected ones, 1 otherwise", async () => {
    const ok = await runMemdesc("check", join(examples, "MD014-double-free"), "--expect");
    expect(ok.code).toBe(EXIT_OK);
    const f = join(scratch, "unexpected.ts");
    writeFileSync(
      f,
      'import { __free_page, alloc_page, GFP_KERNEL } from "memdesc/sim";\nexport function x() {\n  const p = alloc_page(GFP_KERNEL);\n  if (!p) return;\n  __free_page(p);\n  __free_page(p); // expect MD015\n}\n',
    );
    const bad = await runMemdesc("check", f, "--expect");
    expect(bad.code).toBe(EXIT_FINDINGS);
    expect(bad.stdout).toContain("unexpected  6:15  MD014  today");
    expect(bad.stdout).toContain("missing     6  MD015  today");
  });
  it.each([
    [["check", "nonexistent.ts"], /^memdesc: nonexistent\.ts: no such file or directory\n$/],
    [["check", "package.json"], /^memdesc: package\.json: not a TypeScript file/],
    [["check", "examples/rules", "--stage", "tomorrow"], /^memdesc: unknown stage 'tomorrow'/],
    [["check"], /^memdesc: missing required argument 'paths'/],
  ])("bad input %j: one line, exit 2", async (args, message) => {
    const r = await runMemdesc(...args);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  });
  it("an empty folder is bad input", async () => {
    const empty = join(scratch, "empty");
    mkdirSync(empty);
    const r = await runMemdesc("check", empty);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toMatch(/folder contains no \.ts files/);
  });
});
