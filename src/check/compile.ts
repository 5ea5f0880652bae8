/**
 * The compile-time half of `memdesc check`: type-check user files against the
 * memdesc API at one or more stages, one compiler program per stage, sharing
 * parsed source files between the programs, and turn TypeScript diagnostics
 * into memdesc diagnostics.
 *
 * Which rules a diagnostic breaks is read from the checker's types, never
 * from the compiler's English: at a call, each argument's parameter type
 * (its contextual type) carries the failed checks as data
 * (src/sim/kernel/checks.ts `Violation`); at a property access on a handle,
 * the handle's struct and the stage's layout decide MD007. Everything else
 * is an ordinary TypeScript error, reported as such.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import ts from "typescript";
import { type Finding, renderFinding } from "../model/findings.js";
import { hasField, LAYOUT_STRUCTS, type LayoutStruct } from "../model/layouts/index.js";
import { RULE_IDS, type RuleId } from "../model/rules.js";
import { STAGES, type Stage } from "../model/stage.js";
import { apiLocation } from "./api-location.js";

export interface CheckDiagnostic {
  /** Absolute path of the user file. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  readonly stage: Stage;
  /** The TypeScript diagnostic code (2345, 2339, …). */
  readonly code: number;
  /** The memdesc rule, or null for an ordinary TypeScript error. */
  readonly rule: RuleId | null;
  /** The rule's sentence for a rule violation; the compiler's first line otherwise. */
  readonly message: string;
  /** The compiler's full message, flattened. */
  readonly tsMessage: string;
  /** The finding as data (read from the checker's types), or null for an ordinary TypeScript error. */
  readonly finding: Finding | null;
}

/** Compiler options for user refactor files: strict, as kernel-quality code deserves. */
export function checkerCompilerOptions(): ts.CompilerOptions {
  const api = apiLocation();
  return {
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts"],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    paths: api.paths as ts.MapLike<string[]>,
    allowImportingTsExtensions: false,
  };
}

/** The virtual root file that selects a stage (same text as stages/<stage>.d.ts). */
export function stageSelectorFile(stage: Stage): { name: string; text: string } {
  return {
    name: resolve(apiLocation().root, "stages", `${stage}.d.ts`),
    text: `interface MemdescStageSelection {\n  stage: "${stage}";\n}\n`,
  };
}

/** A compile-time finding read from the checker's types, with where it is. */
interface TypedFinding {
  readonly finding: Finding;
  readonly node: ts.Node;
}

const FINDINGS_KEY = "__@memdescFindings@";
const RULE_SET: ReadonlySet<string> = new Set(RULE_IDS);

/** The value of a literal type (a field of a finding), or its text when it is not a literal. */
function literalValue(checker: ts.TypeChecker, type: ts.Type): string | number {
  if (type.isStringLiteral() || type.isNumberLiteral()) return type.value;
  return checker.typeToString(type);
}

/** One constituent of a union that carries findings (a union of violations: the first), or the type itself. */
function findingsProperty(type: ts.Type): ts.Symbol | undefined {
  const candidates = type.isUnion() ? type.types : [type];
  for (const t of candidates) {
    const p = t.getProperties().find((s) => (s.escapedName as string).startsWith(FINDINGS_KEY));
    if (p) return p;
  }
  return undefined;
}

/**
 * The findings the parameter type `param` carries (src/sim/kernel/checks.ts
 * Violation: `[memdescFindings]?: { [rule]: { op, fields } }`) that the
 * argument's type `arg` does not satisfy. A finding the argument already
 * has (its sentence property is on the argument, as after a failed call the
 * assertion narrowed the variable to include it) is not a failure here.
 */
