/**
 * Text output of `memdesc check`: one line per violation,
 * `file:line:col  MD###  stage  message`, then a short explanation in kernel
 * terms (the first time a rule appears in a file), a `see:` line per finding
 * (the rule in docs/ and on the site, the kernel function in docs/api.md),
 * grouped per file, and a summary line. A violation found at several stages
 * is one line listing them. Run-time findings come grouped (a cascade is one
 * finding with its repeats counted); a scenario shows at most
 * FULL_PER_RULE findings of a rule in full and counts the rest.
 */
import { PAGE_TYPE_TABLE } from "../model/page-type.js";
import { RULES, type RuleId } from "../model/rules.js";
import * as sim from "../sim/index.js";
import type { CheckDiagnosticJson, CheckReport, RunViolation } from "./report.js";

/** Run-time findings of one rule a scenario's text report shows in full; --json has them all. */
export const FULL_PER_RULE = 3;

/** The anchor of a rule in docs/rules.md. */
export function ruleDocLink(id: RuleId): string {
  return `docs/rules.md#${id.toLowerCase()}-${RULES[id].slug}`;
}

/** The anchor of a rule on the reference site (docs/decisions/0700-site-plain-html.md). */
export function ruleSiteLink(id: RuleId): string {
  return `site/rules.html#${id.toLowerCase()}`;
}

/**
 * The accessors PAGE_TYPE_OPS/FOLIO_TYPE_OPS generate (src/sim/kernel/page-type.ts): docs/api.md
 * documents them together, under their module's heading, not one by one.
 */
const PAGE_TYPE_ACCESSORS: ReadonlySet<string> = new Set(
  PAGE_TYPE_TABLE.flatMap((t) => [
    ...(t.uname ? [`Page${t.uname}`, `__SetPage${t.uname}`, `__ClearPage${t.uname}`] : []),
    `folio_test_${t.fname}`,
    `__folio_set_${t.fname}`,
    `__folio_clear_${t.fname}`,
  ]),
);

/** The anchor of a kernel function of memdesc/sim in docs/api.md, or null when op is not one (`page->lru`). */
export function opDocLink(op: string | null): string | null {
  if (op === null || !/^[A-Za-z_]\w*$/.test(op)) return null;
  if (typeof (sim as Record<string, unknown>)[op] !== "function") return null;
  // GitHub's slug of the heading "## `src/sim/kernel/page-type.ts`".
  if (PAGE_TYPE_ACCESSORS.has(op)) return "docs/api.md#srcsimkernelpage-typets";
  return `docs/api.md#${op.toLowerCase()}`;
}

/** A finding's `see:` line: the rule in docs/ and on the site, and the function the code called. */
export function seeLine(id: RuleId, op: string | null): string {
  const api = opDocLink(op);
  return `see: ${ruleDocLink(id)}  ${ruleSiteLink(id)}${api ? `  ${api}` : ""}`;
}

function firstSentence(s: string): string {
  const m = /^(.*?\.)(\s|$)/.exec(s);
  return m?.[1] ?? s;
}

interface Merged {
  readonly d: CheckDiagnosticJson;
  readonly stages: string[];
}

function merge(diags: readonly CheckDiagnosticJson[]): Merged[] {
  const out: Merged[] = [];
  const byKey = new Map<string, Merged>();
  for (const d of diags) {
    // The same finding at several stages: equal but for the stage (MD007 names it as a field).
    const fields = d.fields ? Object.entries(d.fields).filter(([k]) => k !== "stage") : null;
    const what = d.rule ? `${d.op}:${JSON.stringify(fields)}` : d.message;
    const key = `${d.line}:${d.column}:${d.code}:${d.rule ?? ""}:${what}`;
    const m = byKey.get(key);
    if (m) m.stages.push(d.stage);
    else {
      const fresh = { d, stages: [d.stage] };
      byKey.set(key, fresh);
      out.push(fresh);
    }
  }
  return out;
}

export interface RenderOptions {
  readonly color?: (kind: "rule" | "ts" | "ok" | "dim" | "file", s: string) => string;
}

