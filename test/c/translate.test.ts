/**
 * The C front end, construct by construct. Expected translations are written by hand from the
 * C (and the kernel macro each table line names); the check tests compile the translation and
 * pin the rule, the C line and the C column.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeConfig } from "../../src/c/config.js";
import { cFrontEnd } from "../../src/c/frontend.js";
import { evalCondition, preprocess } from "../../src/c/preprocess.js";
import { translateC } from "../../src/c/translate.js";
import { checkFiles } from "../../src/check/check.js";

const scratch = mkdtempSync(join(tmpdir(), "memdesc-c-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The translated statement lines (without the header, helpers and line comments). */
async function body(c: string, config = makeConfig()): Promise<string[]> {
  const t = await translateC(c, { fileName: "t.c", config });
  return t.ts
    .split("// --- memdesc C front end")[0]!
    .split("\n")
    .filter((l) => !l.startsWith("//") && !l.startsWith("import") && l.trim() !== "")
    .map((l) => l.replace(/ \/\/ t\.c:\d+$/, "").trim())
    .filter((l) => !l.startsWith("/**"))
    .slice(0, 40);
}

async function check(c: string, stages: ("today" | "final")[] = ["today"]) {
  const f = join(scratch, `f${Math.random().toString(36).slice(2)}.c`);
  writeFileSync(f, c);
  const r = await checkFiles({ paths: [f], stages, frontEnd: cFrontEnd(makeConfig()), cwd: scratch });
  return r.files[0]!.diagnostics.map((d) => `${d.line}:${d.column} ${d.rule ?? `TS${d.code}`} ${d.stage}`);
}

describe("preprocessor", () => {
  it("evaluates #if against the configuration; unknown names are 0", () => {
    const cfg = makeConfig([["CONFIG_FOO", "m"]]);
    expect(evalCondition("defined(CONFIG_X86_64) && !defined(CONFIG_ARM64)", cfg, new Map())).toBe(true);
    expect(evalCondition("IS_ENABLED(CONFIG_FOO)", cfg, new Map())).toBe(true);
    expect(evalCondition("IS_BUILTIN(CONFIG_FOO)", cfg, new Map())).toBe(false);
    expect(evalCondition("CONFIG_PGTABLE_LEVELS > 4", cfg, new Map())).toBe(false);
    expect(evalCondition("UNKNOWN_THING", cfg, new Map())).toBe(false);
  });
  it("#ifdef/#else/#elif keep one branch and every line in place", () => {
    const src = "#ifdef CONFIG_ARM64\na();\n#elif defined(CONFIG_X86)\nb();\n#else\nc();\n#endif\nd();";
    const out = preprocess(src, makeConfig()).text.split("\n");
    expect(out).toEqual(["", "", "", "b();", "", "", "", "d();"]);
    const arm = preprocess(
      src,
      makeConfig([
        ["CONFIG_ARM64", "y"],
        ["CONFIG_X86", "n"],
      ]),
    ).text.split("\n");
    expect(arm[1]).toBe("a();");
    expect(arm[3]).toBe("");
  });
  it("strips annotation macros keeping columns, and IS_ENABLED() in code", () => {
    const { text } = preprocess(
      "static void __meminit f(void) { if (IS_ENABLED(CONFIG_ARM64)) x(); }",
      makeConfig(),
    );
    const enabled = "IS_ENABLED(CONFIG_ARM64)";
    expect(text).toBe(`static void           f(void) { if (${"0".padEnd(enabled.length)}) x(); }`);
  });
});