function failedFindings(checker: ts.TypeChecker, param: ts.Type, arg: ts.Type): Finding[] {
  const prop = findingsProperty(param);
  if (!prop) return [];
  const record = checker.getNonNullableType(checker.getTypeOfSymbol(prop));
  const out: Finding[] = [];
  for (const entry of record.getProperties()) {
    const rule = entry.name;
    if (!RULE_SET.has(rule)) continue;
    let data = checker.getTypeOfSymbol(entry);
    if (data.isUnion()) data = data.types[0]!;
    const opSym = data.getProperty("op");
    const fieldsSym = data.getProperty("fields");
    if (!opSym || !fieldsSym) continue;
    const fields: Record<string, string | number> = {};
    for (const f of checker.getTypeOfSymbol(fieldsSym).getProperties()) {
      let t = checker.getTypeOfSymbol(f);
      if (t.isUnion()) t = t.types[0]!;
      fields[f.name] = literalValue(checker, t);
    }
    const finding = {
      rule: rule as RuleId,
      op: String(literalValue(checker, checker.getTypeOfSymbol(opSym))),
      pfn: null,
      fields,
    } as Finding;
    // Satisfied when the argument already carries the violation's sentence (see above).
    if (checker.getPropertyOfType(arg, renderFinding(finding))) continue;
    out.push(finding);
  }
  return out;
}

/** The innermost node that starts at `pos` and spans `length` (the node a diagnostic points at). */
function nodeAt(sf: ts.SourceFile, pos: number, length: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (n.getStart(sf) <= pos && pos + length <= n.getEnd()) {
      if (n.getStart(sf) === pos) found = n;
      n.forEachChild(visit);
    }
  };
  sf.forEachChild(visit);
  return found;
}

/** The call whose argument `node` is (or is inside, through parentheses and `!`), with the argument. */
function argumentOf(node: ts.Node): { call: ts.CallExpression; arg: ts.Expression } | null {
  let n: ts.Node = node;
  while (n.parent && (ts.isParenthesizedExpression(n.parent) || ts.isNonNullExpression(n.parent)))
    n = n.parent;
  const call = n.parent;
  if (call && ts.isCallExpression(call) && call.arguments.includes(n as ts.Expression))
    return { call, arg: n as ts.Expression };
  return null;
}

/** Every failed rule at a call: each argument's type against its parameter's type. */
function callFindings(checker: ts.TypeChecker, call: ts.CallExpression): TypedFinding[] {
  const out: TypedFinding[] = [];
  const seen = new Set<string>();
  for (const arg of call.arguments) {
    const param = checker.getContextualType(arg);
    if (!param) continue;
    for (const finding of failedFindings(checker, param, checker.getTypeAtLocation(arg))) {
      if (seen.has(finding.rule)) continue;
      seen.add(finding.rule);
      out.push({ finding, node: arg });
    }
  }
  return out;
}

const HANDLE_INTERFACE = /^struct_(\w+)_(today|interim32|interim16|final)$/;

/**
 * MD007 from the checker's types: a property access on a handle whose struct
 * (the handle's interface, `struct_<struct>_<stage>`) has that member at
 * another stage but not at this one (src/model/layouts).
 */
function memberFinding(checker: ts.TypeChecker, node: ts.Node, stage: Stage): TypedFinding | null {
  const access = node.parent;
  if (!access || !ts.isPropertyAccessExpression(access) || access.name !== node) return null;
  const object = checker.getNonNullableType(checker.getTypeAtLocation(access.expression));
  const parts = object.isIntersection() ? object.types : [object];
  for (const t of parts) {
    const m = HANDLE_INTERFACE.exec(t.getSymbol()?.name ?? "");
    if (!m) continue;
    const struct = m[1]!;
    if (!(LAYOUT_STRUCTS as readonly string[]).includes(struct)) continue;
    const member = access.name.text;
    const s = struct as LayoutStruct;
    if (hasField(stage, s, member) || !STAGES.some((other) => hasField(other, s, member))) return null;
    return {
      node: access.name,
      finding: { rule: "MD007", op: `${struct}->${member}`, pfn: null, fields: { struct, member, stage } },
    };
  }
  return null;
}

/** A finding as a diagnostic of the stage. */
function findingDiagnostic(
  sf: ts.SourceFile,
  file: string,
  stage: Stage,
  code: number,
  tsMessage: string,
  f: TypedFinding,
): CheckDiagnostic {
  const pos = sf.getLineAndCharacterOfPosition(f.node.getStart(sf));
  return {
    file,
    line: pos.line + 1,
    column: pos.character + 1,
    stage,
    code,
    rule: f.finding.rule,
    message: renderFinding(f.finding),
    tsMessage,
    finding: f.finding,
  };
}

