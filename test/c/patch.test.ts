/**
 * Patch mode: a git format-patch diff applied to private copies; the wrong-order free it
 * introduces is reported as introduced, the patch that undoes it as fixed, and the user's tree
 * is never written.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeConfig } from "../../src/c/config.js";
import { applyHunks, checkPatch, parsePatch } from "../../src/c/patch.js";
import { runScenarios } from "../../src/check/run.js";

const scratch = mkdtempSync(join(tmpdir(), "memdesc-patch-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const file = (order: number) => `#include <linux/gfp.h>

static int demo_alloc(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);

	if (!page)
		return -ENOMEM;
	__free_pages(page, ${order});
	return 0;
}

static void demo_other(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 1);

	if (page)
		__free_pages(page, 0);
}
`;

const patch = (
  from: number,
  to: number,
) => `From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001
From: A Developer <dev@example.org>
Subject: [PATCH] mm/demo: change the free order

---
 mm/demo.c | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/mm/demo.c b/mm/demo.c
index 1234567..89abcde 100644
--- a/mm/demo.c
+++ b/mm/demo.c
@@ -6,7 +6,7 @@ static int demo_alloc(void)
 
 	if (!page)
 		return -ENOMEM;
-	__free_pages(page, ${from});
+	__free_pages(page, ${to});
 	return 0;
 }
 
-- 
2.43.0
`;

function tree(order: number): string {
  const dir = mkdtempSync(join(scratch, "tree-"));
  mkdirSync(join(dir, "mm"));
  writeFileSync(join(dir, "mm", "demo.c"), file(order));
  return dir;
}

describe("memdesc check --patch --tree", () => {
  it("applies the hunk exactly (by hand: line 9 becomes order 0)", () => {
    const [p] = parsePatch(patch(2, 0), "x.patch");
    const a = applyHunks(file(2), p!, "x.patch");
    expect(a.after).toBe(file(0));
    expect([...a.newChanged]).toEqual([9]);
  });
  it("a patch introducing a wrong-order free: introduced, in the touched function only", async () => {
    const dir = tree(2);
    const pf = join(scratch, "bad.patch");
    writeFileSync(pf, patch(2, 0));
    const r = await checkPatch({ patch: pf, tree: dir, stages: ["today"], config: makeConfig() });
    expect(r.functions).toEqual([{ file: "mm/demo.c", name: "demo_alloc" }]);
    expect(r.introduced.map((f) => `${f.file}:${f.line} ${f.rule} ${f.function}`)).toEqual([
      "mm/demo.c:9 MD002 demo_alloc",
    ]);
    expect(r.fixed).toEqual([]);
    // demo_other's own MD002 (order 1 freed at 0) is not in a touched function: not reported.
    expect(r.left).toEqual([]);
    expect(readFileSync(join(dir, "mm", "demo.c"), "utf8")).toBe(file(2));
  });
  it("the patch that fixes it: fixed, nothing introduced", async () => {
    const dir = tree(0);
    const pf = join(scratch, "fix.patch");
    writeFileSync(pf, patch(0, 2));
    const r = await checkPatch({ patch: pf, tree: dir, stages: ["today"], config: makeConfig() });
    expect(r.introduced).toEqual([]);
    expect(r.fixed.map((f) => `${f.line} ${f.rule} ${f.function}`)).toEqual(["9 MD002 demo_alloc"]);
  });
  it("a patch whose context does not match is bad input", async () => {
    const dir = tree(3);
    const pf = join(scratch, "stale.patch");
    writeFileSync(pf, patch(2, 0));
    await expect(
      checkPatch({ patch: pf, tree: dir, stages: ["today"], config: makeConfig() }),
    ).rejects.toThrow(/mm\/demo\.c:9: the patch does not apply/);
  });
});

/** A helper whose order the compiler cannot see, and a scenario calling it: only --run finds the free. */
const helperFile = (order: string) => `#include <linux/gfp.h>

static void demo_free(struct page *page, unsigned int order)
{
	__free_pages(page, ${order});
}

void scenario_demo(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);

	if (page)
		demo_free(page, 2);
}
`;
const helperPatch = (
  from: string,
  to: string,
) => `From 2222222222222222222222222222222222222222 Mon Sep 17 00:00:00 2001
From: A Developer <dev@example.org>
Subject: [PATCH] mm/demo: free order-0

---
diff --git a/mm/demo.c b/mm/demo.c
--- a/mm/demo.c
+++ b/mm/demo.c
@@ -3,5 +3,5 @@
 static void demo_free(struct page *page, unsigned int order)
 {
-	__free_pages(page, ${from});
+	__free_pages(page, ${to});
 }
 
`;