describe("translation", () => {
  it("handles: struct page * locals keep the allocation's type; page + i, &page[i], page++ are nth_page()", async () => {
    const b = await body(`void f(void) {
	struct page *page = alloc_pages(GFP_KERNEL, 2);
	struct page *p = page + 1;
	struct page *q = &page[2];
	p++;
}`);
    expect(b).toEqual([
      "export function f(): void {",
      'const page = alloc_pages("GFP_KERNEL", 2);',
      "let p; p = nth_page(page, 1);",
      "const q = nth_page(page, 2);",
      "(p = nth_page(p, 1));",
      "}",
    ]);
  });
  it("literal arithmetic the types can see: 1 << order, PAGE_SIZE, PMD_SIZE, get_order()", async () => {
    const b = await body(`#define ORDER 3
void f(void) { g(1 << ORDER, PAGE_SIZE * 2, get_order(PMD_SIZE), get_order(PAGE_SIZE << 2)); }`);
    expect(b[1]).toBe('__opaque("call g()", 8, 8192, 9, 2);');
  });
  it("GFP expressions become the API's C-syntax masks", async () => {
    const b = await body(`void f(gfp_t gfp) {
	struct page *a = alloc_pages(GFP_KERNEL | __GFP_COMP, 1);
	struct page *b = alloc_pages(gfp | __GFP_ZERO, 0);
	struct page *c = alloc_pages(gfp & ~__GFP_ZERO, 0);
}`);
    expect(b.slice(1, 4)).toEqual([
      'const a = alloc_pages("GFP_KERNEL | __GFP_COMP", 1);',
      "const b = alloc_pages(`${gfp} | __GFP_ZERO`, 0);",
      "const c = alloc_pages(`${gfp} & ~__GFP_ZERO`, 0);",
    ]);
  });
  it("goto error paths: labels falling through into each other become nested labelled blocks", async () => {
    const b = await body(`int f(void) {
	struct page *a, *b;
	a = alloc_page(GFP_KERNEL);
	if (!a)
		goto out;
	b = alloc_page(GFP_KERNEL);
	if (!b)
		goto out_free_a;
	return 0;
out_free_a:
	__free_page(a);
out:
	return -ENOMEM;
}`);
    expect(b).toEqual([
      "export function f(): number {",
      // Before the first goto nothing can jump: it stays outside the labelled blocks.
      "let a;",
      "let b;",
      'a = alloc_page("GFP_KERNEL");',
      "out: {",
      "out_free_a: {",
      "if (!a) {",
      "break out; // goto out",
      "}",
      'b = alloc_page("GFP_KERNEL");',
      "if (!b) {",
      "break out_free_a; // goto out_free_a",
      "}",
      "return 0;",
      "}",
      "__free_page(a);",
      "}",
      "return (-12);",
      "}",
    ]);
  });
  it("a backward goto (retry) becomes a loop continued by the goto", async () => {
    const b = await body(`void f(void) {
again:
	if (g())
		goto again;
}`);
    expect(b).toEqual([
      "export function f(): void {",
      "again_again: for (;;) {",
      'if (__opaque("call g()")) {',
      "continue again_again; // goto again",
      "}",
      "break;",
      "}",
      "}",
    ]);
  });
  it("list_for_each_entry / _safe (table macros) walk the list as the pos's struct", async () => {
    const b = await body(`void f(struct list_head *head) {
	struct ptdesc *pt, *n;
	list_for_each_entry(pt, head, pt_list)
		pagetable_dtor_free(pt);
	list_for_each_entry_safe(pt, n, head, pt_list) {
		list_del(&pt->pt_list);
	}
}`);
    expect(b.slice(3, 9)).toEqual([
      'for (let pt of list_for_each_entry_safe(head, "ptdesc", "pt_list")) {',
      "pagetable_dtor_free(pt);",
      "}",
      'for (let pt of list_for_each_entry_safe(head, "ptdesc", "pt_list")) {',
      "list_del(pt.pt_list);",
      "}",
    ]);
  });
  it("other loop macros (for_each_possible_cpu, llist_for_each_entry): an opaque loop, the body translated", async () => {
    // mm/vmalloc.c purge_fragmented_blocks_allcpus(): without a brace tree-sitter read the loop as
    // a declaration and it vanished; with one, as a function definition (one opaque statement).
    const b = await body(`void f(struct llist_head *head) {
	struct page *page;
	int cpu;
	for_each_possible_cpu(cpu)
		purge(cpu);
	llist_for_each_entry(page, head, lru) {
		__free_page(page);
	}
}`);
    expect(b.slice(3, 11)).toEqual([
      'for (const _ of __opaque("loop for_each_possible_cpu()", cpu)) {',
      '__opaque("call purge()", cpu);',
      "}",
      'for (const _ of __then(__opaque("loop llist_for_each_entry()", page, head, __value("lru")), (page = __forget(page)), (head = __forget(head)))) {',
      "page = __forget(page); head = __forget(head);",
      "__free_page(page);",
      "}",
      "}",
    ]);
  });
  it("a table iterator over a struct that is not a handle is an opaque loop, not the API's walk", async () => {
    // mm/vmalloc.c reclaim_list_global(): struct vmap_area's `list` was passed to the API's
    // list_for_each_entry_safe(head, struct, member) and read as MD007 "struct folio has no member 'string'".
    const src = `void reclaim(struct list_head *head)
{
	struct vmap_area *va, *n;

	list_for_each_entry_safe(va, n, head, list)
		merge(va);
}
`;
    expect((await body(src))[3]).toBe(
      'for (const _ of __then(__opaque("loop list_for_each_entry_safe()", va, n, head, __value("list")), (va = __forget(va)), (n = __forget(n)))) {',
    );
    expect(await check(src, ["today", "final"])).toEqual([]);
  });
  it("a statement read as a declaration (MACRO(x) stmt;) is opaque, not dropped; a local prototype is", async () => {
    const b = await body(`void f(struct page *page) {
	DEFINE_FOO(x) free_it(page);
	extern int g(int);
}`);
    expect(b.slice(1)).toEqual([
      '__opaque("untranslated: DEFINE_FOO(x) free_it(page);", page); page = __forget(page);',
      "}",
    ]);
  });
  it("switch: a case's value is its label only, not also a statement", async () => {
    // mm/khugepaged.c madvise_collapse_errno(): `case SCAN_PAGE_LRU:` also emitted the enumerator as a statement.
    const b = await body(`enum scan_result { SCAN_FAIL, SCAN_PAGE_LRU = 5 };
int f(int r) {
	switch (r) {
	case SCAN_PAGE_LRU:
		return -EAGAIN;
	default:
		return -EINVAL;
	}
}`);
    expect(b.slice(1)).toEqual([
      "switch (r) {",
      "case 5:",
      "return (-11);",
      "default:",
      "return (-22);",
      "}",
      "}",
    ]);
  });
  it("kernel members of mm_struct and list_head are opaque values; stores to them opaque stores", async () => {
    // arch/powerpc/mm/pgtable-frag.c, arch/s390/mm/pgalloc.c: mm->page_table_lock, mm->context,
    // mm->pgd; mm/vmalloc.c: head->prev. memdesc/sim's mm_struct and list_head have none of them.
    const src = `void f(struct mm_struct *mm, struct page *page, struct list_head *head)
{
	spin_lock(&mm->page_table_lock);
	mm->nr_ptes++;
	mm->pgd = NULL;
	if (page->lru.next == head)
		return;
}
`;
    expect((await body(src)).slice(1, 6)).toEqual([
      '__opaque("call spin_lock()", __value("mm->page_table_lock", mm));',
      '__opaque("store mm->nr_ptes++", __value("mm->nr_ptes", mm));',
      '__opaque("store mm->pgd = …", __value("mm->pgd", mm), null);',
      'if (__value("page->lru.next", page.lru) == head) {',
      "return;",
    ]);
    // The object is still evaluated: page->lru is gone at final (MD007), line 6, column 12.
    expect(await check(src, ["today", "final"])).toEqual(["6:12 MD007 final"]);
  });
  it("a GFP mask where C computes with it, or a file function takes a gfp_t, is its value", async () => {
    // kernel/dma/pool.c dma_atomic_pool_size_add(), atomic_pool_work_fn().
    const src = `static void size_add(gfp_t gfp, size_t size)
{
	if (gfp & __GFP_DMA)
		size++;
}
static void resize(gfp_t gfp)
{
	struct page *page = alloc_pages(gfp | __GFP_ZERO, 0);
	if (page)
		__free_pages(page, 0);
}
static void work_fn(void)
{
	resize(GFP_KERNEL | GFP_DMA);
}
`;
    const b = await body(src);
    expect(b[1]).toBe('if (gfp & gfpEval("__GFP_DMA")) {');
    // b[6], the mask given to alloc_pages(), stays text: pinned by "GFP expressions become …" above.
    expect(b[12]).toBe('resize(gfpEval("GFP_KERNEL | GFP_DMA"));');
    expect(await check(src, ["today", "final"])).toEqual([]);
  });
  it("bool and the integer types convert on return, initialisation and assignment, as in C", async () => {
    // arch/riscv/mm/pgtable.c ptep_set_access_flags() returns true from an int function;
    // arch/riscv/mm/init.c: bool pgtable_l4_enabled = !IS_ENABLED(CONFIG_XIP_KERNEL) (folded to 1).
    const src = `bool l4_enabled = !IS_ENABLED(CONFIG_XIP_KERNEL);
int f(struct page *page)
{
	bool ok = 0;
	int n = page != NULL;

	ok = 1;
	if (n)
		return true;
	return 0;
}
static bool g(int x)
{
	return x & 4;
}
`;
    expect(await body(src)).toEqual([
      "let l4_enabled: boolean = true;",
      "export function f(page: Page): number {",
      "let ok; ok = false;",
      "const n = Number(page != null);",
      "ok = true;",
      "if (n) {",
      "return Number(true);",
      "}",
      "return 0;",
      "}",
      "export function g(x: number): boolean {",
      "return Boolean(x & 4);",
      "}",
    ]);
    expect(await check(src, ["today", "final"])).toEqual([]);
  });
  it("virt_to_ptdesc() of an opaque address is a ptdesc with no facts: freeing it compiles, freeing it twice is MD014", async () => {
    // arch/s390/mm/pgalloc.c crst_table_free(): `unsigned long *table` is opaque; the ptdesc's
    // facts were `unknown` (not the API's UnknownMeta) and pagetable_free() rejected it.
    const src = `void crst_table_free(struct mm_struct *mm, unsigned long *table)
{
	if (!table)
		return;
	pagetable_free(virt_to_ptdesc(table));
}
void free_twice(unsigned long *table)
{
	struct ptdesc *pt = virt_to_ptdesc(table);

	pagetable_free(pt);
	pagetable_free(pt);
}
`;
    expect(await check(src, ["today", "final"])).toEqual(["12:17 MD014 today", "12:17 MD014 final"]);
  });
  it("an integer local without an initialiser starts at 0 (read after an out-parameter call)", async () => {
    // mm/zsmalloc.c zs_map_object(): `unsigned int obj_idx; obj_to_location(obj, &zpdesc, &obj_idx);`
    // then `class->size * obj_idx` — TypeScript read `let obj_idx;` as possibly undefined.
    const src = `unsigned long f(unsigned long obj)
{
	struct page *page;
	unsigned int obj_idx;

	obj_to_location(obj, &page, &obj_idx);
	return 16 * obj_idx;
}
`;
    expect((await body(src)).slice(1, 3)).toEqual(["let page;", "let obj_idx = 0;"]);
    expect(await check(src, ["today", "final"])).toEqual([]);
  });
  it("a long local without an initialiser is left to TypeScript; an int given a memdesc/sim value converts it", async () => {
    // mm/memory.c do_swap_page(): `unsigned long addr; addr = ALIGN_DOWN(…)` may be a bigint or
    // an address; mm/khugepaged.c __khugepaged_enter(): `int wakeup; wakeup = list_empty(…)`.
    const src = `void f(struct list_head *head)
{
	unsigned long addr;
	int wakeup;

	addr = 0xffffffff80000000UL;
	wakeup = list_empty(head);
}
`;
    expect((await body(src)).slice(1, 5)).toEqual([
      "let addr;",
      "let wakeup = 0;",
      "addr = 0xffffffff80000000n;",
      "wakeup = Number(list_empty(head));",
    ]);
    expect(await check(src, ["today", "final"])).toEqual([]);
  });
  it("list_first_entry(head, struct X, member): the API's for a handle struct, opaque for another", async () => {
    // mm/vmalloc.c node_pool_del_va(), mm/hugetlb_vmemmap.c: the type argument made four arguments.
    const src = `void f(struct vmap_pool *vp, struct list_head *pages)
{
	struct vmap_area *va;
	struct page *page;

	va = list_first_entry(&vp->head, struct vmap_area, list);
	page = list_first_entry(pages, struct page, lru);
	list_del(&page->lru);
	__free_page(page);
}
`;
    expect((await body(src)).slice(3, 5)).toEqual([
      'va = __opaque("call list_first_entry(…, struct vmap_area, …)", vp.head);',
      'page = list_first_entry(pages, "page", "lru");',
    ]);
    // page->lru is gone at final: the walk's member (7:26) and the list_del (8:18).
    expect(await check(src, ["today", "final"])).toEqual(["7:26 MD007 final", "8:18 MD007 final"]);
  });
  it("identity macros (likely, unlikely, READ_ONCE), container_of of the same struct, LIST_HEAD", async () => {
    const b = await body(`static LIST_HEAD(tables);
void f(struct ptdesc *pt) {
	struct ptdesc *same = container_of(&pt->pt_list, struct ptdesc, pt_list);
	if (unlikely(!READ_ONCE(same)))
		return;
	list_add(&same->pt_list, &tables);
}`);
    expect(b).toEqual([
      "const tables = LIST_HEAD();",
      "export function f(pt: Ptdesc): void {",
      "const same = pt;",
      "if ((!(same))) {",
      "return;",
      "}",
      "list_add(same.pt_list, tables);",
      "}",
    ]);
  });
  it("64-bit constants beyond 2^53 stay exact as bigints; MEMDESC_TYPE_* enumerators fold", async () => {
    const b = await body(`void f(void) {
	memdesc_t w = memdesc_word(MEMDESC_TYPE_PAGETABLE, 0xffff888100000040UL);
	unsigned long n = 0x1fffffffffffffUL;
}`);
    // 0xffff888100000040 is 18446612136202436672: as a JavaScript number it would read …000000.
    expect(b.slice(1, 3)).toEqual([
      "const w = memdesc_word(7, 0xffff888100000040n);",
      "const n = 0x1fffffffffffff;",
    ]);
  });
  it("compound literals: designated members become an object, positional ones an array", async () => {
    const b = await body(`void f(void) {
	define_page_type_owner_fields("zsmalloc", (struct z){ .first_obj_offset = { 0, 16 }, .class_idx = { 8, 16 } });
	g((struct y){ .a = 1, 2 });
}`);
    expect(b[1]).toBe(
      'define_page_type_owner_fields("zsmalloc", { first_obj_offset: [0, 16], class_idx: [8, 16] });',
    );
    // A mix of designated and positional members is not guessed at.
    expect(b[2]).toBe('__opaque("call g()", __value("{ .a = 1, 2 }"));');
  });
  it("an unknown function is opaque and drops the facts about the handles passed to it", async () => {
    const b = await body(`void f(void) {
	struct page *page = alloc_pages(GFP_KERNEL, 2);
	helper(page);
	__free_pages(page, 0);
}`);
    expect(b.slice(1, 4)).toEqual([
      'let page; page = alloc_pages("GFP_KERNEL", 2);',
      '__opaque("call helper()", page); page = __forget(page);',
      "__free_pages(page, 0);",
    ]);
  });
});