export function renderCheckReport(report: CheckReport, opts: RenderOptions = {}): string {
  const c = opts.color ?? ((_k, s) => s);
  const lines: string[] = [];
  for (const f of report.files) {
    const merged = merge(f.diagnostics);
    const explained = new Set<RuleId>();
    const expectLine = f.expectations ? renderExpectations(f.expectations, c) : null;
    if (
      merged.length === 0 &&
      (f.scenarios ?? []).every(
        (s) => s.outcome === "ok" && s.output === undefined && s.opaqueCalls === undefined,
      ) &&
      !expectLine?.bad
    ) {
      lines.push(
        `${c("file", f.file)}  ${c("ok", `clean at ${report.summary.stages.join(", ")}`)}${f.scenarios ? c("dim", ` (${f.scenarios.length} scenario${f.scenarios.length === 1 ? "" : "s"} ran clean)`) : ""}`,
      );
      if (expectLine?.lines && f.expectations && f.expectations.met > 0) lines.push(...expectLine.lines);
      continue;
    }
    lines.push(c("file", f.file));
    for (const { d, stages } of merged) {
      const id = d.rule ?? `TS${d.code}`;
      const text = d.rule ? d.message.replace(new RegExp(`^${d.rule} `), "") : d.message;
      lines.push(
        `${f.file}:${d.line}:${d.column}  ${c(d.rule ? "rule" : "ts", id)}  ${stages.join(",")}  ${text}`,
      );
      if (d.rule) {
        if (!explained.has(d.rule)) {
          explained.add(d.rule);
          const r = RULES[d.rule];
          lines.push(c("dim", `    why: ${firstSentence(r.explanation)}`));
          lines.push(c("dim", `    fix: ${r.fix}`));
          lines.push(c("dim", `    kernel: ${r.source}`));
        }
        lines.push(c("dim", `    ${seeLine(d.rule, d.op)}`));
      }
    }
    for (const s of f.scenarios ?? []) {
      // A C translation's opaque calls ran as no-ops: what the scenario did not model.
      const opaque = (s.opaqueCalls ?? []).map((what) => c("dim", `    opaque ${what}`));
      const output =
        s.output === undefined
          ? opaque
          : [
              ...opaque,
              c("dim", "    output (captured):"),
              ...s.output
                .trimEnd()
                .split("\n")
                .map((l) => c("dim", `      | ${l}`)),
            ];
      if (s.outcome === "ok") {
        lines.push(`  scenario ${s.name}: ${c("ok", "ok")}`, ...output);
        continue;
      }
      // Findings made before a crash come first; the crash (or limit) is the last thing that happened.
      lines.push(
        `  scenario ${s.name}: ${s.violations.length} finding${s.violations.length === 1 ? "" : "s"}${s.outcome === "error" ? ", then an error" : ""}`,
      );
      lines.push(...renderRunFindings(s.violations, c));
      if (s.leaks.length > 0) {
        lines.push(`    ${c("rule", "MD018")}  leak ledger at the end of the scenario:`);
        for (const l of s.leaks) lines.push(c("dim", `      ${l.trim()}`));
      }
      if (s.outcome === "error") {
        lines.push(`    ${c("rule", "error")}  ${s.error}`);
        for (const l of s.stack ?? []) lines.push(c("dim", `      at ${l}`));
      }
      lines.push(...output);
    }
    if (expectLine) lines.push(...expectLine.lines);
    lines.push("");
  }
  lines.push(summaryLine(report));
  return `${lines.join("\n")}\n`;
}

/** A scenario's run-time findings: FULL_PER_RULE per rule in full, each with its repeats counted; the rest counted. */
function renderRunFindings(vs: readonly RunViolation[], c: NonNullable<RenderOptions["color"]>): string[] {
  const lines: string[] = [];
  const shown = new Map<string, number>();
  const hidden = new Map<string, number>();
  for (const v of vs) {
    const n = shown.get(v.rule) ?? 0;
    if (n >= FULL_PER_RULE) {
      hidden.set(v.rule, (hidden.get(v.rule) ?? 0) + 1);
      continue;
    }
    shown.set(v.rule, n + 1);
    lines.push(`    ${c("rule", v.rule)}  ${v.message.replace(new RegExp(`^${v.rule} `), "")}`);
    if (v.repeatsText) lines.push(`      ${v.repeatsText}`);
    for (const l of v.report.split("\n")) lines.push(c("dim", `      ${l}`));
    if (v.op !== "(module)") lines.push(c("dim", `      ${seeLine(v.rule, v.op)}`));
  }
  for (const [rule, n] of hidden)
    lines.push(
      `    ${c("rule", rule)}  and ${n} more ${rule} finding${n === 1 ? "" : "s"} in this scenario (--json lists every one)`,
    );
  return lines;
}

function renderExpectations(
  e: NonNullable<CheckReport["files"][number]["expectations"]>,
  c: NonNullable<RenderOptions["color"]>,
): { bad: boolean; lines: string[] } {
  const bad = e.unexpected.length + e.missing.length > 0;
  if (!bad)
    return {
      bad,
      lines: [
        c(
          "ok",
          `  expect: all ${e.met} finding${e.met === 1 ? " is" : "s are"} the ones the file's expect comments name`,
        ),
      ],
    };
  return {
    bad,
    lines: [
      c("rule", "  expect: findings differ from the file's expect comments"),
      ...e.unexpected.map((u) => `    unexpected  ${u}`),
      ...e.missing.map((m) => `    missing     ${m}`),
    ],
  };
}

export function summaryLine(report: CheckReport): string {
  const s = report.summary;
  const list = (byRule: Record<string, number>) =>
    Object.entries(byRule)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([r, n]) => `${r}×${n}`)
      .join(", ");
  const rules = list(s.byRule);
  const runRules = list(s.runByRule);
  const parts = [
    `${s.files} file${s.files === 1 ? "" : "s"} checked at ${s.stages.join(", ")}`,
    `${s.violations} compile-time rule violation${s.violations === 1 ? "" : "s"}${rules ? ` (${rules})` : ""}`,
    `${s.typescriptErrors} TypeScript error${s.typescriptErrors === 1 ? "" : "s"}`,
  ];
  if (s.scenarios > 0) {
    const found = runRules ? ` (${runRules})` : "";
    parts.push(
      `${s.scenarios} scenario${s.scenarios === 1 ? "" : "s"} run, ${s.scenarioFailures} with findings${found}`,
    );
  }
  const verdict = s.expect ? (s.clean ? "as expected" : "not as expected") : s.clean ? "clean" : "findings";
  return `${verdict}: ${parts.join("; ")}`;
}
