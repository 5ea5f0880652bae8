/**
 * The TypeScript 6 back end of `memdesc check` (selected by `MEMDESC_CHECK_TS=6`; the default is
 * src/check/compile-ts7.ts, docs/decisions/0804): type-check user files against the memdesc API
 * at one or more stages, one classic compiler program per stage, sharing parsed source files
 * between the programs, and turn TypeScript diagnostics into memdesc diagnostics.
 *
 * Which rules a diagnostic breaks is read from the checker's types, never
 * from the compiler's English: at a call, each argument's parameter type
 * (its contextual type) carries the failed checks as data
 * (src/sim/kernel/checks.ts `Violation`); at a property access on a handle,
 * the handle's struct and the stage's layout decide MD007. Everything else
 * is an ordinary TypeScript error, reported as such.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve, sep } from "node:path";
import type * as TS from "@typescript/typescript6";
import { type Finding, renderFinding } from "../model/findings.js";
import type { RuleId } from "../model/rules.js";
import type { Stage } from "../model/stage.js";
import { apiLocation } from "./api-location.js";
import {
  BRAND_KEY,
  type CheckDiagnostic,
  type CompileInput,
  diagnosticAt,
  FINDINGS_KEY,
  GFP_NAME_KEY,
  GFP_VARIABLE_NOTE,
  missingMemberFinding,
  nodeAt,
  RULE_SET,
  restsOnAbsence,
  sortDiagnostics,
  stageSelectorFile,
} from "./compile-common.js";

/**
 * TypeScript 6 (`@typescript/typescript6`, a dev dependency since decision 0804) is loaded only
 * when this back end runs: `MEMDESC_CHECK_TS=6`, test/check/ts7.test.ts.
 */
let ts: typeof TS;
function loadTs6(): void {
  if (ts) return;
  try {
    ts = createRequire(import.meta.url)("@typescript/typescript6") as typeof TS;
  } catch {
    throw new Error(
      "MEMDESC_CHECK_TS=6 needs TypeScript 6's classic API: npm install --save-dev @typescript/typescript6",
    );
  }
}

/** Compiler options for user refactor files: strict, as kernel-quality code deserves. */
export function checkerCompilerOptions(): TS.CompilerOptions {
  loadTs6();
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
    paths: api.paths as TS.MapLike<string[]>,
    allowImportingTsExtensions: false,
  };
}

/** A compile-time finding read from the checker's types, with where it is. */
interface TypedFinding {
  readonly finding: Finding;
  readonly node: TS.Node;
}

/** The value of a literal type (a field of a finding), or its text when it is not a literal. */
function literalValue(checker: TS.TypeChecker, type: TS.Type): string | number {
  if (type.isStringLiteral() || type.isNumberLiteral()) return type.value;
  return checker.typeToString(type);
}

