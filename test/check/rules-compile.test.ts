/**
 * One compile-fail and one must-pass case per rule that has a compile-time
 * form: the examples in examples/rules/MDxxx-slug/ (bad.ts, good.ts), compiled at
 * every stage. The expected (line, rule, TypeScript code, stages) are written
 * here by hand from the example files — not read from their expect comments,
 * which `memdesc check --expect` uses — so this test pins them independently.
 */
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { compileAgainstStages } from "../../src/check/compile.js";
import { RULE_IDS, RULES, type RuleId } from "../../src/model/rules.js";
import { STAGES, type Stage } from "../../src/model/stage.js";

const dir = resolve(__dirname, "../../examples/rules");
const ALL = STAGES;
const LATER: readonly Stage[] = ["interim32", "interim16", "final"];

interface Want {
  readonly line: number;
  readonly rule: RuleId;
  readonly code: number;
  readonly stages: readonly Stage[];
  /** The full rendered sentence, `MD### op: …`. */
  readonly sentence: string;
}
function w(line: number, rule: RuleId, code: number, stages: readonly Stage[], text: string): Want {
  return { line, rule, code, stages, sentence: `${rule} ${text}` };
}
const MD008_ORDER2 =
  "the block was allocated at order 2 without __GFP_COMP; a non-compound block cannot become a folio or a ptdesc";

// (line, rule, TS code, stages, sentence), read off the example files by hand; each sentence is the
// rule's template (src/model/findings.ts) filled in by hand with what the example does.
const BAD: Readonly<Partial<Record<RuleId, readonly Want[]>>> = {
  MD001: [w(7, "MD001", 2345, ALL, "memdesc_word: memdesc type 12 is not assigned in table 'wiki-source'")],
  MD002: [w(8, "MD002", 2345, ALL, "__free_pages: block allocated at order 2, freed at order 0")],
  MD003: [
    w(
      16,
      "MD003",
      2345,
      ALL,
      "__SetPageOffline: the page already has page type 'table'; a page has one type at a time",
    ),
    // The kernel went on (no CONFIG_DEBUG_VM): the page is now offline, so clearing "table" is MD004.
    w(18, "MD004", 2345, ALL, "__ClearPageTable: the page has page type 'offline', not 'table'"),
  ],
  MD004: [w(9, "MD004", 2345, ALL, "__ClearPageSlab: the page has page type 'table', not 'slab'")],
  MD005: [
    w(
      8,
      "MD005",
      2345,
      ALL,
      "define_page_type_owner_fields: page_type owner field 'first_obj_offset' (bits 0–15) overlaps field 'class_idx' (bits 8–23) at bits 8–15",
    ),
    w(
      11,
      "MD005",
      2345,
      ALL,
      "define_page_type_owner_fields: page_type owner field 'subpool_idx' (bits 0–19) overlaps the bits above the low 16 at bits 16–19",
    ),
  ],
  MD006: [
    w(
      8,
      "MD006",
      2345,
      ALL,
      "page_ptdesc: this memory is plain pages (alloc_pages), not a page table (pagetable_alloc)",
    ),
  ],
  MD007: [
    ...LATER.map((s) => w(9, "MD007", 2339, [s], `page->lru: struct page has no member 'lru' at stage ${s}`)),
    ...LATER.map((s) =>
      w(10, "MD007", 2339, [s], `page->mapping: struct page has no member 'mapping' at stage ${s}`),
    ),
    ...LATER.map((s) =>
      w(11, "MD007", 2339, [s], `page->lru: struct page has no member 'lru' at stage ${s}`),
    ),
  ],
  MD008: [w(9, "MD008", 2345, ALL, `page_folio: ${MD008_ORDER2}`)],
  MD009: [
    w(18, "MD008", 2345, ALL, `page_folio: ${MD008_ORDER2}`),
    w(
      18,
      "MD009",
      2345,
      ALL,
      "folio_put: frees compound_order() = 0 pages of an order-2 block allocated without __GFP_COMP; the other pages leak",
    ),
  ],
  MD010: [
    w(
      8,
      "MD010",
      2345,
      ALL,
      "split_page: the block is compound (__GFP_COMP or a folio); split_page() only splits a non-compound block it holds",
    ),
  ],
  MD011: [
    w(
      16,
      "MD011",
      2345,
      ALL,
      "ptlock_ptr: this page table is not yet constructed; the call needs one that is constructed",
    ),
    w(
      25,
      "MD011",
      2345,
      ALL,
      "pagetable_pte_ctor: this page table is constructed; the call needs one that is not yet constructed",
    ),
  ],
  MD012: [
    w(
      10,
      "MD012",
      2345,
      ALL,
      "pagetable_free: this page table is still constructed; use pagetable_dtor_free(), or pagetable_dtor() first",
    ),
  ],
  MD013: [
    w(
      22,
      "MD013",
      2345,
      ALL,
      "__pagetable_free: a kernel page table is freed through a path that skips the PT_kernel check, so it can be reused before the IOMMU is invalidated; free it with pagetable_free()/pagetable_dtor_free()",
    ),
  ],
  MD014: [w(9, "MD014", 2345, ALL, "__free_page: double free — the block was already freed")],
  MD015: [w(9, "MD015", 2345, ALL, "page_address: use after free — the page was already freed")],
};

