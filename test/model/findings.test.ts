/**
 * One template per rule, rendered twice: renderFinding() at run time and the
 * type FindingSentence at compile time (what the compiler prints). This test
 * compiles a declaration of the type for each sample finding and compares
 * the literal type the compiler computes with renderFinding's text; for a few
 * findings it also compares both with a sentence written out by hand.
 */
import { resolve } from "node:path";
import ts from "@typescript/typescript6";
import { describe, expect, it } from "vitest";
import {
  FINDINGS,
  type Finding,
  fillFinding,
  orderMismatchSentence,
  renderFinding,
} from "../../src/model/findings.js";
import { RULE_IDS, RULES, type RuleId } from "../../src/model/rules.js";

/** Sample fields per rule: every phrase of a phrase field, kinds with and without a phrase. */
const SAMPLES: Record<RuleId, readonly Record<string, string | number>[]> = {
  MD001: [{ type: 12, table: "wiki-source" }],
  MD002: [
    { allocOrder: 2, freeOrder: 0 },
    { allocOrder: 0, freeOrder: 9 },
  ],
  MD003: [{ pageType: "table" }],
  MD004: [{ pageType: "offline", cleared: "table" }],
  MD005: [{ field: "a", bits: "0–15", other: "field 'b' (bits 8–23)", at: "8–15" }],
  MD006: [
    { expected: "ptdesc", actual: "plain" },
    { expected: "folio", actual: "slab" },
    { expected: "zpdesc", actual: "buddy" },
  ],
  MD007: [{ struct: "page", member: "lru", stage: "final" }],
  MD008: [{ order: 2 }],
  MD009: [{ order: 9 }],
  MD010: [{ block: "compound" }, { block: "tail" }, { block: "unreferenced" }],
  MD011: [
    { state: "allocated", needed: "constructed" },
    { state: "constructed", needed: "allocated" },
    { state: "destructed", needed: "constructed" },
  ],
  MD012: [{}],
  MD013: [{ path: "bypass" }, { path: "unmarked" }],
  MD014: [{}],
  MD015: [{}],
  MD016: [{ reason: "nonzero mapcount" }],
  MD017: [{}],
  MD018: [{ order: 3 }],
};

const OP = "some_kernel_function";

function typeLiteral(fields: Record<string, string | number>): string {
  const parts = Object.entries(fields).map(
    ([k, v]) => `${k}: ${typeof v === "number" ? v : JSON.stringify(v)}`,
  );
  return `{ ${parts.join("; ")} }`;
}

/** The literal types the compiler computes for FindingSentence<…> of each case, in order. */
function compiledSentences(
  cases: readonly { rule: RuleId; fields: Record<string, string | number> }[],
): string[] {
  const file = resolve(__dirname, "__findings_sentences__.ts");
  const findings = resolve(__dirname, "../../src/model/findings.ts").replace(/\.ts$/, ".js");
  const text = [
    `import type { FindingSentence } from ${JSON.stringify(findings)};`,
    ...cases.map(
      (c, i) =>
        `export declare const s${i}: FindingSentence<"${c.rule}", "${OP}", ${typeLiteral(c.fields)}>;`,
    ),
  ].join("\n");
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => (resolve(f) === file ? text : read(f));
  host.fileExists = (f) => resolve(f) === file || ts.sys.fileExists(f);
  host.getSourceFile = (f, v) =>
    resolve(f) === file ? ts.createSourceFile(f, text, v, true) : getSourceFile(f, v);
  const program = ts.createProgram([file], options, host);
  const sf = program.getSourceFile(file)!;
  const errors = ts
    .getPreEmitDiagnostics(program, sf)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, " "));
  expect(errors).toEqual([]);
  const checker = program.getTypeChecker();
  const out: string[] = [];
  sf.forEachChild((n) => {
    if (!ts.isVariableStatement(n)) return;
    const t = checker.getTypeAtLocation(n.declarationList.declarations[0]!.name);
    out.push(t.isStringLiteral() ? t.value : `not a literal: ${checker.typeToString(t)}`);
  });
  return out;
}

describe("findings: one template, rendered identically at run time and at compile time", () => {
  const cases = RULE_IDS.flatMap((rule) => SAMPLES[rule].map((fields) => ({ rule, fields })));

  it("every rule declares exactly the fields its sentence names, and RULES carries the spec", () => {
    for (const rule of RULE_IDS) {
      const named = [...FINDINGS[rule].sentence.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(named, rule).toEqual(Object.keys(FINDINGS[rule].fields).sort());
      expect(RULES[rule].finding).toBe(FINDINGS[rule]);
      for (const sample of SAMPLES[rule]) expect(Object.keys(sample).sort(), rule).toEqual(named);
    }
  });

  it("the compiler's FindingSentence equals renderFinding() for every sample of every rule", () => {
    const compiled = compiledSentences(cases);
    const rendered = cases.map((c) =>
      renderFinding({ rule: c.rule, op: OP, pfn: null, fields: c.fields } as Finding),
    );
    expect(compiled).toEqual(rendered);
  });

  it("sentences written out by hand", () => {
    const by = (rule: RuleId, fields: Record<string, string | number>, pfn: number | null = null) =>
      renderFinding({ rule, op: "__free_pages", pfn, fields } as Finding);
    expect(by("MD002", { allocOrder: 2, freeOrder: 0 })).toBe(
      "MD002 __free_pages: block allocated at order 2, freed at order 0",
    );
    expect(by("MD002", { allocOrder: 2, freeOrder: 0 }, 0x1200)).toBe(
      "MD002 __free_pages: block allocated at order 2, freed at order 0 (pfn 0x1200)",
    );
    expect(by("MD006", { expected: "ptdesc", actual: "buddy" })).toBe(
      "MD006 __free_pages: this memory is buddy memory, not a page table (pagetable_alloc)",
    );
    expect(by("MD010", { block: "tail" })).toBe(
      "MD010 __free_pages: the block is a tail page of a compound block; split_page() only splits a non-compound block it holds",
    );
  });
});

describe("orderMismatchSentence: MD002 as the simulator words it", () => {
  it("is the template filled in, with the simulator's words in the template's places (written out by hand)", () => {
    expect(orderMismatchSentence(2, 0)).toBe(fillFinding("MD002", { allocOrder: 2, freeOrder: 0 }));
    expect(orderMismatchSentence(2, 0)).toBe("block allocated at order 2, freed at order 0");
    expect(orderMismatchSentence(3, 1, { allocated: "compound page" })).toBe(
      "compound page allocated at order 3, freed at order 1",
    );
    expect(orderMismatchSentence(1, 2, { did: "split" })).toBe(
      "block allocated at order 1, split at order 2",
    );
    expect(
      orderMismatchSentence(2, 1, { did: "split", detail: ": the pages past 2^1 belong to nobody" }),
    ).toBe("block allocated at order 2, split at order 1: the pages past 2^1 belong to nobody");
    expect(orderMismatchSentence(1, 0, { detail: ": the rest is never freed" })).toBe(
      "block allocated at order 1, freed at order 0: the rest is never freed",
    );
  });
});