describe("memdesc check on C", () => {
  it("reports at the C line and column; nothing after an opaque call (sound or silent)", async () => {
    const src = `void f(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);
	struct page *other = alloc_pages(GFP_KERNEL, 2);

	if (!page || !other)
		return;
	__free_pages(page, 0);
	helper(other);
	__free_pages(other, 0);
}
`;
    expect(await check(src)).toEqual(["8:21 MD002 today"]);
  });
  // `page` is initialised by its allocation before the first goto, so the translation keeps the
  // initializer outside the labelled blocks and the checker knows `page` is the block's only
  // handle (docs/decisions/0020, 0601): the MD002 at a smaller order is certain on that path.
  it("a wrong-order free on a goto error path is found on that path", async () => {
    const src = `int f(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 1);
	int err = -ENOMEM;

	if (!page)
		goto out;
	if (g())
		goto out_free;
	return 0;
out_free:
	__free_pages(page, 0);
out:
	return err;
}
`;
    expect(await check(src)).toEqual(["12:21 MD002 today"]);
  });
  it("the same error path freeing at the right order is clean; a page declared after the first goto stays silent", async () => {
    const right = `int f(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 1);

	if (!page)
		goto out;
	if (g())
		goto out_free;
	return 0;
out_free:
	__free_pages(page, 1);
out:
	return -ENOMEM;
}
`;
    expect(await check(right, ["today", "final"])).toEqual([]);
    // Declared after a goto, \`other\` is hoisted and assigned: the checker cannot know it is the
    // block's only handle, so the smaller-order free is left to --run (sound or silent).
    const hoisted = `int f(void)
{
	if (g())
		goto out;
	struct page *other = alloc_pages(GFP_KERNEL, 1);

	if (!other)
		goto out;
	__free_pages(other, 0);
out:
	return 0;
}
`;
    expect(await check(hoisted)).toEqual([]);
    expect((await body(hoisted)).slice(0, 3)).toEqual([
      "export function f(): number {",
      "let other;",
      "out: {",
    ]);
  });
  it("#ifdef branches: only the configured branch is checked", async () => {
    const src = `void f(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);

	if (!page)
		return;
#ifdef CONFIG_ARM64
	__free_pages(page, 0);
#else
	__free_pages(page, 2);
#endif
}
`;
    expect(await check(src)).toEqual([]);
  });
  it("any kernel-looking C yields no ordinary TypeScript error (what does not type-check becomes opaque)", async () => {
    const src = `static int __init g(struct page *page, pte_t *pte)
{
	struct folio *folio = page_folio(page);
	unsigned long x = (unsigned long)page + *pte;
	int i = page;
	folio->lru.next = NULL;
	return page_address(folio) + x;
}
`;
    expect((await check(src, ["today", "final"])).filter((d) => d.includes(" TS"))).toEqual([]);
  });
});
