/**
 * The compile-time half of `memdesc check`: type-check user files against the
 * memdesc API at one or more stages, one compiler program per stage, sharing
 * parsed source files between the programs, and turn TypeScript diagnostics
 * into memdesc diagnostics.
 *
 * A diagnostic is a memdesc rule violation when the compiler's message
 * carries a rule sentence ("MD002 __free_pages: …", produced by the API's
 * types) or when it is the compiler's own "Property 'lru' does not exist on
 * type 'struct_page_final<…>'" (MD007: the stage's layout has no such
 * member). Everything else is an ordinary TypeScript error, reported as such.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import ts from "@typescript/typescript6";
import { type RuleId, ruleIdIn } from "../model/rules.js";
import type { Stage } from "../model/stage.js";
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

const MEMBER_MISSING =
  /Property '([^']+)' does not exist on type '(?:[^']*?)struct_(page|folio|ptdesc|slab|zpdesc)_(today|interim32|interim16|final)\b/;

/** Map one compiler diagnostic on a user file to a memdesc diagnostic. */
export function classify(d: ts.Diagnostic, stage: Stage): Omit<CheckDiagnostic, "file" | "line" | "column"> {
  const tsMessage = ts.flattenDiagnosticMessageText(d.messageText, "\n");
  // The broken rule is the one the compiler says is missing or not assignable *to* — the innermost
  // elaboration. (The argument's own type may already carry sentences from earlier failed calls.)
  const wanted =
    /Property '"(MD\d{3} [^"]*)"' is missing/.exec(tsMessage) ??
    /is missing the following properties from type [^:]*: "(MD\d{3} [^"]*)"/.exec(tsMessage) ??
    /not assignable to (?:type|parameter of type) '"(MD\d{3} [^"]*)"'/.exec(tsMessage) ??
    /not assignable to (?:type|parameter of type) 'Violation<"(MD\d{3} [^"]*)">'/.exec(tsMessage);
  const sentence =
    wanted?.[1] ?? (d.code === 2345 || d.code === 2322 ? null : /"(MD\d{3} [^"]*)"/.exec(tsMessage)?.[1]);
  const rule = sentence ? ruleIdIn(sentence) : null;
  if (rule && sentence) return { stage, code: d.code, rule, message: sentence.trim(), tsMessage };
  const missing = d.code === 2339 || d.code === 2551 ? MEMBER_MISSING.exec(tsMessage) : null;
  if (missing) {
    const [, member, struct, where] = missing;
    return {
      stage,
      code: d.code,
      rule: "MD007",
      message: `MD007 struct ${struct} has no member '${member}' at stage ${where}`,
      tsMessage,
    };
  }
  return { stage, code: d.code, rule: null, message: tsMessage.split("\n")[0] ?? tsMessage, tsMessage };
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
      for (const d of diags) {
        if (d.file === undefined || d.start === undefined) continue;
        const pos = d.file.getLineAndCharacterOfPosition(d.start);
        out.push({ file, line: pos.line + 1, column: pos.character + 1, ...classify(d, stage) });
      }
    }
    out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
    result.set(stage, out);
  }
  return result;
}
