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
}

// (file, line, rule, TS code, stages), read off the example files by hand.
const BAD: Readonly<Partial<Record<RuleId, readonly Want[]>>> = {
  MD001: [{ line: 7, rule: "MD001", code: 2345, stages: ALL }],
  MD002: [{ line: 8, rule: "MD002", code: 2345, stages: ALL }],
  MD003: [
    { line: 16, rule: "MD003", code: 2345, stages: ALL },
    // The kernel went on (no CONFIG_DEBUG_VM): the page is now offline, so clearing "table" is MD004.
    { line: 18, rule: "MD004", code: 2345, stages: ALL },
  ],
  MD004: [{ line: 9, rule: "MD004", code: 2345, stages: ALL }],
  MD005: [
    { line: 8, rule: "MD005", code: 2345, stages: ALL },
    { line: 11, rule: "MD005", code: 2345, stages: ALL },
  ],
  MD006: [{ line: 8, rule: "MD006", code: 2345, stages: ALL }],
  MD007: [
    { line: 9, rule: "MD007", code: 2339, stages: LATER },
    { line: 10, rule: "MD007", code: 2339, stages: LATER },
    { line: 11, rule: "MD007", code: 2339, stages: LATER },
  ],
  MD008: [{ line: 9, rule: "MD008", code: 2345, stages: ALL }],
  MD009: [
    { line: 18, rule: "MD008", code: 2345, stages: ALL },
    { line: 18, rule: "MD009", code: 2345, stages: ALL },
  ],
  MD010: [{ line: 8, rule: "MD010", code: 2345, stages: ALL }],
  MD011: [
    { line: 16, rule: "MD011", code: 2345, stages: ALL },
    { line: 25, rule: "MD011", code: 2345, stages: ALL },
  ],
  MD012: [{ line: 10, rule: "MD012", code: 2345, stages: ALL }],
  MD013: [
    { line: 21, rule: "MD013", code: 2345, stages: ALL },
    { line: 27, rule: "MD013", code: 2345, stages: ALL },
  ],
  MD014: [{ line: 9, rule: "MD014", code: 2345, stages: ALL }],
  MD015: [{ line: 9, rule: "MD015", code: 2345, stages: ALL }],
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
      const got = diags.map((d) => `${d.line} ${d.rule} TS${d.code} ${d.stage}`).sort();
      const want = wants.flatMap((w) => w.stages.map((s) => `${w.line} ${w.rule} TS${w.code} ${s}`)).sort();
      expect(got).toEqual(want);
      // The compiler's own message carries the rule's sentence (MD007 is the compiler's TS2339,
      // which names the member and the stage's struct type instead).
      for (const d of diags) {
        if (d.rule === "MD007")
          expect(d.tsMessage).toMatch(
            /Property '(lru|mapping)' does not exist on type 'struct_page_(interim32|interim16|final)</,
          );
        else expect(d.tsMessage).toContain(`${d.rule} `);
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
