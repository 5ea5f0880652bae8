/**
 * The separately allocated struct folio keeps today's large-folio members (decision 0303): code
 * such as mm/huge_memory.c's deferred split, which writes folio->_deferred_list and reads
 * folio->_entire_mapcount, compiles at every stage; a member that only overlaid struct page
 * (folio->_head_1, page[1].compound_info today) is MD007 once the folio is separate.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runMemdesc } from "../helpers/cli.js";

const scratch = mkdtempSync(join(tmpdir(), "memdesc-c-folio-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SOURCE = `#include <linux/mm.h>

void defer_split(struct folio *folio, struct list_head *queue)
{
	if (atomic_read(&folio->_entire_mapcount) > 0)
		return;
	list_add_tail(&folio->_deferred_list, queue);
}

unsigned long first_tail_head(struct folio *folio)
{
	return folio->_head_1;
}
`;

interface Json {
  files: { diagnostics: { rule: string | null; stage: string; line: number; message: string }[] }[];
}

async function diagnostics(stage: string) {
  const f = join(scratch, "deferred.c");
  writeFileSync(f, SOURCE);
  const r = await runMemdesc("check", f, "--json", "--stage", stage);
  return (JSON.parse(r.stdout) as Json).files[0]!.diagnostics.map((d) => [
    d.rule,
    d.stage,
    d.line,
    d.message,
  ]);
}

describe("struct folio members after the folio is separate", () => {
  it("today: every member is there", async () => {
    expect(await diagnostics("today")).toEqual([]);
  });

  it("final: _entire_mapcount and _deferred_list compile; _head_1 (line 12) is MD007", async () => {
    const d = await diagnostics("final");
    expect(d).toHaveLength(1);
    expect(d[0]!.slice(0, 3)).toEqual(["MD007", "final", 12]);
    expect(d[0]![3]).toContain("struct folio has no member '_head_1' at stage final");
  });

  it("interim32 and interim16 agree with final", async () => {
    for (const s of ["interim32", "interim16"]) {
      const d = await diagnostics(s);
      expect(d.map((x) => x.slice(0, 3))).toEqual([["MD007", s, 12]]);
    }
  });
});
