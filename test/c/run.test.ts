/**
 * `memdesc check --run` on C: opaque calls are reported in the scenario's output (each once, in
 * the order reached, and only those the run reached), in text and in --json.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
});