function folderOf(id: RuleId): string {
  const name = readdirSync(dir).find((d) => d.startsWith(`${id}-`));
  if (!name) throw new Error(`no example folder for ${id}`);
  return join(dir, name);
}

function compile(file: string) {
  const byStage = compileAgainstStages({ files: [file], stages: STAGES });
  return STAGES.flatMap((stage) => byStage.get(stage) ?? []);
}

describe("every rule has an example folder named after it", () => {
  for (const id of RULE_IDS) {
    it(`${id} ${RULES[id].slug}`, () => {
      // The C twins (bad.c, good.c: src/c, test/c/examples.test.ts) sit beside them.
      expect(
        readdirSync(folderOf(id))
          .filter((f) => f.endsWith(".ts"))
          .sort(),
      ).toEqual(["bad.ts", "good.ts"]);
    });
  }
});

describe("compile-time forms: must-fail cases pin code, line and rule ID", () => {
  for (const [id, wants] of Object.entries(BAD) as [RuleId, readonly Want[]][]) {
    it(`${id}: bad.ts fails exactly where and how expected, at every stage it should`, () => {
      const diags = compile(join(folderOf(id), "bad.ts"));
      const got = diags.map((d) => `${d.line} ${d.rule} TS${d.code} ${d.stage} ${d.message}`).sort();
      const want = wants
        .flatMap((w) => w.stages.map((s) => `${w.line} ${w.rule} TS${w.code} ${s} ${w.sentence}`))
        .sort();
      expect(got).toEqual(want);
      // The compiler's own message (what a user's plain tsc prints) carries the same sentence;
      // MD007 is the compiler's TS2339, which names the member and the stage's struct type instead.
      for (const d of diags) {
        if (d.rule === "MD007")
          expect(d.tsMessage).toMatch(
            /Property '(lru|mapping)' does not exist on type 'struct_page_(interim32|interim16|final)</,
          );
        else expect(d.tsMessage).toContain(d.message);
      }
    });
    it(`${id}: the rule's catalogue entry names the code the compiler gives`, () => {
      const codes = new Set(wants.filter((w) => w.rule === id).map((w) => w.code));
      expect([...codes]).toEqual([RULES[id].compileTime?.tsCode]);
    });
  }
});

describe("must-pass cases: good.ts compiles clean at every stage", () => {
  for (const id of RULE_IDS) {
    it(`${id} good.ts`, () => {
      expect(compile(join(folderOf(id), "good.ts")).map((d) => `${d.line}: ${d.message}`)).toEqual([]);
    });
  }
});

describe("rules without a compile-time form say so in the catalogue", () => {
  it("MD016, MD017 and MD018 are run-time only; every other rule has a compile-time form with an example", () => {
    const runtimeOnly = RULE_IDS.filter((id) => RULES[id].compileTime === null);
    expect(runtimeOnly).toEqual(["MD016", "MD017", "MD018"]);
    for (const id of RULE_IDS) if (!runtimeOnly.includes(id)) expect(BAD[id], id).toBeDefined();
  });
});

describe("the compiler names a handle's facts (decision 0322)", () => {
  it('MD008: an order-2 block without __GFP_COMP reads Kind<"plain"> & Order<2> & NotCompound', () => {
    const d = compile(join(folderOf("MD008"), "bad.ts")).find((x) => x.stage === "today");
    expect(d?.tsMessage).toContain("'struct_page_today<Kind<\"plain\"> & Order<2> & NotCompound>'");
    expect(d?.tsMessage).not.toMatch(/Meta<|WithFact<|kmark|kclear/);
  });
  it("MD013: a kernel table's later facts read PT_kernel, Constructed, Destructed", () => {
    const d = compile(join(folderOf("MD013"), "bad.ts")).find((x) => x.stage === "today");
    expect(d?.tsMessage).toContain(
      'struct_ptdesc_today<Kind<"ptdesc"> & Order<0> & NotCompound & KernelPageTable> & PT_kernel & Constructed',
    );
  });
});
