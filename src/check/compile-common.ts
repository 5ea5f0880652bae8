/**
 * What both compiler back ends of `memdesc check` share (src/check/compile-ts7.ts, the default,
 * and src/check/compile-ts6.ts): the diagnostic shape, the stage selector, and the parts of the
 * structural classification that are about memdesc, not about a compiler's API.
 */
import { resolve } from "node:path";
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

/**
 * A diagnostic at a 0-based line and character, as both back ends report
 * one: for a rule's finding (read from the checker's types) the finding's
 * sentence is the message; for an ordinary TypeScript error (no finding) the
 * compiler's first line is, with `note` (advice for a known pitfall) after
 * it. The compiler's full text is kept either way.
 */
export function diagnosticAt(
  file: string,
  pos: { readonly line: number; readonly character: number },
  stage: Stage,
  code: number,
  tsMessage: string,
  finding: Finding | null = null,
  note?: string,
): CheckDiagnostic {
  const first = tsMessage.split("\n")[0] ?? tsMessage;
  return {
    file,
    line: pos.line + 1,
    column: pos.character + 1,
    stage,
    code,
    rule: finding ? finding.rule : null,
    message: finding ? renderFinding(finding) : note ? `${first} (${note})` : first,
    tsMessage,
    finding,
  };
}

/** The part of a syntax node both compilers' trees have alike: where it starts and ends, its children. */
export interface SyntaxNode<Sf, N> {
  getStart(sf: Sf): number;
  getEnd(): number;
  forEachChild(visit: (n: N) => void): unknown;
}

/** The innermost node that starts at `pos` and spans `length` (the node a diagnostic points at). */
export function nodeAt<Sf extends SyntaxNode<Sf, N>, N extends SyntaxNode<Sf, N>>(
  sf: Sf,
  pos: number,
  length: number,
): N | undefined {
  let found: N | undefined;
  const visit = (n: N): void => {
    if (n.getStart(sf) <= pos && pos + length <= n.getEnd()) {
      if (n.getStart(sf) === pos) found = n;
      n.forEachChild(visit);
    }
  };
  sf.forEachChild(visit);
  return found;
}

/** Which compiler type-checks: TypeScript 7's native one (default) or TypeScript 6's classic API. */
export type CheckCompiler = "ts7" | "ts6";

export interface CompileInput {
  /** Absolute paths of the user files to check. */
  readonly files: readonly string[];
  readonly stages: readonly Stage[];
  /** In-memory contents that override (or stand in for) files on disk, by absolute path. */
  readonly sources?: ReadonlyMap<string, string>;
  /** Default: `MEMDESC_CHECK_TS=6` selects "ts6", anything else "ts7" (docs/decisions/0804). */
  readonly compiler?: CheckCompiler;
}

/** The virtual root file that selects a stage (same text as stages/<stage>.d.ts). */
export function stageSelectorFile(stage: Stage): { name: string; text: string } {
  return {
    name: resolve(apiLocation().root, "stages", `${stage}.d.ts`),
    text: `interface MemdescStageSelection {\n  stage: "${stage}";\n}\n`,
  };
}

/** The property of `Violation` (src/sim/kernel/checks.ts) that carries the failed checks as data. */
export const FINDINGS_KEY = "__@memdescFindings@";
/** The brand property every memdesc handle and address carries. */
export const BRAND_KEY = "__@memdesc@";
/** The phantom name a GFP constant's type carries: `Gfp<"GFP_KERNEL">` (src/sim/kernel/gfp.ts). */
export const GFP_NAME_KEY = "__@gfpName@";
/**
 * The note on a TS2322 where a mask variable takes a computed mask: `let gfp = GFP_PGTABLE_USER;
 * gfp &= ~__GFP_ACCOUNT;` gives the variable the constant's own type, which no other mask fits.
 */
export const GFP_VARIABLE_NOTE =
  "the variable has the GFP constant's own type; declare it gfp_t, as the C does: let gfp: gfp_t = …";
export const RULE_SET: ReadonlySet<string> = new Set(RULE_IDS);
/** A handle's interface: `struct_<struct>_<stage>`. */
export const HANDLE_INTERFACE = /^struct_(\w+)_(today|interim32|interim16|final)$/;

/**
 * Findings that rest on the ABSENCE of a fact another handle of the same
 * memory could have added (docs/decisions/0020-compile-time-sound-or-silent.md):
 * a split (order), a destructor, PT_kernel, a page type set or cleared. Facts
 * are added to one variable's type; a split through `virt_to_page(addr)`
 * does not reach `addr`. Presence-based findings (freed, kind, compound,
 * kernel owner, an order larger than allocated) stay true through every alias.
 */
export function restsOnAbsence(f: Finding): boolean {
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

/**
 * MD007 for a property access `member` on a handle whose interface is named `typeName`: the
 * stage's struct lacks a member another stage's has (src/model/layouts). Null when the struct
 * has it (or no stage has it); undefined when `typeName` is not a handle's struct.
 */
export function missingMemberFinding(
  typeName: string,
  member: string,
  stage: Stage,
): Finding | null | undefined {
  const m = HANDLE_INTERFACE.exec(typeName);
  if (!m) return undefined;
  const struct = m[1]!;
  if (!(LAYOUT_STRUCTS as readonly string[]).includes(struct)) return undefined;
  const s = struct as LayoutStruct;
  if (hasField(stage, s, member) || !STAGES.some((other) => hasField(other, s, member))) return null;
  return { rule: "MD007", op: `${struct}->${member}`, pfn: null, fields: { struct, member, stage } };
}

/** Diagnostics per stage in file and position order. */
export function sortDiagnostics(out: CheckDiagnostic[]): CheckDiagnostic[] {
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}
