/**
 * The TypeScript 7 back end of `memdesc check` (the default; docs/decisions/0021, 0804): the
 * user files are type-checked by TypeScript 7's native compiler through its API
 * (`typescript/unstable/sync`): one API server per call, a virtual file system (the per-stage
 * tsconfig, the stage selector and in-memory sources are callbacks; no file is written), and a
 * project per stage in one snapshot.
 *
 * The classification is the one of src/check/compile-ts6.ts, read from the checker's types and
 * never from the compiler's English: at a call argument, each argument's parameter type (its
 * contextual type) carries the failed checks as data (src/sim/kernel/checks.ts `Violation`); at
 * a property access on a handle, the handle's struct and the stage's layout decide MD007. It
 * runs only where the compiler reported something, so a clean file costs no checker request.
 * The checker is reached through getContextualType, getTypeAtLocation, getPropertiesOfType,
 * getPropertyOfType, getTypeOfSymbol, getNonNullableType, getSymbolAtLocation,
 * getResolvedSignature and typeToString: the API is marked unstable, and a change in 7.x
 * touches these call sites only.
 */
import { join, resolve, sep } from "node:path";
import {
  type BinaryExpression,
  type CallExpression,
  type Expression,
  type Identifier,
  isAsExpression,
  isBinaryExpression,
  isCallExpression,
  isConditionalExpression,
  isIdentifier,
  isIfStatement,
  isNonNullExpression,
  isParenthesizedExpression,
  isPrefixUnaryExpression,
  isPropertyAccessExpression,
  isVariableDeclaration,
  type Node,
  type SourceFile,
  SyntaxKind,
  type VariableDeclaration,
} from "typescript/unstable/ast";
import { API, type Checker, type Diagnostic, type Project, type Type } from "typescript/unstable/sync";
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

/** A compile-time finding read from the checker's types, with where it is. */
interface TypedFinding {
  readonly finding: Finding;
  readonly node: Node;
}

/** The constituents of a union, or the type itself. */
function partsOf(type: Type): readonly Type[] {
  return type.isUnionType() ? (type.getTypes() ?? [type]) : [type];
}

/** The first constituent of a union that is not `undefined` (an optional property's type). */
function definedPart(type: Type): Type {
  const parts = partsOf(type);
  return parts.find((t) => !(t.isIntrinsicType() && t.intrinsicName === "undefined")) ?? parts[0]!;
}

/** The value of a literal type (a field of a finding), or its text when it is not a literal. */
function literalValue(checker: Checker, type: Type): string | number {
  if (type.isStringLiteralType() || type.isNumberLiteralType()) return type.value as string | number;
  return checker.typeToString(type);
}

/**
 * The findings the parameter type `param` carries (`[memdescFindings]?: { [rule]: { op, fields } }`)
 * that the argument's type `arg` does not satisfy. A finding the argument already has (its
 * sentence property is on the argument, as after a failed call the assertion narrowed the
 * variable to include it) is not a failure here.
 */
function failedFindings(checker: Checker, param: Type, arg: Type): Finding[] {
  let prop: ReturnType<Checker["getPropertyOfType"]>;
  for (const t of partsOf(param)) {
    prop = checker.getPropertiesOfType(t).find((s) => (s.escapedName as string).startsWith(FINDINGS_KEY));
    if (prop) break;
  }
  if (!prop) return [];
  const recordType = checker.getTypeOfSymbol(prop);
  const record = recordType && checker.getNonNullableType(recordType);
  if (!record) return [];
  const out: Finding[] = [];
  for (const entry of checker.getPropertiesOfType(record)) {
    const rule = entry.name;
    if (!RULE_SET.has(rule)) continue;
    const entryType = checker.getTypeOfSymbol(entry);
    if (!entryType) continue;
    const data = definedPart(entryType);
    const opSym = checker.getPropertyOfType(data, "op");
    const fieldsSym = checker.getPropertyOfType(data, "fields");
    const opType = opSym && checker.getTypeOfSymbol(opSym);
    const fieldsType = fieldsSym && checker.getTypeOfSymbol(fieldsSym);
    if (!opType || !fieldsType) continue;
    const fields: Record<string, string | number> = {};
    for (const f of checker.getPropertiesOfType(fieldsType)) {
      const t = checker.getTypeOfSymbol(f);
      if (t) fields[f.name] = literalValue(checker, definedPart(t));
    }
    const finding = {
      rule: rule as RuleId,
      op: String(literalValue(checker, opType)),
      pfn: null,
      fields,
    } as Finding;
    // Satisfied when the argument already carries the violation's sentence (see above).
    if (checker.getPropertyOfType(arg, renderFinding(finding))) continue;
    out.push(finding);
  }
  return out;
}

