/**
 * `memdesc check --patch FILE.patch --tree DIR`: apply a unified diff (as
 * `git format-patch` writes it) to copies of the C files it touches — in a
 * private temporary folder, never in the user's tree — check every function
 * the patch touches before and after, and say which findings the patch
 * introduces, which it fixes and which it leaves (docs/c-frontend.md).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve, sep } from "node:path";
import { type CheckOptions, checkFiles } from "../check/check.js";
import type { ScenarioResult } from "../check/report.js";
import { inputError } from "../model/errors.js";
import type { Stage } from "../model/stage.js";
import type { KernelConfig } from "./config.js";
import { cFrontEnd } from "./frontend.js";
import { runTranslated } from "./run.js";

export interface FilePatch {
  readonly path: string;
  readonly hunks: readonly Hunk[];
}
interface Hunk {
  readonly oldStart: number;
  readonly lines: readonly string[];
}

/** Parse a unified diff; `where` names it in error messages. */
export function parsePatch(text: string, where: string): FilePatch[] {
  const out: { path: string; hunks: Hunk[] }[] = [];
  const lines = text.split("\n");
  let cur: { path: string; hunks: Hunk[] } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.startsWith("--- ") && lines[i + 1]?.startsWith("+++ ")) {
      const target = lines[i + 1]!.slice(4).trim().split("\t")[0]!;
      if (target === "/dev/null") inputError(`${where}: deleting a file is not supported`);
      cur = { path: target.replace(/^b\//, ""), hunks: [] };
      out.push(cur);
      i++;
      continue;
    }
    const h = /^@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@/.exec(l);
    if (h) {
      if (!cur) inputError(`${where}:${i + 1}: hunk before any file header`);
      const body: string[] = [];
      for (i++; i < lines.length; i++) {
        const b = lines[i]!;
        if (
          b.startsWith("@@") ||
          b.startsWith("diff ") ||
          (b.startsWith("--- ") && lines[i + 1]?.startsWith("+++ "))
        )
          break;
        if (b === "-- " || (b === "" && i === lines.length - 1)) break;
        if (b.startsWith("\\")) continue;
        if (!/^[ +-]/.test(b) && b !== "") break;
        body.push(b === "" ? " " : b);
      }
      i--;
      cur.hunks.push({ oldStart: Number(h[1]), lines: body });
    }
  }
  if (out.length === 0) inputError(`${where}: no file changes found (expected a unified diff)`);
  return out;
}

export interface Applied {
  readonly after: string;
  /** Lines changed, in the old file (removed) and the new one (added), 1-based. */
  readonly oldChanged: ReadonlySet<number>;
  readonly newChanged: ReadonlySet<number>;
}

/** Apply hunks to a file's text; a context line that does not match is bad input. */
export function applyHunks(before: string, p: FilePatch, where: string): Applied {
  const src = before.split("\n");
  const dst: string[] = [];
  const oldChanged = new Set<number>();
  const newChanged = new Set<number>();
  let at = 0;
  for (const h of p.hunks) {
    const start = h.oldStart === 0 ? 0 : h.oldStart - 1;
    if (start < at) inputError(`${where}: ${p.path}: hunks overlap or are out of order`);
    while (at < start) dst.push(src[at++]!);
    for (const l of h.lines) {
      const text = l.slice(1);
      if (l[0] === "+") {
        dst.push(text);
        newChanged.add(dst.length);
        oldChanged.add(at + 1);
        continue;
      }
      if (src[at] !== text)
        inputError(`${where}: ${p.path}:${at + 1}: the patch does not apply (context differs)`);
      if (l[0] === "-") {
        oldChanged.add(at + 1);
        newChanged.add(dst.length + 1);
      } else dst.push(text);
      at++;
    }
  }
  while (at < src.length) dst.push(src[at++]!);
  return { after: dst.join("\n"), oldChanged, newChanged };
}

export interface PatchFinding {
  readonly file: string;
  readonly function: string;
  readonly rule: string;
  /** The stage of a compile-time finding; "run" for one found running a scenario (--run). */
  readonly stage: Stage | "run";
  readonly message: string;
  /** The line in the tree before the patch (fixed, left) or after it (introduced); a scenario's header for "run". */
  readonly line: number;
}

export interface PatchReport {
  readonly patch: string;
  readonly functions: readonly { file: string; name: string }[];
  readonly introduced: readonly PatchFinding[];
  readonly fixed: readonly PatchFinding[];
  readonly left: readonly PatchFinding[];
}