/** One constituent of a union that carries findings (a union of violations: the first), or the type itself. */
function findingsProperty(type: TS.Type): TS.Symbol | undefined {
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
function failedFindings(checker: TS.TypeChecker, param: TS.Type, arg: TS.Type): Finding[] {
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

/** The call whose argument `node` is (or is inside, through parentheses and `!`), with the argument. */
function argumentOf(node: TS.Node): { call: TS.CallExpression; arg: TS.Expression } | null {
  let n: TS.Node = node;
  while (n.parent && (ts.isParenthesizedExpression(n.parent) || ts.isNonNullExpression(n.parent)))
    n = n.parent;
  const call = n.parent;
  if (call && ts.isCallExpression(call) && call.arguments.includes(n as TS.Expression))
    return { call, arg: n as TS.Expression };
  return null;
}

/** Whether a type is a memdesc handle or address (it carries the brand). */
function isHandleType(checker: TS.TypeChecker, type: TS.Type): boolean {
  const t = checker.getNonNullableType(type);
  const parts = t.isUnion() ? t.types : [t];
  return parts.some((p) => p.getProperties().some((s) => (s.escapedName as string).startsWith(BRAND_KEY)));
}

function unwrap(e: TS.Node): TS.Node {
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
function onlyHandle(checker: TS.TypeChecker, arg: TS.Expression, call: TS.CallExpression): boolean {
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
  const before = (n: TS.Node): boolean =>
    n.getEnd() <= call.getStart() ||
    (loop !== undefined &&
      loop !== scope &&
      n.getStart() >= loop.getStart() &&
      n.getEnd() <= loop.getEnd() &&
      (n.getStart() < call.getStart() || n.getStart() >= call.getEnd()));
  let only = true;
  const visit = (n: TS.Node): void => {
    if (!only) return;
    if (ts.isIdentifier(n) && n !== decl.name && checker.getSymbolAtLocation(n) === sym && before(n)) {
      let use: TS.Node = n;
      while (
        use.parent &&
        (ts.isParenthesizedExpression(use.parent) ||
          ts.isNonNullExpression(use.parent) ||
          ts.isAsExpression(use.parent))
      )
        use = use.parent;
      const parent = use.parent;
      if (!parent) return;
      if (ts.isCallExpression(parent) && parent.arguments.includes(use as TS.Expression)) {
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
  checker: TS.TypeChecker,
  call: TS.CallExpression,
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

/**
 * MD007 from the checker's types: a property access on a handle whose struct
 * (the handle's interface, `struct_<struct>_<stage>`) has that member at
 * another stage but not at this one (src/model/layouts).
 */
function memberFinding(checker: TS.TypeChecker, node: TS.Node, stage: Stage): TypedFinding | null {
  const access = node.parent;
  if (!access || !ts.isPropertyAccessExpression(access) || access.name !== node) return null;
  const object = checker.getNonNullableType(checker.getTypeAtLocation(access.expression));
  const parts = object.isIntersection() ? object.types : [object];
  for (const t of parts) {
    const finding = missingMemberFinding(t.getSymbol()?.name ?? "", access.name.text, stage);
    if (finding === undefined) continue;
    return finding ? { node: access.name, finding } : null;
  }
  return null;
}

/**
 * Map the compiler's diagnostics on one user file to memdesc diagnostics:
 * at a call argument, every rule any argument of that call fails (read from
 * the parameter types), once per call; at a property access on a handle,
 * MD007 when the stage's struct lacks a member another stage has; anything
 * else is an ordinary TypeScript error.
 */
export function classifyFile(
  program: TS.Program,
  sf: TS.SourceFile,
  file: string,
  stage: Stage,
  diags: readonly TS.Diagnostic[],
): CheckDiagnostic[] {
  const checker = program.getTypeChecker();
  const out: CheckDiagnostic[] = [];
  const calls = new Set<TS.CallExpression>();
  const ruleDiagnostic = (code: number, tsMessage: string, f: TypedFinding): CheckDiagnostic =>
    diagnosticAt(
      file,
      sf.getLineAndCharacterOfPosition(f.node.getStart(sf)),
      stage,
      code,
      tsMessage,
      f.finding,
    );
  for (const d of diags) {
    if (d.file === undefined || d.start === undefined) continue;
    const tsMessage = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    const node = nodeAt<TS.SourceFile, TS.Node>(sf, d.start, d.length ?? 0);
    const at = node ? argumentOf(node) : null;
    if (at) {
      if (calls.has(at.call)) continue;
      const { found, uncertain } = callFindings(checker, at.call);
      if (found.length > 0 || uncertain > 0) {
        // Only rule checks failed here: report the certain ones; the uncertain ones are --run's.
        calls.add(at.call);
        for (const f of found) out.push(ruleDiagnostic(d.code, tsMessage, f));
        continue;
      }
    }
    const member = node && (d.code === 2339 || d.code === 2551) ? memberFinding(checker, node, stage) : null;
    if (member) {
      out.push(ruleDiagnostic(d.code, tsMessage, member));
      continue;
    }
    const note =
      node && d.code === 2322 && assignsToGfpConstantType(checker, node) ? GFP_VARIABLE_NOTE : undefined;
    out.push(
      diagnosticAt(file, d.file.getLineAndCharacterOfPosition(d.start), stage, d.code, tsMessage, null, note),
    );
  }
  return out;
}

/**
 * Type-check `files` against each stage. Returns the diagnostics per stage,
 * in file and position order. Only diagnostics located in the user files
 * are returned (the API itself is assumed to compile).
 */
export function compileAgainstStagesTs6(input: CompileInput): Map<Stage, CheckDiagnostic[]> {
  loadTs6();
  const options = checkerCompilerOptions();
  const files = input.files.map((f) => resolve(f));
  const cache = new Map<string, TS.SourceFile | undefined>();
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
  let oldProgram: TS.Program | undefined;
  for (const stage of input.stages) {
    const selector = selectors.get(stage)!;
    const host: TS.CompilerHost = {
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
    result.set(stage, sortDiagnostics(out));
  }
  return result;
}

/** `x = …` or `x op= …` where x's type is a GFP constant's (`Gfp<Name>`): the TS2322 of GFP_VARIABLE_NOTE. */
function assignsToGfpConstantType(checker: TS.TypeChecker, node: TS.Node): boolean {
  const parent = node.parent;
  if (!parent || !ts.isBinaryExpression(parent) || parent.left !== node) return false;
  const op = parent.operatorToken.kind;
  if (op < ts.SyntaxKind.FirstAssignment || op > ts.SyntaxKind.LastAssignment) return false;
  return checker
    .getTypeAtLocation(node)
    .getProperties()
    .some((s) => (s.escapedName as string).startsWith(GFP_NAME_KEY));
}