function isWrapper(n: Node): boolean {
  return isParenthesizedExpression(n) || isNonNullExpression(n) || isAsExpression(n);
}

/** The call whose argument `node` is (or is inside, through parentheses and `!`), with the argument. */
function argumentOf(node: Node): { call: CallExpression; arg: Expression } | null {
  let n: Node = node;
  while (n.parent && (isParenthesizedExpression(n.parent) || isNonNullExpression(n.parent))) n = n.parent;
  const call = n.parent;
  if (call && isCallExpression(call) && call.arguments.includes(n as Expression))
    return { call, arg: n as Expression };
  return null;
}

/** Whether a type is a memdesc handle or address (it carries the brand). */
function isHandleType(checker: Checker, type: Type | undefined): boolean {
  const t = type && checker.getNonNullableType(type);
  if (!t) return false;
  return partsOf(t).some((p) =>
    checker.getPropertiesOfType(p).some((s) => (s.escapedName as string).startsWith(BRAND_KEY)),
  );
}

function unwrap(e: Node): Node {
  let n = e;
  while (isWrapper(n)) n = (n as unknown as { expression: Node }).expression;
  return n;
}

const FUNCTION_LIKE: ReadonlySet<SyntaxKind> = new Set([
  SyntaxKind.FunctionDeclaration,
  SyntaxKind.FunctionExpression,
  SyntaxKind.ArrowFunction,
  SyntaxKind.MethodDeclaration,
  SyntaxKind.Constructor,
  SyntaxKind.GetAccessor,
  SyntaxKind.SetAccessor,
]);
const ITERATION: ReadonlySet<SyntaxKind> = new Set([
  SyntaxKind.ForStatement,
  SyntaxKind.ForInStatement,
  SyntaxKind.ForOfStatement,
  SyntaxKind.DoStatement,
  SyntaxKind.WhileStatement,
]);

function findAncestor(n: Node, test: (n: Node) => boolean): Node | undefined {
  for (let p: Node | undefined = n; p; p = p.parent) if (test(p)) return p;
  return undefined;
}

/**
 * Whether the memory behind `arg` is reached only through this one variable
 * in its function, so the absence of a fact on its type is the absence on the
 * memory (docs/decisions/0020; the same analysis as src/check/compile-ts6.ts):
 * `arg` is a variable initialised by an allocation, and every other use of it
 * that can run before the call is a memdesc call that returns no handle, a
 * test, or a field access.
 */
function onlyHandle(project: Project, arg: Expression, call: CallExpression): boolean {
  const checker = project.checker;
  const id = unwrap(arg);
  // A conversion inside this very call (folio_put(page_folio(page))): ask about the handle it converts.
  if (isCallExpression(id)) {
    const inner = id.arguments.filter((a) => isHandleType(checker, checker.getTypeAtLocation(a)));
    return inner.length > 0 && inner.every((a) => onlyHandle(project, a, call));
  }
  if (!isIdentifier(id)) return false;
  const sym = checker.getSymbolAtLocation(id);
  const decl = sym?.valueDeclaration?.resolve(project);
  if (!sym || !decl || !isVariableDeclaration(decl) || !decl.initializer) return false;
  const init = unwrap(decl.initializer);
  if (!isCallExpression(init)) return false;
  // A handle made from another handle is an alias of it.
  if (init.arguments.some((a) => isHandleType(checker, checker.getTypeAtLocation(a)))) return false;
  const scope =
    findAncestor(decl, (n) => FUNCTION_LIKE.has(n.kind) || n.kind === SyntaxKind.SourceFile) ??
    decl.getSourceFile();
  // The library's own declarations (src/ from source, dist/ from a build), not a user file that
  // happens to sit inside the package folder.
  const apiRoot = resolve(apiLocation().root);
  const apiDirs = [join(apiRoot, "src") + sep, join(apiRoot, "dist") + sep];
  // Uses that can run before this call: earlier in the text, or anywhere in a loop around it.
  const loop = findAncestor(call, (n) => ITERATION.has(n.kind) || n === scope);
  const before = (n: Node): boolean =>
    n.getEnd() <= call.getStart() ||
    (loop !== undefined &&
      loop !== scope &&
      n.getStart() >= loop.getStart() &&
      n.getEnd() <= loop.getEnd() &&
      (n.getStart() < call.getStart() || n.getStart() >= call.getEnd()));
  // The candidate uses: identifiers of the same name (a symbol has one name), asked in one request.
  const name = id.text;
  const declName = (decl as VariableDeclaration).name;
  const candidates: Identifier[] = [];
  const visit = (n: Node): void => {
    if (isIdentifier(n) && n.text === name && n.getStart() !== declName.getStart() && before(n))
      candidates.push(n);
    n.forEachChild(visit);
  };
  scope.forEachChild(visit);
  if (candidates.length === 0) return true;
  const symbols = checker.getSymbolAtLocation(candidates);
  for (let i = 0; i < candidates.length; i++) {
    if (symbols[i]?.id !== sym.id) continue;
    let use: Node = candidates[i]!;
    while (use.parent && isWrapper(use.parent)) use = use.parent;
    const parent = use.parent;
    if (!parent) continue;
    if (isCallExpression(parent) && parent.arguments.includes(use as Expression)) {
      const callee = checker.getResolvedSignature(parent)?.declaration?.path;
      const memdescCall = callee !== undefined && apiDirs.some((d) => resolve(callee).startsWith(d));
      if (!memdescCall || isHandleType(checker, checker.getTypeAtLocation(parent))) return false;
    } else if (isPropertyAccessExpression(parent) && parent.expression === use) {
      // a field access: page.flags
    } else if (
      isPrefixUnaryExpression(parent) ||
      isIfStatement(parent) ||
      (isBinaryExpression(parent) && !ASSIGNING.has((parent as BinaryExpression).operatorToken.kind)) ||
      isConditionalExpression(parent)
    ) {
      // a test: if (!page), page === null
    } else return false;
  }
  return true;
}