export async function checkPatch(opts: {
  patch: string;
  tree: string;
  stages: readonly Stage[];
  config: KernelConfig;
  /**
   * --run: also run the `scenario_*` functions of the patched files, before and after (a
   * translation written to a .ts file is run by this), so a finding only the simulated machine
   * makes — a free at an order the compiler cannot see — is introduced, fixed or left too.
   */
  run?: (tsFile: string) => Promise<ScenarioResult[]>;
}): Promise<PatchReport> {
  let text: string;
  try {
    text = readFileSync(opts.patch, "utf8");
  } catch {
    inputError(`--patch ${opts.patch}: cannot read`);
  }
  const patches = parsePatch(text, opts.patch).filter((p) => /\.[ch]$/.test(p.path));
  if (patches.length === 0) inputError(`${opts.patch}: touches no .c or .h file`);
  const tree = resolve(opts.tree);
  const work = mkdtempSync(join(tmpdir(), "memdesc-patch-"));
  try {
    const sides = { before: [] as string[], after: [] as string[] };
    const changed = new Map<string, Applied>();
    for (const p of patches) {
      const src = resolve(tree, p.path);
      if (!src.startsWith(tree + sep)) inputError(`${opts.patch}: ${p.path} is outside --tree`);
      let before: string;
      try {
        before = readFileSync(src, "utf8");
      } catch {
        inputError(`${opts.patch}: ${p.path}: no such file in --tree ${opts.tree}`);
      }
      const applied = applyHunks(before, p, opts.patch);
      changed.set(p.path, applied);
      for (const [side, body] of [
        ["before", before],
        ["after", applied.after],
      ] as const) {
        const f = join(work, side, p.path);
        mkdirSync(dirname(f), { recursive: true });
        writeFileSync(f, body);
        sides[side].push(f);
      }
    }
    const run = async (side: "before" | "after") => {
      const fe = cFrontEnd(opts.config, join(work, side));
      const checkOpts: CheckOptions = {
        paths: sides[side],
        stages: opts.stages,
        frontEnd: fe,
        cwd: join(work, side),
        ...(opts.run ? { run: (f: string) => runTranslated(f, fe.translationOf(f)!, opts.run!) } : {}),
      };
      const report = await checkFiles(checkOpts);
      const findings: PatchFinding[] = [];
      const touched: { file: string; name: string }[] = [];
      for (const p of patches) {
        const abs = join(work, side, p.path);
        const t = fe.translationOf(abs);
        const lines = side === "before" ? changed.get(p.path)!.oldChanged : changed.get(p.path)!.newChanged;
        const fns = (t?.functions ?? []).filter((f) => [...lines].some((l) => l >= f.line && l <= f.endLine));
        for (const f of fns) touched.push({ file: p.path, name: f.name });
        const fr = report.files.find((x) => x.file === p.path);
        for (const d of fr?.diagnostics ?? []) {
          const fn = fns.find((f) => d.line >= f.line && d.line <= f.endLine);
          if (!fn || !d.rule) continue;
          findings.push({
            file: p.path,
            function: fn.name,
            rule: d.rule,
            stage: d.stage,
            message: d.message,
            line: d.line,
          });
        }
        // A scenario runs the functions it calls, touched or not: each run-time finding is the
        // scenario's (matched before/after by rule and operation: the pfns may differ).
        for (const sc of fr?.scenarios ?? []) {
          const line = t?.functions.find((f) => f.name === sc.name)?.line ?? 0;
          const found = [
            ...sc.violations.map((v) => ({ rule: v.rule, message: v.message })),
            ...(sc.leaks.length > 0 ? [{ rule: "MD018", message: "MD018 leak ledger not empty" }] : []),
            ...(sc.outcome === "error" ? [{ rule: "error", message: sc.error ?? "error" }] : []),
          ];
          for (const v of found)
            findings.push({
              file: p.path,
              function: sc.name,
              rule: v.rule,
              stage: "run",
              message: v.message,
              line,
            });
        }
      }
      return { findings, touched };
    };
    const before = await run("before");
    const after = await run("after");
    const key = (f: PatchFinding) =>
      `${f.file}\0${f.function}\0${f.rule}\0${f.stage}\0${f.stage === "run" ? f.message.split(":")[0] : f.message}`;
    const remaining = new Map<string, PatchFinding[]>();
    for (const f of before.findings) remaining.set(key(f), [...(remaining.get(key(f)) ?? []), f]);
    const introduced: PatchFinding[] = [];
    const left: PatchFinding[] = [];
    for (const f of after.findings) {
      const same = remaining.get(key(f));
      if (same && same.length > 0) {
        same.shift();
        left.push(f);
      } else introduced.push(f);
    }
    const fixed = [...remaining.values()].flat();
    const seen = new Set<string>();
    const functions = [...before.touched, ...after.touched].filter((f) => {
      const k = `${f.file}\0${f.name}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    return { patch: opts.patch, functions, introduced, fixed, left };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function renderPatchReport(r: PatchReport): string {
  const lines = [
    `${r.patch}: ${r.functions.length} function(s) touched: ${r.functions.map((f) => `${f.file}:${f.name}`).join(", ") || "none"}`,
  ];
  const show = (label: string, fs: readonly PatchFinding[]) => {
    for (const f of fs)
      lines.push(
        `  ${label}  ${f.file}:${f.line}  ${f.rule}  ${f.stage}  ${f.function}: ${f.message.replace(new RegExp(`^${f.rule} `), "")}`,
      );
  };
  show("introduced", r.introduced);
  show("fixed     ", r.fixed);
  show("left      ", r.left);
  lines.push(
    `${r.introduced.length > 0 ? "findings" : "clean"}: ${r.introduced.length} introduced, ${r.fixed.length} fixed, ${r.left.length} left`,
  );
  return `${lines.join("\n")}\n`;
}
