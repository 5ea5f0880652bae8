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
import { join, resolve, sep } from "node:path";
import ts from "@typescript/typescript6";
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

/**
 * Findings that rest on the ABSENCE of a fact another handle of the same
 * memory could have added (docs/decisions/0020-compile-time-sound-or-silent.md):
 * a split (order), a destructor, PT_kernel, a page type set or cleared. Facts
 * are added to one variable's type; a split through `virt_to_page(addr)`
 * does not reach `addr`. Presence-based findings (freed, kind, compound,
 * kernel owner, an order larger than allocated) stay true through every alias.
 */
function restsOnAbsence(f: Finding): boolean {
  switch (f.rule) {
    case "MD002": {
      const { allocOrder, freeOrder } = f.fields as { allocOrder: unknown; freeOrder: unknown };
      return !(typeof allocOrder === "number" && typeof freeOrder === "number" && freeOrder > allocOrder);
    }
    case "MD003":
    case "MD004":
    case "MD008":
    case "MD009":
    case "MD012":
      return true;
    case "MD011":
      return (f.fields as { state: string }).state !== "destructed";
    case "MD013":
      return (f.fields as { path: string }).path === "unmarked";
    default:
      return false;
  }
}

const BRAND_KEY = "__@memdesc@";

/** Whether a type is a memdesc handle or address (it carries the brand). */
function isHandleType(checker: ts.TypeChecker, type: ts.Type): boolean {
  const t = checker.getNonNullableType(type);
  const parts = t.isUnion() ? t.types : [t];
  return parts.some((p) => p.getProperties().some((s) => (s.escapedName as string).startsWith(BRAND_KEY)));
}

function unwrap(e: ts.Node): ts.Node {
  let n = e;
  while (ts.isParenthesizedExpression(n) || ts.isNonNullExpression(n) || ts.isAsExpression(n))
    n = n.expression;
  return n;
}

/**
 * Whether the memory behind `arg` is reached only through this one variable
 * in its function, so the absence of a fact on its type is the absence on the
 * memory: `arg` is a variable initialised by an allocation (not by a
 * conversion of another handle), and every other use of it is a memdesc call
 * that returns no handle (a free, a ctor, a page-type op), a test, or a field
 * access — never a conversion (virt_to_page, page_address, nth_page,
 * page_ptdesc, …), a copy, a return, or a call into the user's own code.
 */
function onlyHandle(checker: ts.TypeChecker, arg: ts.Expression, call: ts.CallExpression): boolean {
  const id = unwrap(arg);
  // A conversion inside this very call (folio_put(page_folio(page))): ask about the handle it converts.
  if (ts.isCallExpression(id)) {
    const inner = id.arguments.filter((a) => isHandleType(checker, checker.getTypeAtLocation(a)));
    return inner.length > 0 && inner.every((a) => onlyHandle(checker, a, call));
  }
  if (!ts.isIdentifier(id)) return false;
  const sym = checker.getSymbolAtLocation(id);
  const decl = sym?.valueDeclaration;
  if (!sym || !decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return false;
  const init = unwrap(decl.initializer);
  // A handle made from another handle is an alias of it.
  if (
    ts.isCallExpression(init) &&
    init.arguments.some((a) => isHandleType(checker, checker.getTypeAtLocation(a)))
  )
    return false;
  if (!ts.isCallExpression(init)) return false;
  const scope =
    ts.findAncestor(decl, (n) => ts.isFunctionLike(n) || ts.isSourceFile(n)) ?? decl.getSourceFile();
  // The library's own declarations (src/ from source, dist/ from a build), not a user file that
  // happens to sit inside the package folder.
  const apiRoot = resolve(apiLocation().root);
  const apiDirs = [join(apiRoot, "src") + sep, join(apiRoot, "dist") + sep];
  // Uses that can run before this call: earlier in the text, or anywhere in a loop around it.
  const loop = ts.findAncestor(call, (n) => ts.isIterationStatement(n, false) || n === scope);
  const before = (n: ts.Node): boolean =>
    n.getEnd() <= call.getStart() ||
    (loop !== undefined &&
      loop !== scope &&
      n.getStart() >= loop.getStart() &&
      n.getEnd() <= loop.getEnd() &&
      (n.getStart() < call.getStart() || n.getStart() >= call.getEnd()));
  let only = true;
  const visit = (n: ts.Node): void => {
    if (!only) return;
    if (ts.isIdentifier(n) && n !== decl.name && checker.getSymbolAtLocation(n) === sym && before(n)) {
      let use: ts.Node = n;
      while (
        use.parent &&
        (ts.isParenthesizedExpression(use.parent) ||
          ts.isNonNullExpression(use.parent) ||
          ts.isAsExpression(use.parent))
      )
        use = use.parent;
      const parent = use.parent;
      if (!parent) return;
      if (ts.isCallExpression(parent) && parent.arguments.includes(use as ts.Expression)) {
        const callee = checker.getResolvedSignature(parent)?.getDeclaration()?.getSourceFile().fileName;
        const memdescCall = callee !== undefined && apiDirs.some((d) => resolve(callee).startsWith(d));
        if (!memdescCall || isHandleType(checker, checker.getTypeAtLocation(parent))) only = false;
      } else if (ts.isPropertyAccessExpression(parent) && parent.expression === use) {
        // a field access: page.flags
      } else if (
        ts.isPrefixUnaryExpression(parent) ||
        ts.isIfStatement(parent) ||
        (ts.isBinaryExpression(parent) &&
          parent.operatorToken.kind !== ts.SyntaxKind.EqualsToken &&
          parent.operatorToken.kind !== ts.SyntaxKind.BarBarToken &&
          parent.operatorToken.kind !== ts.SyntaxKind.QuestionQuestionToken) ||
        ts.isConditionalExpression(parent)
      ) {
        // a test: if (!page), page === null
      } else only = false;
    }
    n.forEachChild(visit);
  };
  scope.forEachChild(visit);
  return only;
}

/** Every failed rule at a call: each argument's type against its parameter's type. */
function callFindings(
  checker: ts.TypeChecker,
  call: ts.CallExpression,
): { found: TypedFinding[]; uncertain: number } {
  const out: TypedFinding[] = [];
  let uncertain = 0;
  const seen = new Set<string>();
  // The memory the call is about: its handle arguments (a finding on the order argument is about the page).
  const handles = call.arguments.filter((a) => isHandleType(checker, checker.getTypeAtLocation(a)));
  for (const arg of call.arguments) {
    const param = checker.getContextualType(arg);
    if (!param) continue;
    for (const finding of failedFindings(checker, param, checker.getTypeAtLocation(arg))) {
      if (seen.has(finding.rule)) continue;
      // Sound or silent: a finding another handle of the memory could make false is left to --run.
      if (restsOnAbsence(finding) && !handles.every((h) => onlyHandle(checker, h, call))) {
        uncertain++;
        continue;
      }
      seen.add(finding.rule);
      out.push({ finding, node: arg });
    }
  }
  return { found: out, uncertain };
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
      const { found, uncertain } = callFindings(checker, at.call);
      if (found.length > 0 || uncertain > 0) {
        // Only rule checks failed here: report the certain ones; the uncertain ones are --run's.
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