const ASSIGNING: ReadonlySet<SyntaxKind> = new Set([
  SyntaxKind.EqualsToken,
  SyntaxKind.BarBarToken,
  SyntaxKind.QuestionQuestionToken,
]);

/** Every failed rule at a call: each argument's type against its parameter's type. */
function callFindings(project: Project, call: CallExpression): { found: TypedFinding[]; uncertain: number } {
  const checker = project.checker;
  const out: TypedFinding[] = [];
  let uncertain = 0;
  const seen = new Set<string>();
  const args = [...call.arguments];
  const argTypes = checker.getTypeAtLocation(args);
  // The memory the call is about: its handle arguments (a finding on the order argument is about the page).
  const handles = args.filter((_, i) => isHandleType(checker, argTypes[i]));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const param = checker.getContextualType(arg);
    const argType = argTypes[i];
    if (!param || !argType) continue;
    for (const finding of failedFindings(checker, param, argType)) {
      if (seen.has(finding.rule)) continue;
      // Sound or silent: a finding another handle of the memory could make false is left to --run.
      if (restsOnAbsence(finding) && !handles.every((h) => onlyHandle(project, h, call))) {
        uncertain++;
        continue;
      }
      seen.add(finding.rule);
      out.push({ finding, node: arg });
    }
  }
  return { found: out, uncertain };
}

/** MD007 from the checker's types: a property access on a handle whose struct lacks the member at this stage. */
function memberFinding(checker: Checker, node: Node, stage: Stage): TypedFinding | null {
  const access = node.parent;
  if (!access || !isPropertyAccessExpression(access) || access.name !== node) return null;
  const objectType = checker.getTypeAtLocation(access.expression);
  const object = objectType && checker.getNonNullableType(objectType);
  if (!object) return null;
  const parts = object.isIntersectionType() ? (object.getTypes() ?? [object]) : [object];
  for (const t of parts) {
    const finding = missingMemberFinding(t.getSymbol()?.name ?? "", access.name.text, stage);
    if (finding === undefined) continue;
    return finding ? { node: access.name, finding } : null;
  }
  return null;
}

/** The compiler's message and its chain, flattened as TypeScript 6's flattenDiagnosticMessageText does. */
function flatten(d: Diagnostic, indent = 0): string {
  let out = indent ? `\n${"  ".repeat(indent)}${d.text}` : d.text;
  for (const next of d.messageChain ?? []) out += flatten(next, indent + 1);
  return out;
}

/** Map the compiler's diagnostics on one user file to memdesc diagnostics (see compile-ts6.ts classifyFile). */
function classifyFile(
  project: Project,
  sf: SourceFile,
  file: string,
  stage: Stage,
  diags: readonly Diagnostic[],
): CheckDiagnostic[] {
  const out: CheckDiagnostic[] = [];
  const calls = new Set<CallExpression>();
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
    const tsMessage = flatten(d);
    const node = nodeAt<SourceFile, Node>(sf, d.pos, d.end - d.pos);
    const arg = node ? argumentOf(node) : null;
    if (arg) {
      if (calls.has(arg.call)) continue;
      const { found, uncertain } = callFindings(project, arg.call);
      if (found.length > 0 || uncertain > 0) {
        // Only rule checks failed here: report the certain ones; the uncertain ones are --run's.
        calls.add(arg.call);
        for (const f of found) out.push(ruleDiagnostic(d.code, tsMessage, f));
        continue;
      }
    }
    const member =
      node && (d.code === 2339 || d.code === 2551) ? memberFinding(project.checker, node, stage) : null;
    if (member) {
      out.push(ruleDiagnostic(d.code, tsMessage, member));
      continue;
    }
    const note =
      node && d.code === 2322 && assignsToGfpConstantType(project.checker, node)
        ? GFP_VARIABLE_NOTE
        : undefined;
    out.push(
      diagnosticAt(file, sf.getLineAndCharacterOfPosition(d.pos), stage, d.code, tsMessage, null, note),
    );
  }
  return out;
}