/**
 * Map the compiler's diagnostics on one user file to memdesc diagnostics:
 * at a call argument, every rule any argument of that call fails (read from
 * the parameter types), once per call; at a property access on a handle,
 * MD007 when the stage's struct lacks a member another stage has; anything
 * else is an ordinary TypeScript error.
 */
export function classifyFile(
  program: ts.Program,
  sf: ts.SourceFile,
  file: string,
  stage: Stage,
  diags: readonly ts.Diagnostic[],
): CheckDiagnostic[] {
  const checker = program.getTypeChecker();
  const out: CheckDiagnostic[] = [];
  const calls = new Set<ts.CallExpression>();
  for (const d of diags) {
    if (d.file === undefined || d.start === undefined) continue;
    const tsMessage = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    const node = nodeAt(sf, d.start, d.length ?? 0);
    const at = node ? argumentOf(node) : null;
    if (at) {
      if (calls.has(at.call)) continue;
      const found = callFindings(checker, at.call);
      if (found.length > 0) {
        calls.add(at.call);
        for (const f of found) out.push(findingDiagnostic(sf, file, stage, d.code, tsMessage, f));
        continue;
      }
    }
    const member = node && (d.code === 2339 || d.code === 2551) ? memberFinding(checker, node, stage) : null;
    if (member) {
      out.push(findingDiagnostic(sf, file, stage, d.code, tsMessage, member));
      continue;
    }
    const pos = d.file.getLineAndCharacterOfPosition(d.start);
    out.push({
      file,
      line: pos.line + 1,
      column: pos.character + 1,
      stage,
      code: d.code,
      rule: null,
      message: tsMessage.split("\n")[0] ?? tsMessage,
      tsMessage,
      finding: null,
    });
  }
  return out;
}

export interface CompileInput {
  /** Absolute paths of the user files to check. */
  readonly files: readonly string[];
  readonly stages: readonly Stage[];
  /** In-memory contents that override (or stand in for) files on disk, by absolute path. */
  readonly sources?: ReadonlyMap<string, string>;
}

/**
 * Type-check `files` against each stage. Returns the diagnostics per stage,
 * in file and position order. Only diagnostics located in the user files
 * are returned (the API itself is assumed to compile).
 */
export function compileAgainstStages(input: CompileInput): Map<Stage, CheckDiagnostic[]> {
  const options = checkerCompilerOptions();
  const files = input.files.map((f) => resolve(f));
  const cache = new Map<string, ts.SourceFile | undefined>();
  const baseHost = ts.createCompilerHost(options, true);
  const selectors = new Map(input.stages.map((s) => [s, stageSelectorFile(s)]));
  const virtual = new Map<string, string>(
    input.sources ? [...input.sources].map(([k, v]) => [resolve(k), v]) : [],
  );

  const readText = (fileName: string): string | undefined => {
    const v = virtual.get(resolve(fileName));
    if (v !== undefined) return v;
    try {
      return readFileSync(fileName, "utf8");
    } catch {
      return undefined;
    }
  };

  const result = new Map<Stage, CheckDiagnostic[]>();
  let oldProgram: ts.Program | undefined;
  for (const stage of input.stages) {
    const selector = selectors.get(stage)!;
    const host: ts.CompilerHost = {
      ...baseHost,
      fileExists: (f) => virtual.has(resolve(f)) || resolve(f) === selector.name || baseHost.fileExists(f),
      readFile: (f) => (resolve(f) === selector.name ? selector.text : readText(f)),
      getSourceFile: (fileName, languageVersion) => {
        const abs = resolve(fileName);
        if (abs === selector.name) return ts.createSourceFile(fileName, selector.text, languageVersion, true);
        if (cache.has(abs)) return cache.get(abs);
        const text = readText(fileName);
        const sf =
          text === undefined ? undefined : ts.createSourceFile(fileName, text, languageVersion, true);
        cache.set(abs, sf);
        return sf;
      },
    };
    const program = ts.createProgram({
      rootNames: [...files, selector.name],
      options,
      host,
      ...(oldProgram ? { oldProgram } : {}),
    });
    oldProgram = program;
    const out: CheckDiagnostic[] = [];
    for (const file of files) {
      const sf = program.getSourceFile(file);
      if (!sf) continue;
      const diags = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)];
      out.push(...classifyFile(program, sf, file, stage, diags));
    }
    out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
    result.set(stage, out);
  }
  return result;
}
