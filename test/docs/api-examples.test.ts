/**
 * Every C → TS example of docs/api.md (a ```ts block right after a ```c block), checked the way a
 * user's file is: written to a folder outside the repository with no node_modules and compiled by
 * `memdesc check`'s own compiler (compileAgainstStages) at stage today. No rule finding and no
 * TypeScript error is allowed. The names a refactor uses most must each appear in one.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { compileAgainstStages } from "../../src/check/compile.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const doc = readFileSync(join(root, "docs", "api.md"), "utf8");

/** [entry heading, C block, TS block] for each example pair. */
function examples(): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const sec of doc.split(/^### /m).slice(1)) {
    const name = sec.slice(0, sec.indexOf("\n")).trim();
    for (const m of sec.matchAll(/```c\n([\s\S]*?)\n```\n```ts\n([\s\S]*?)\n```/g))
      out.push([name, m[1] ?? "", m[2] ?? ""]);
  }
  return out;
}

/** The names issue 9 lists for a refactor; each must be called in some example's TypeScript. */
const MOST_USED = [
  "kmalloc",
  "kfree",
  "kmem_cache_alloc",
  "kmem_cache_free",
  "alloc_pages_exact",
  "free_pages_exact",
  "pgd_alloc",
  "pgd_free",
  "pmd_populate_kernel",
  "__pte_alloc",
  "tlb_gather_mmu",
  "tlb_remove_ptdesc",
  "tlb_finish_mmu",
  "pte_free_tlb",
  "pagetable_alloc",
  "pagetable_free",
  "virt_to_page",
  "page_address",
  "PAGE_ALIGN",
  "ALIGN",
  "set_page_private",
  "page_private",
  "vmemmap_alloc_block",
  "vmemmap_free",
];

describe("the C → TS examples of docs/api.md", () => {
  const all = examples();
  const dir = mkdtempSync(join(tmpdir(), "memdesc-api-examples-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("cover the names a refactor uses most", () => {
    expect(all.length).toBeGreaterThanOrEqual(18);
    const missing = MOST_USED.filter((n) => !all.some(([, , ts]) => new RegExp(`\\b${n}\\(`).test(ts)));
    expect(missing).toEqual([]);
  });
  it("show `gfp & ~__GFP_ZERO` as the kernel writes it, in C and in TypeScript", () => {
    expect(all.some(([, c, ts]) => c.includes("gfp & ~__GFP_ZERO") && ts.includes("gfp & ~__GFP_ZERO"))).toBe(
      true,
    );
  });
  it("compile at stage today with no finding and no TypeScript error, from a folder with no node_modules", () => {
    const files = all.map(([name, , ts], i) => {
      const file = join(dir, `example-${i}-${name.replace(/\W/g, "_")}.ts`);
      writeFileSync(file, `${ts}\n`);
      return file;
    });
    const diags = compileAgainstStages({ files, stages: ["today"] }).get("today") ?? [];
    expect(
      diags.map((d) => `${d.file.slice(dir.length + 1)}:${d.line} ${d.rule ?? `TS${d.code}`} ${d.message}`),
    ).toEqual([]);
  }, 240_000);
});