/** `x = …` or `x op= …` where x's type is a GFP constant's (`Gfp<Name>`): the TS2322 of GFP_VARIABLE_NOTE. */
function assignsToGfpConstantType(checker: Checker, node: Node): boolean {
  const parent = node.parent;
  if (!parent || !isBinaryExpression(parent) || (parent as BinaryExpression).left !== node) return false;
  const op = (parent as BinaryExpression).operatorToken.kind;
  if (op < SyntaxKind.FirstAssignment || op > SyntaxKind.LastAssignment) return false;
  const type = checker.getTypeAtLocation(node);
  return (
    type !== undefined &&
    checker.getPropertiesOfType(type).some((s) => (s.escapedName as string).startsWith(GFP_NAME_KEY))
  );
}

const CONFIG = /[\\/]\.memdesc-ts7-(\w+)\.tsconfig\.json$/;

/** The per-stage tsconfig the virtual file system serves: the options of checkerCompilerOptions(). */
function stageConfig(files: readonly string[], stage: Stage): string {
  return JSON.stringify({
    compilerOptions: {
      target: "es2022",
      lib: ["es2022"],
      module: "esnext",
      moduleResolution: "bundler",
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
      paths: apiLocation().paths,
      allowImportingTsExtensions: false,
    },
    files: [...files, stageSelectorFile(stage).name],
  });
}

/**
 * Type-check `files` against each stage with TypeScript 7. Returns the diagnostics per stage, in
 * file and position order, only those located in the user files.
 */
export function compileAgainstStagesTs7(input: CompileInput): Map<Stage, CheckDiagnostic[]> {
  const root = apiLocation().root;
  const files = input.files.map((f) => resolve(f));
  const virtual = new Map<string, string>(
    input.sources ? [...input.sources].map(([k, v]) => [resolve(k), v]) : [],
  );
  const selectors = new Map(input.stages.map((s) => [stageSelectorFile(s).name, stageSelectorFile(s).text]));
  const configs = new Map(input.stages.map((s) => [join(root, `.memdesc-ts7-${s}.tsconfig.json`), s]));
  const api = new API({
    cwd: root,
    fs: {
      readFile: (f) => {
        const m = CONFIG.exec(f);
        if (m && configs.has(resolve(f))) return stageConfig(files, m[1] as Stage);
        const abs = resolve(f);
        return virtual.get(abs) ?? selectors.get(abs);
      },
      fileExists: (f) => {
        const abs = resolve(f);
        return configs.has(abs) || virtual.has(abs) || selectors.has(abs) ? true : undefined;
      },
    },
  });
  try {
    const snapshot = api.updateSnapshot({ openProjects: [...configs.keys()] });
    const result = new Map<Stage, CheckDiagnostic[]>();
    for (const [config, stage] of configs) {
      const project = snapshot.getProject(config);
      if (!project) throw new Error(`TypeScript 7 did not open the ${stage} project`);
      const out: CheckDiagnostic[] = [];
      for (const file of files) {
        const diags = [
          ...project.program.getSyntacticDiagnostics(file),
          ...project.program.getSemanticDiagnostics(file),
        ];
        if (diags.length === 0) continue;
        const sf = project.program.getSourceFile(file);
        if (!sf) continue;
        out.push(...classifyFile(project, sf, file, stage, diags));
      }
      result.set(stage, sortDiagnostics(out));
    }
    return result;
  } finally {
    closeQuietly(api);
  }
}

/**
 * Close the TypeScript 7 API. typescript/unstable/sync's close() releases the snapshots (requests
 * to tsgo), then ends the pipe and SIGTERMs tsgo, whose stderr is ours (stdio "inherit"): shutting
 * down, tsgo sometimes printed "context canceled" under a check's output. So the channel's own
 * close is wrapped to SIGKILL the child first, after the last request, when it has nothing left to
 * say. If the channel's shape changes in a later typescript release, only the SIGKILL is skipped.
 */
function closeQuietly(api: API): void {
  type Channel = { close(): void; child?: { kill(signal: string): boolean } };
  const channel = (api as unknown as { client?: { channel?: Channel } }).client?.channel;
  if (channel && typeof channel.close === "function" && typeof channel.child?.kill === "function") {
    const close = channel.close.bind(channel);
    channel.close = () => {
      channel.child?.kill("SIGKILL");
      close();
    };
  }
  api.close();
}
