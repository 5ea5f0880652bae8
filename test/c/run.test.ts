/**
 * `memdesc check --run` on C: opaque calls are reported in the scenario's output (each once, in
 * the order reached, and only those the run reached), in text and in --json; a TypeScript
 * scenario imports C functions, compiled with their translated types and run through the
 * translation, without a file written beside the user's.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMemdesc } from "../helpers/cli.js";

const scratch = mkdtempSync(join(tmpdir(), "memdesc-c-run-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const f = join(scratch, name);
  writeFileSync(f, text);
  return f;
}

describe("opaque calls at run time", () => {
  it("are listed per scenario as 'opaque call f()': once each, in the order reached, unreached ones not", async () => {
    const f = write(
      "opaque.c",
      `void scenario_helper(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);

	if (!page)
		return;
	flush_tlb_all();
	kmemleak_free(page);
	flush_tlb_all();
	if (page_count(page) > 5)
		never_reached();
	__free_pages(page, 0);
}

void scenario_plain(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);

	if (page)
		__free_pages(page, 0);
}
`,
    );
    const text = await runMemdesc("check", f, "--run", "--stage", "today");
    expect(text.stdout).toContain(
      "  scenario scenario_helper: ok\n    opaque call flush_tlb_all()\n    opaque call kmemleak_free()\n  scenario scenario_plain: ok\n\n",
    );
    expect(text.stdout).not.toContain("never_reached");
    const json = JSON.parse((await runMemdesc("check", f, "--run", "--json", "--stage", "today")).stdout) as {
      files: { scenarios: { name: string; opaqueCalls?: string[] }[] }[];
    };
    expect(json.files[0]!.scenarios.map((s) => [s.name, s.opaqueCalls])).toEqual([
      ["scenario_helper", ["call flush_tlb_all()", "call kmemleak_free()"]],
      ["scenario_plain", undefined],
    ]);
  }, 120_000);
  it("an opaque loop macro runs no pass and is listed as 'opaque loop m()' (decision 0610)", async () => {
    const f = write(
      "loop.c",
      `void scenario_loop(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);
	int cpu;

	if (!page)
		return;
	for_each_possible_cpu(cpu) {
		helper(cpu);
	}
	__free_pages(page, 0);
}
`,
    );
    const text = await runMemdesc("check", f, "--run", "--stage", "today");
    expect(text.stdout).toContain(
      "  scenario scenario_loop: ok\n    opaque loop for_each_possible_cpu()\n\n",
    );
    expect(text.stdout).not.toContain("helper");
  }, 120_000);
});

describe("a TypeScript scenario importing C", () => {
  const dir = join(scratch, "import");
  mkdirSync(dir);
  writeFileSync(
    join(dir, "free.c"),
    `#include <linux/gfp.h>

void free_table_pages(struct page *page, unsigned int order)
{
	flush_tlb_all();
	__free_pages(page, order);
}
`,
  );
  const scenario = (call: string) =>
    `import { alloc_pages, GFP_KERNEL } from "memdesc/sim";
import { free_table_pages } from "./free.c";

export function scenario_free_through_c() {
  const page = alloc_pages(GFP_KERNEL, 2);
  if (!page) return;
  ${call};
}
`;
  it("runs the C function on the simulated machine: the wrong-order free in the C is found", async () => {
    const f = join(dir, "scenario.ts");
    writeFileSync(f, scenario("free_table_pages(page, 0)"));
    const before = readdirSync(dir).sort();
    const r = await runMemdesc("check", f, "--run", "--json", "--stage", "today");
    const json = JSON.parse(r.stdout) as {
      files: {
        file: string;
        diagnostics: unknown[];
        scenarios: { name: string; violations: { rule: string }[]; opaqueCalls?: string[] }[];
      }[];
    };
    // Only the named file is reported; the C it imports is compiled and run, not reported.
    expect(json.files.map((x) => x.file.split("/").at(-1))).toEqual(["scenario.ts"]);
    expect(json.files[0]!.diagnostics).toEqual([]);
    const s = json.files[0]!.scenarios[0]!;
    expect([s.name, s.violations.map((v) => v.rule), s.opaqueCalls]).toEqual([
      "scenario_free_through_c",
      ["MD002"],
      ["call flush_tlb_all()"],
    ]);
    expect(readdirSync(dir).sort()).toEqual(before);
  }, 120_000);
  it("the compile sees the C function's types: a number is not a struct page *", async () => {
    const f = join(dir, "wrong.ts");
    writeFileSync(f, scenario("free_table_pages(42, 0)"));
    const r = await runMemdesc("check", f, "--json", "--stage", "today");
    const d = (
      JSON.parse(r.stdout) as {
        files: { diagnostics: { line: number; code: number; rule: string | null }[] }[];
      }
    ).files[0]!.diagnostics;
    expect(d.map((x) => `${x.line} TS${x.code} ${x.rule}`)).toEqual(["7 TS2345 null"]);
  }, 120_000);
});