describe("memdesc check --patch --tree --run", () => {
  function helperTree(order: string): string {
    const dir = mkdtempSync(join(scratch, "tree-"));
    mkdirSync(join(dir, "mm"));
    writeFileSync(join(dir, "mm", "demo.c"), helperFile(order));
    return dir;
  }
  it("a wrong-order free the compiler cannot see: introduced at run time (MD002 and the leak), by the scenario", async () => {
    const pf = join(scratch, "run-bad.patch");
    writeFileSync(pf, helperPatch("order", "0"));
    const r = await checkPatch({
      patch: pf,
      tree: helperTree("order"),
      stages: ["today"],
      config: makeConfig(),
      run: runScenarios,
    });
    expect(r.functions).toEqual([{ file: "mm/demo.c", name: "demo_free" }]);
    expect(r.introduced.map((f) => `${f.line} ${f.rule} ${f.stage} ${f.function}`)).toEqual([
      "8 MD002 run scenario_demo",
      "8 MD018 run scenario_demo",
    ]);
    expect([r.fixed, r.left]).toEqual([[], []]);
    // Without --run the same patch introduces nothing: the order is a parameter.
    const plain = await checkPatch({
      patch: pf,
      tree: helperTree("order"),
      stages: ["today"],
      config: makeConfig(),
    });
    expect(plain.introduced).toEqual([]);
  }, 120_000);
  it("the patch that fixes it: fixed at run time, nothing introduced", async () => {
    const pf = join(scratch, "run-fix.patch");
    writeFileSync(pf, helperPatch("0", "order"));
    const r = await checkPatch({
      patch: pf,
      tree: helperTree("0"),
      stages: ["today"],
      config: makeConfig(),
      run: runScenarios,
    });
    expect(r.introduced).toEqual([]);
    expect(r.fixed.map((f) => `${f.rule} ${f.stage} ${f.function}`)).toEqual([
      "MD002 run scenario_demo",
      "MD018 run scenario_demo",
    ]);
  }, 120_000);
});

/**
 * A patch of one of the repository's own C examples (examples/rules/MD002-free-order/good.c, read
 * as it is, in a private copy of its folder): the wrong order is both a compile-time and a
 * run-time finding, so --run reports both halves introduced, and the reverse patch both fixed.
 */
describe("memdesc check --patch --tree --run on examples/rules/MD002-free-order/good.c", () => {
  const path = "examples/rules/MD002-free-order/good.c";
  const good = readFileSync(join(__dirname, "../..", path), "utf8");
  // Line 10 is `\t__free_pages(page, 2);` in the scenario of line 4 (by hand, from the file).
  const bad = good.replace("\t__free_pages(page, 2);", "\t__free_pages(page, 0);");
  const examplePatch = (from: number, to: number) => `diff --git a/${path} b/${path}
--- a/${path}
+++ b/${path}
@@ -7,5 +7,5 @@ void scenario_free_at_same_order(void)
 
 	if (!page)
 		return;
-	__free_pages(page, ${from});
+	__free_pages(page, ${to});
 }
`;
  function exampleTree(text: string): string {
    const dir = mkdtempSync(join(scratch, "tree-"));
    mkdirSync(join(dir, "examples/rules/MD002-free-order"), { recursive: true });
    writeFileSync(join(dir, path), text);
    return dir;
  }
  const show = (f: { line: number; rule: string; stage: string }) => `${f.line} ${f.rule} ${f.stage}`;
  it("the file is as this test reads it", () => {
    expect(good.split("\n")[9]).toBe("\t__free_pages(page, 2);");
    expect(good.split("\n")[3]).toBe("void scenario_free_at_same_order(void)");
  });
  it("introducing __free_pages(page, 0): MD002 at compile time (today, final) and at run time, with the leak", async () => {
    const pf = join(scratch, "example-bad.patch");
    writeFileSync(pf, examplePatch(2, 0));
    const r = await checkPatch({
      patch: pf,
      tree: exampleTree(good),
      stages: ["today", "final"],
      config: makeConfig(),
      run: runScenarios,
    });
    expect(r.functions).toEqual([{ file: path, name: "scenario_free_at_same_order" }]);
    expect(r.introduced.map(show)).toEqual([
      "10 MD002 today",
      "10 MD002 final",
      "4 MD002 run",
      "4 MD018 run",
    ]);
    expect([r.fixed, r.left]).toEqual([[], []]);
  }, 120_000);
  it("the patch that fixes it: the same four fixed, nothing introduced", async () => {
    const pf = join(scratch, "example-fix.patch");
    writeFileSync(pf, examplePatch(0, 2));
    const r = await checkPatch({
      patch: pf,
      tree: exampleTree(bad),
      stages: ["today", "final"],
      config: makeConfig(),
      run: runScenarios,
    });
    expect(r.introduced).toEqual([]);
    expect(r.fixed.map(show)).toEqual(["10 MD002 today", "10 MD002 final", "4 MD002 run", "4 MD018 run"]);
    expect(r.left).toEqual([]);
  }, 120_000);
});
