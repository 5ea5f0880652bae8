/**
 * Text output of `memdesc check`: one line per violation,
 * `file:line:col  MD###  stage  message`, then a short explanation in kernel
 * terms (the first time a rule appears in a file), grouped per file, and a
 * summary line. A violation found at several stages is one line listing them.
 */
import { RULES, type RuleId } from "../model/rules.js";
import type { CheckDiagnosticJson, CheckReport } from "./report.js";

/** The anchor of a rule in docs/rules.md. */
export function ruleDocLink(id: RuleId): string {
  return `docs/rules.md#${id.toLowerCase()}-${RULES[id].slug}`;
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
      if (d.rule && !explained.has(d.rule)) {
        explained.add(d.rule);
        const r = RULES[d.rule];
        lines.push(c("dim", `    why: ${firstSentence(r.explanation)}`));
        lines.push(c("dim", `    fix: ${r.fix}`));
        lines.push(c("dim", `    kernel: ${r.source}`));
        lines.push(c("dim", `    see: ${ruleDocLink(d.rule)}`));
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
        `  scenario ${s.name}: ${s.violations.length} violation(s)${s.outcome === "error" ? ", then an error" : ""}`,
      );
      for (const v of s.violations) {
        lines.push(`    ${c("rule", v.rule)}  ${v.message.replace(new RegExp(`^${v.rule} `), "")}`);
        for (const l of v.report.split("\n")) lines.push(c("dim", `      ${l}`));
      }
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
