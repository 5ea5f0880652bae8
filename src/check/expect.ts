/**
 * Expectations written in the checked files, for `memdesc check --expect`:
 *
 *   __free_pages(page, 0); // expect MD002
 *   list_add(page.lru, l); // expect MD007 at interim16,final
 *   // expect-run MD017       (inside a scenario function: its run-time findings)
 *
 * Like `@ts-expect-error`, but naming the rule: a violation nobody expected
 * and an expectation nothing met are both failures. `TS####` expects an
 * ordinary TypeScript error.
 */
import { readFileSync } from "node:fs";
import { STAGES, type Stage } from "../model/stage.js";
import type { CheckDiagnosticJson, ScenarioResult } from "./report.js";

export interface LineExpectation {
  readonly line: number;
  readonly id: string;
  /** The stages it applies to; null = every checked stage. */
  readonly stages: readonly Stage[] | null;
}

export interface FileExpectations {
  readonly lines: readonly LineExpectation[];
  /** Scenario name → the rule IDs its run must report (an empty set: it must run clean). */
  readonly runs: ReadonlyMap<string, ReadonlySet<string>>;
}

const LINE = /\/\/\s*expect\s+((?:(?:MD|TS)\d+[\s,]*)+)(?:at\s+([\w,]+))?/;
const RUN = /\/\/\s*expect-run\s+((?:MD\d{3}[\s,]*)+)/;
const SCENARIO = /^\s*export\s+(?:async\s+)?function\s+(\w+)\s*\(/;

/** `source`: the file's text as the checker saw it (a front end's, for a C file), instead of reading it. */
export function readExpectations(file: string, source?: string): FileExpectations {
  const text = (source ?? readFileSync(file, "utf8")).split(/\r?\n/);
  const lines: LineExpectation[] = [];
  const runs = new Map<string, Set<string>>([["(module)", new Set()]]);
  // expect-run comments before the first scenario describe the module-level code.
  let scenario: string | null = "(module)";
  text.forEach((src, i) => {
    const fn = SCENARIO.exec(src);
    if (fn) {
      scenario = fn[1]!;
      runs.set(scenario, runs.get(scenario) ?? new Set());
    }
    const run = RUN.exec(src);
    if (run && scenario) for (const id of run[1]!.match(/MD\d{3}/g) ?? []) runs.get(scenario)!.add(id);
    else {
      const m = LINE.exec(src);
      if (m) {
        const stages = m[2]
          ? m[2]
              .split(",")
              .map((s) => s.trim())
              .filter((s): s is Stage => (STAGES as readonly string[]).includes(s))
          : null;
        for (const id of m[1]!.match(/(?:MD|TS)\d+/g) ?? []) lines.push({ line: i + 1, id, stages });
      }
    }
  });
  return { lines, runs };
}

export interface ExpectationResult {
  /** Diagnostics no expectation covers: `line:col  ID  stage  message`. */
  readonly unexpected: string[];
  /** Expectations nothing met: `line  ID  stage`. */
  readonly missing: string[];
  /** Expected findings that were found. */
  readonly met: number;
}

export function compareExpectations(
  exp: FileExpectations,
  diagnostics: readonly CheckDiagnosticJson[],
  stages: readonly Stage[],
  scenarios: readonly ScenarioResult[] | undefined,
): ExpectationResult {
  const unexpected: string[] = [];
  const missing: string[] = [];
  let met = 0;
  const idOf = (d: CheckDiagnosticJson) => d.rule ?? `TS${d.code}`;
  const covers = (e: LineExpectation, d: CheckDiagnosticJson) =>
    e.line === d.line && e.id === idOf(d) && (e.stages === null || e.stages.includes(d.stage));
  for (const d of diagnostics) {
    if (exp.lines.some((e) => covers(e, d))) met++;
    else unexpected.push(`${d.line}:${d.column}  ${idOf(d)}  ${d.stage}  ${d.message}`);
  }
  for (const e of exp.lines) {
    for (const stage of e.stages ?? stages) {
      if (!stages.includes(stage)) continue;
      if (!diagnostics.some((d) => d.stage === stage && covers(e, d)))
        missing.push(`${e.line}  ${e.id}  ${stage}`);
    }
  }
  for (const s of scenarios ?? []) {
    const want = exp.runs.get(s.name) ?? new Set<string>();
    const got = new Set<string>(s.violations.map((v) => v.rule));
    if (s.leaks.length > 0) got.add("MD018");
    if (s.outcome === "error") unexpected.push(`scenario ${s.name}: error: ${s.error}`);
    for (const id of got) {
      if (want.has(id)) met++;
      else unexpected.push(`scenario ${s.name}: ${id}`);
    }
    for (const id of want) if (!got.has(id)) missing.push(`scenario ${s.name}: ${id}`);
  }
  return { unexpected, missing, met };
}
