/**
 * Kernel C → TypeScript against memdesc/sim (docs/c-frontend.md).
 *
 * Every name memdesc/sim exports maps to itself with the C argument order;
 * handle-typed C variables carry the API's handle types; control flow is
 * kept path for path (goto error paths become labelled blocks and loops,
 * docs/decisions/0601); everything else is opaque — an `__opaque()` call
 * that keeps no compile-time facts about the handles it is given and does
 * nothing at run time but report itself. One `// file.c:LINE` comment per
 * statement; marks map every diagnostic back to the C position.
 */
import { basename } from "node:path";
import * as sim from "../sim/index.js";
import type { KernelConfig } from "./config.js";
import { makeConfig } from "./config.js";
import { cat, type Frag, frag, join, type LineMarks, mapBack } from "./frag.js";
import { type Node, parseC } from "./parse.js";
import { preprocess } from "./preprocess.js";
import {
  CONTAINER_MACROS,
  DECLARING_MACROS,
  ERRNO,
  FOLDED_CONSTANTS,
  HANDLE_STRUCTS,
  IDENTITY_MACROS,
  INITIALIZER_MACROS,
  ITERATOR_MACROS,
  ORDER_FUNCTIONS,
  RETURNS,
} from "./tables.js";
import {
  type CType,
  ctypeOf,
  NUMBER,
  OPAQUE,
  readDeclarator,
  specifierText,
  tsType,
  tsTypeNames,
} from "./types.js";

/** The names memdesc/sim exports as values, read from the module itself (so new kernel names appear by themselves). */
export const SIM_NAMES: ReadonlySet<string> = new Set(Object.keys(sim));
const GFP_NAMES: ReadonlySet<string> = new Set(Object.keys(sim.GFP_DEFINITIONS));
const SIM_VALUES = sim as unknown as Record<string, unknown>;

export interface OpaqueUse {
  readonly line: number;
  /** What was not modelled: "call foo()", "value FOO", "store *pte = …", "untranslated statement". */
  readonly what: string;
}

export interface FunctionInfo {
  readonly name: string;
  readonly line: number;
  /** The line of the closing brace. */
  readonly endLine: number;
  /** Translated without an untranslated statement or a degraded body. */
  readonly full: boolean;
}

export interface Translation {
  /** The TypeScript program. */
  readonly ts: string;
  readonly opaque: readonly OpaqueUse[];
  readonly functions: readonly FunctionInfo[];
  /** Per TS line (index 0 = line 1): marks to C positions. */
  readonly lines: readonly LineMarks[];
  /** Map a TS position (1-based) to the C file's position. */
  mapPosition(line: number, column: number): { line: number; column: number };
}

export interface TranslateOptions {
  /** The C file's name as comments and messages show it. */
  readonly fileName: string;
  readonly config?: KernelConfig;
  /** C lines whose statements are translated as opaque (the repair pass of docs/decisions/0602). */
  readonly degrade?: ReadonlySet<number>;
  /** Functions emitted with an opaque body (the repair pass's last resort). */
  readonly degradeFunctions?: ReadonlySet<string>;
}

const RESERVED = new Set(
  "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await arguments eval of any number string boolean object symbol undefined never unknown".split(
    " ",
  ),
);
const HELPERS = new Set(["__opaque", "__value", "__forget", "__then", "__OPAQUE", "__opaqueObject"]);

function tsName(c: string): string {
  return RESERVED.has(c) || HELPERS.has(c) ? `${c}_` : c;
}

interface Var {
  readonly ts: string;
  readonly type: CType;
}

interface Expr {
  readonly f: Frag;
  readonly t: CType;
  /** An integer the compiler can see (a literal after folding). */
  readonly k?: number;
  /** A GFP mask as C-syntax terms ("GFP_KERNEL", "${gfp}"). */
  readonly gfp?: readonly string[];
  /** A call of a memdesc/sim function that returns no handle (its TypeScript type may be boolean or number). */
  readonly simCall?: true;
  /** The value is a mask written as C text (a string for the API's GFP reader), not a number. */
  readonly gfpText?: true;
  /** A member the API's type does not have (`mm->pgd`, `head->prev`): an opaque value, not a place to store to. */
  readonly opaqueMember?: true;
}

/** C integer types narrower than 64 bits: a local of one without an initialiser starts at 0. */
const NARROW_INT =
  /^(?:(?:un)?signed\s+)?(?:int|short|char|short\s+int)$|^(?:unsigned|signed)$|^(?:__)?[us](?:8|16|32)$/;

/** A kernel loop macro's name (the preprocessor rewrites `m(args) body` to `for (m(args);;) body`). */
const LOOP_MACRO = /for_?each/;

const pos = (n: Node) => ({ line: n.startPosition.row + 1, column: n.startPosition.column + 1 });
const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();
const short = (s: string) => {
  const t = oneLine(s);
  return t.length > 60 ? `${t.slice(0, 57)}…` : t;
};

class FunctionScope {
  /** The C return type (returns are coerced between bool and integers, as C converts them). */
  ret: CType = OPAQUE;
  /** int (not long) locals started at 0: a memdesc/sim call's value given to one is converted with Number(). */
  readonly narrow = new Set<string>();
  /** Names that must be `let` (assigned after declaration, forgotten, hoisted). */
  readonly lets = new Set<string>();
  readonly scopes: Map<string, Var>[] = [new Map()];
  /** Label → how a goto reaches it at the current point of emission. */
  readonly gotoMode = new Map<string, string>();
  /** Depth of synthetic loops (backward-goto wrappers) without a C loop or switch inside. */
  bareSynthetic = 0;
  failed: string | null = null;
  untranslated = 0;
  lookup(name: string): Var | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const v = this.scopes[i]!.get(name);
      if (v) return v;
    }
    return undefined;
  }
  declare(name: string, type: CType): Var {
    const v = { ts: tsName(name), type };
    this.scopes[this.scopes.length - 1]!.set(name, v);
    return v;
  }
}

interface OutLine {
  indent: number;
  f: Frag;
  comment: string;
}

export class Translator {
  private readonly out: OutLine[] = [];
  private readonly opaque: OpaqueUse[] = [];
  private readonly functionsInfo: FunctionInfo[] = [];
  private readonly usedSim = new Set<string>();
  private readonly usedTypes = new Set<string>();
  private readonly usedHelpers = new Set<string>();
  private readonly fileFunctions = new Map<string, CType>();
  private readonly globals = new Map<string, Var>();
  private readonly enums = new Map<string, number>();
  private defines: ReadonlyMap<string, string> = new Map();
  private fs: FunctionScope | null = null;
  private degrading = false;
  private indent = 0;
  private readonly base: string;

  constructor(private readonly opts: TranslateOptions) {
    this.base = basename(opts.fileName);
  }

  async run(source: string): Promise<Translation> {
    const cfg = this.opts.config ?? makeConfig();
    const pre = preprocess(source, cfg);
    this.defines = pre.defines;
    const tree = await parseC(pre.text);
    const root = tree.rootNode;
    // First pass: the file's own functions and enum constants (callable before their definition, as in C).
    for (const n of root.namedChildren) {
      if (!n) continue;
      if (n.type === "function_definition") {
        const d = readDeclarator(n.childForFieldName("declarator"));
        if (d.name) this.fileFunctions.set(d.name, this.returnType(n, d));
      }
      this.collectEnums(n);
    }
    const machine = /\/\*\s*memdesc-machine:\s*(\{[\s\S]*?\})\s*\*\//.exec(source);
    if (machine) {
      let ok = true;
      try {
        JSON.parse(machine[1]!);
      } catch {
        ok = false;
      }
      const line = source.slice(0, machine.index).split("\n").length;
      if (ok) this.line(frag(`export const machine = ${oneLine(machine[1]!)};`, { line, column: 1 }), line);
      else this.note(line, "memdesc-machine comment that is not JSON");
    }
    for (const n of root.namedChildren) if (n) this.topLevel(n);
    tree.delete();
    return this.finish(pre.shifts);
  }

  // ---------------------------------------------------------------------------------------------
  // Output

  private line(f: Frag | string, cLine: number | null): void {
    const fr = typeof f === "string" ? frag(f) : f;
    this.out.push({ indent: this.indent, f: fr, comment: cLine ? ` // ${this.base}:${cLine}` : "" });
  }

  private note(line: number, what: string): void {
    this.opaque.push({ line, what });
  }

  private sim(name: string): string {
    this.usedSim.add(name);
    return name;
  }

  private helper(name: string): string {
    this.usedHelpers.add(name);
    return name;
  }

  private finish(shifts: ReadonlyMap<number, readonly { at: number; delta: number }[]>): Translation {
    const head: string[] = [
      `// Translated from ${this.base} by \`memdesc translate\` (docs/c-frontend.md). Each statement ends with`,
      "// the C line it came from; findings are reported at those lines.",
    ];
    if (this.opaque.length > 0) {
      head.push(
        `// Opaque (${this.opaque.length}; not modelled: no compile-time facts kept, a reported no-op at run time):`,
      );
      for (const o of this.opaque) head.push(`//   ${this.base}:${o.line}  ${o.what}`);
    } else head.push("// Opaque: none.");
    const typeImports = [...this.usedTypes].sort().map((t) => `type ${t}`);
    const names = [...[...this.usedSim].sort(), ...typeImports];
    if (names.length > 0) head.push(`import { ${names.join(", ")} } from "memdesc/sim";`);
    head.push("");
    const lines: LineMarks[] = head.map(() => ({ marks: [] }));
    const text: string[] = [...head];
    for (const o of this.out) {
      const pad = "  ".repeat(o.indent);
      text.push(pad + o.f.s + o.comment);
      lines.push({
        marks: o.f.m.map(([off, l, c]) => [off + pad.length, l, unshift(shifts, l, c)] as const),
      });
    }
    const helpers = helperSource(this.usedHelpers);
    if (helpers.length > 0) text.push("", ...helpers);
    return {
      ts: `${text.join("\n")}\n`,
      opaque: this.opaque,
      functions: this.functionsInfo,
      lines,
      mapPosition: (l, c) => mapBack(lines, l, c),
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Top level

  private collectEnums(n: Node): void {
    const walk = (x: Node) => {
      if (x.type === "enum_specifier") {
        const body = x.childForFieldName("body");
        let next = 0;
        for (const e of body?.namedChildren ?? []) {
          if (e?.type !== "enumerator") continue;
          const v = e.childForFieldName("value");
          const k = v ? this.constValue(v) : next;
          if (k === undefined) break;
          this.enums.set(e.childForFieldName("name")!.text, k);
          next = k + 1;
        }
      }
      for (const c of x.namedChildren) if (c && c.type !== "compound_statement") walk(c);
    };
    walk(n);
  }

  private returnType(fn: Node, d: { pointers: number; array: boolean }): CType {
    return ctypeOf(specifierText(fn.childForFieldName("type")), {
      pointers: d.pointers,
      array: d.array,
      fn: false,
    });
  }

  private topLevel(n: Node): void {
    const at = pos(n);
    switch (n.type) {
      case "function_definition":
        this.functionDef(n);
        return;
      case "declaration":
        this.globalDecl(n);
        return;
      case "comment":
      case "type_definition":
      case "struct_specifier":
      case "union_specifier":
      case "enum_specifier":
        return;
      case "expression_statement": {
        const call = n.namedChild(0);
        const name = call?.type === "call_expression" ? call.childForFieldName("function")?.text : undefined;
        const arg = call?.childForFieldName("arguments")?.namedChild(0);
        if (name && DECLARING_MACROS.has(name) && arg?.type === "identifier") {
          this.globals.set(arg.text, { ts: tsName(arg.text), type: { kind: "listValue" } });
          this.line(cat(`const ${tsName(arg.text)} = `, frag(this.sim(name), at), "();"), at.line);
          return;
        }
        this.note(at.line, `top-level ${short(n.text)}`);
        return;
      }
      default:
        if (n.text.trim() !== "" && n.text.trim() !== ";") this.note(at.line, `top-level ${short(n.text)}`);
    }
  }

  private globalDecl(n: Node): void {
    const at = pos(n);
    const spec = specifierText(n.childForFieldName("type"));
    for (const dn of n.childrenForFieldName("declarator")) {
      if (!dn) continue;
      const d = readDeclarator(dn);
      if (!d.name) continue;
      if (DECLARING_MACROS.has(spec) && dn.type === "parenthesized_declarator") {
        // `static LIST_HEAD(name);` parses as a declaration of `name` with the type LIST_HEAD.
        this.globals.set(d.name, { ts: tsName(d.name), type: { kind: "listValue" } });
        this.line(cat(`const ${tsName(d.name)} = `, frag(this.sim(spec), at), "();"), at.line);
        continue;
      }
      if (d.fn && !dn.text.includes("(*") && dn.type !== "init_declarator") {
        // `static LIST_HEAD(name);` parses as a declaration of a function named LIST_HEAD.
        const macro = d.name;
        const arg = d.params?.namedChild(0);
        if (DECLARING_MACROS.has(macro) && arg) {
          const name = arg.text.trim();
          this.globals.set(name, { ts: tsName(name), type: { kind: "listValue" } });
          this.line(cat(`const ${tsName(name)} = `, frag(this.sim(macro), at), "();"), at.line);
        }
        continue; // a prototype
      }
      const t = ctypeOf(spec, d);
      const v = { ts: tsName(d.name), type: t };
      this.globals.set(d.name, v);
      const value = dn.type === "init_declarator" ? dn.childForFieldName("value") : null;
      const ty = tsType(t, true);
      for (const tn of tsTypeNames(t)) this.usedTypes.add(tn);
      let init: Frag;
      if (t.kind === "listValue") init = cat(this.sim("LIST_HEAD"), "()");
      else if (!value) init = frag(t.kind === "number" ? "0" : t.kind === "bool" ? "false" : "null");
      else if (
        value.type === "initializer_list" &&
        !this.opts.degrade?.has(at.line) &&
        Object.keys(INITIALIZER_MACROS).some((m) => new RegExp(`\\b${m}\\s*\\(`).test(value.text))
      ) {
        // A static object holding list heads or work items (mm/pgtable-generic.c's kernel_pgtable_work):
        // member by member, so the lists and the work item are real at run time.
        this.fs = new FunctionScope();
        init = this.initializer(value, true);
        this.fs = null;
      } else if (value.type === "initializer_list" || this.opts.degrade?.has(at.line)) {
        init = this.opaqueValue(
          value,
          value.type === "initializer_list" ? "initializer" : "untranslated initializer",
        );
      } else {
        this.fs = new FunctionScope();
        init = this.coerce(this.expr(value), t);
        this.fs = null;
      }
      this.line(cat(frag(`let ${v.ts}: ${ty === "void" ? "any" : ty} = `, at), init, ";"), at.line);
    }
  }

  private functionDef(n: Node): void {
    const at = pos(n);
    const d = readDeclarator(n.childForFieldName("declarator"));
    if (!d.name) {
      this.note(at.line, `function with an unreadable declarator: ${short(n.text.split("{")[0] ?? "")}`);
      return;
    }
    const ret = this.fileFunctions.get(d.name) ?? OPAQUE;
    const fs = new FunctionScope();
    fs.ret = ret;
    this.fs = fs;
    const params: string[] = [];
    let i = 0;
    for (const p of d.params?.namedChildren ?? []) {
      if (!p) continue;
      if (p.type === "variadic_parameter") {
        params.push("..._va: any[]");
        continue;
      }
      if (p.type !== "parameter_declaration") continue;
      const pd = readDeclarator(p.childForFieldName("declarator"));
      const spec = specifierText(p.childForFieldName("type"));
      if (!pd.name && pd.pointers === 0 && spec === "void") continue;
      const t = ctypeOf(spec, pd);
      const v = fs.declare(pd.name ?? `_arg${i}`, t);
      for (const tn of tsTypeNames(t)) this.usedTypes.add(tn);
      params.push(`${v.ts}: ${tsType(t, false)}`);
      i++;
    }
    for (const tn of tsTypeNames(ret)) this.usedTypes.add(tn);
    const body = n.childForFieldName("body");
    const retTs = ret.kind === "void" ? "void" : tsType(ret, true);
    // A `void *` function (vmemmap_alloc_block(), alloc_low_pages()) returns what its body
    // returns — often page_address() of a page: the compiler infers it, so virt_to_page() of the
    // result keeps a page's type instead of `any`'s.
    const header =
      ret.kind === "opaque" && ret.text === "void *"
        ? `export function ${tsName(d.name)}(${params.join(", ")}) {`
        : `export function ${tsName(d.name)}(${params.join(", ")}): ${retTs} {`;
    const start = this.out.length;
    const degraded = this.opts.degradeFunctions?.has(d.name) ?? false;
    if (body && !degraded) {
      this.prescan(body);
      this.line(frag(header, at), at.line);
      this.indent++;
      this.block(body.namedChildren.filter((c): c is Node => c !== null));
      this.indent--;
      this.line("}", null);
    }
    if (degraded || fs.failed) {
      // The body could not be kept path for path: an opaque body instead, named in the opaque list.
      this.out.length = start;
      this.note(at.line, `function ${d.name}: body not translated (${fs.failed ?? "does not type-check"})`);
      this.line(frag(header, at), at.line);
      this.line(
        cat("  return ", this.helper("__opaque"), `(${JSON.stringify(`function ${d.name}`)});`),
        at.line,
      );
      this.line("}", null);
    }
    this.functionsInfo.push({
      name: d.name,
      line: at.line,
      endLine: n.endPosition.row + 1,
      full: !degraded && !fs.failed && fs.untranslated === 0,
    });
    this.fs = null;
  }

  /** Which locals must be `let`: assigned after their declaration, address taken, passed where facts are dropped. */
  private prescan(body: Node): void {
    const fs = this.fs!;
    const declared = new Set<string>();
    const walk = (x: Node) => {
      switch (x.type) {
        case "init_declarator":
          break;
        case "declaration":
          if (
            misparsedStatement(x) &&
            x.childrenForFieldName("declarator").some((dn) => {
              const d = readDeclarator(dn);
              return !d.name || (d.fn && !dn?.text.includes("(*"));
            })
          )
            for (const id of x.text.match(/\b[A-Za-z_]\w*\b/g) ?? []) fs.lets.add(id);
          for (const dn of x.childrenForFieldName("declarator")) {
            if (dn?.type !== "init_declarator") {
              const nm = readDeclarator(dn).name;
              if (nm) fs.lets.add(nm);
            }
            const nm = readDeclarator(dn).name;
            if (nm) {
              if (declared.has(nm)) fs.lets.add(nm);
              declared.add(nm);
            }
          }
          break;
        case "assignment_expression":
        case "update_expression": {
          const l = x.childForFieldName(x.type === "assignment_expression" ? "left" : "argument");
          if (l?.type === "identifier") fs.lets.add(l.text);
          break;
        }
        case "pointer_expression":
          if (x.child(0)?.type === "&" && x.childForFieldName("argument")?.type === "identifier")
            fs.lets.add(x.childForFieldName("argument")!.text);
          break;
        case "call_expression": {
          const callee = x.childForFieldName("function");
          if (callee?.type !== "identifier" || this.dropsFacts(callee.text)) {
            for (const id of identifiers(x.childForFieldName("arguments"))) fs.lets.add(id);
          }
          break;
        }
        case "labeled_statement": {
          // Declarations from the block's first goto or label on are hoisted (docs/decisions/0601):
          // they become let. Those before it stay as written (see block()).
          const siblings = (x.parent?.namedChildren ?? []).filter((c): c is Node => c !== null);
          const first = siblings.findIndex((c) => c.type === "labeled_statement" || hasAnyGoto(c));
          for (const c of siblings.slice(first))
            if (c.type === "declaration")
              for (const dn of c.childrenForFieldName("declarator")) {
                const nm = readDeclarator(dn).name;
                if (nm) fs.lets.add(nm);
              }
          break;
        }
        default:
          break;
      }
      if (this.opts.degrade?.has(x.startPosition.row + 1) && isStatement(x))
        for (const id of identifiers(x)) fs.lets.add(id);
      for (const c of x.namedChildren) if (c) walk(c);
    };
    walk(body);
  }

  /** Calls after which compile-time facts about the handles passed are dropped: opaque calls and the file's own functions. */
  private dropsFacts(name: string): boolean {
    if (IDENTITY_MACROS.has(name) || CONTAINER_MACROS.has(name) || name in ITERATOR_MACROS) return false;
    if (SIM_NAMES.has(name) && !this.fileFunctions.has(name)) return false;
    return true;
  }

  // ---------------------------------------------------------------------------------------------
  // Statements

  private block(children: readonly Node[]): void {
    const fs = this.fs!;
    fs.scopes.push(new Map());
    const labelAt: { name: string; index: number }[] = [];
    children.forEach((c, index) => {
      let x: Node | null = c;
      while (x?.type === "labeled_statement") {
        labelAt.push({ name: x.childForFieldName("label")!.text, index });
        x = x.namedChildren.find((k) => k && k.type !== "statement_identifier") ?? null;
      }
    });
    if (labelAt.length > 0) {
      // What comes before the first goto or label runs before any jump, so it stays outside the
      // labelled blocks, its declarations as written: `struct page *page = alloc_pages(…)` keeps its
      // initializer, which the checker needs to know `page` is the memory's only handle (decisions
      // 0020, 0601). Moving the blocks' opening past statements that cannot jump changes no path.
      const first = children.findIndex((c) => c.type === "labeled_statement" || hasAnyGoto(c));
      for (let i = 0; i < first; i++) this.statement(children[i]!);
      // Hoist the rest of the block's declarations: C declarations stay visible across labels, TS blocks would scope them.
      const hoisted: string[] = [];
      for (const c of children.slice(first))
        if (c.type === "declaration") {
          this.hoistedDecls.add(c.id);
          const spec = specifierText(c.childForFieldName("type"));
          for (const dn of c.childrenForFieldName("declarator")) {
            const d = readDeclarator(dn);
            if (d.name && !d.fn) {
              const t = ctypeOf(spec, d);
              const narrow = t.kind === "number" && NARROW_INT.test(spec);
              hoisted.push(narrow ? `${tsName(d.name)} = 0` : tsName(d.name));
              const v = fs.declare(d.name, t);
              if (narrow) fs.narrow.add(v.ts);
            }
          }
        }
      if (hoisted.length > 0)
        this.line(`let ${[...new Set(hoisted)].join(", ")};`, pos(children[first]!).line);
      this.region(children, first, children.length, labelAt, true);
    } else for (const c of children) this.statement(c);
    fs.scopes.pop();
  }

  /** Children [from, to) holding the labels `labels` (each at its index): forward gotos break, backward ones continue. */
  private region(
    children: readonly Node[],
    from: number,
    to: number,
    labels: readonly { name: string; index: number }[],
    _top: boolean,
  ): void {
    const fs = this.fs!;
    const inside = labels.filter((l) => l.index >= from && l.index < to);
    if (inside.length === 0) {
      for (let i = from; i < to; i++) this.statement(children[i]!);
      return;
    }
    const lastIndex = inside[inside.length - 1]!.index;
    const at = inside.filter((l) => l.index === lastIndex);
    const before = children.slice(from, lastIndex);
    const after = children.slice(lastIndex, to);
    const forward = at.filter((l) => before.some((c) => hasGoto(c, l.name)));
    const backward = at.filter((l) => after.some((c) => hasGoto(c, l.name)));
    const openLine = pos(children[from]!).line;
    for (const l of forward) {
      this.line(`${tsName(l.name)}: {`, openLine);
      this.indent++;
      fs.gotoMode.set(l.name, `break ${tsName(l.name)};`);
    }
    this.region(children, from, lastIndex, labels, false);
    for (const l of [...forward].reverse()) {
      this.indent--;
      this.line("}", null);
      fs.gotoMode.delete(l.name);
    }
    if (backward.length > 0) {
      const names = backward.map((l) => `${tsName(l.name)}_again`);
      this.line(`${names.join(": ")}: for (;;) {`, pos(children[lastIndex]!).line);
      this.indent++;
      for (const l of backward) fs.gotoMode.set(l.name, `continue ${tsName(l.name)}_again;`);
      fs.bareSynthetic++;
    }
    for (let i = lastIndex; i < to; i++) this.statement(children[i]!);
    if (backward.length > 0) {
      fs.bareSynthetic--;
      this.line("break;", null);
      this.indent--;
      this.line("}", null);
      for (const l of backward) fs.gotoMode.delete(l.name);
    }
  }

  private statement(n: Node): void {
    const fs = this.fs!;
    const at = pos(n);
    const degrade = this.opts.degrade?.has(at.line) ?? false;
    const wasDegrading = this.degrading;
    if (degrade && n.type !== "compound_statement" && n.type !== "labeled_statement") this.degrading = true;
    try {
      this.statementInner(n, at);
    } finally {
      this.degrading = wasDegrading;
    }
    void fs;
  }

  private statementInner(n: Node, at: { line: number; column: number }): void {
    const fs = this.fs!;
    switch (n.type) {
      case "comment":
        return;
      case "compound_statement":
        this.line("{", null);
        this.indent++;
        this.block(n.namedChildren.filter((c): c is Node => c !== null));
        this.indent--;
        this.line("}", null);
        return;
      case "labeled_statement": {
        const inner = n.namedChildren.find((k) => k && k.type !== "statement_identifier");
        if (inner) this.statement(inner);
        return;
      }
      case "declaration":
        this.localDecl(n);
        return;
      case "expression_statement": {
        const e = n.namedChild(0);
        if (!e) return;
        if (this.declaringMacro(e, at)) return;
        this.exprStatement(e, at);
        return;
      }
      case "if_statement": {
        const cond = this.condition(n.childForFieldName("condition"));
        this.line(cat("if (", cond, ") {"), at.line);
        this.body(n.childForFieldName("consequence"));
        const alt = n.childForFieldName("alternative");
        if (alt) {
          const inner = alt.type === "else_clause" ? alt.namedChild(0) : alt;
          this.line("} else {", inner ? pos(inner).line : null);
          this.body(inner);
        }
        this.line("}", null);
        return;
      }
      case "while_statement": {
        const cond = this.condition(n.childForFieldName("condition"));
        this.loop(() => this.line(cat("while (", cond, ") {"), at.line), n.childForFieldName("body"));
        return;
      }
      case "do_statement": {
        this.loop(() => this.line("do {", at.line), n.childForFieldName("body"));
        const c = n.childForFieldName("condition");
        // The loop() closed the brace; re-open the last line to add the condition.
        const last = this.out.pop()!;
        void last;
        this.line(cat("} while (", this.condition(c), ");"), c ? pos(c).line : at.line);
        return;
      }
      case "for_statement":
        this.forStatement(n, at);
        return;
      case "switch_statement": {
        const cond = this.condition(n.childForFieldName("condition"));
        this.line(cat("switch (", cond, ") {"), at.line);
        this.indent++;
        const saved = fs.bareSynthetic;
        fs.bareSynthetic = 0;
        fs.scopes.push(new Map());
        for (const c of n.childForFieldName("body")?.namedChildren ?? []) {
          if (!c) continue;
          if (c.type !== "case_statement") {
            this.statement(c);
            continue;
          }
          const v = c.childForFieldName("value");
          this.line(v ? cat("case ", this.expr(v).f, ":") : "default:", pos(c).line);
          this.indent++;
          const stmts = c.namedChildren.filter((k): k is Node => k !== null && k.id !== v?.id);
          this.block(stmts);
          this.indent--;
        }
        fs.scopes.pop();
        fs.bareSynthetic = saved;
        this.indent--;
        this.line("}", null);
        return;
      }
      case "break_statement":
      case "continue_statement":
        if (fs.bareSynthetic > 0)
          fs.failed ??= `${n.type === "break_statement" ? "break" : "continue"} inside a goto loop`;
        this.line(frag(n.type === "break_statement" ? "break;" : "continue;", at), at.line);
        return;
      case "return_statement": {
        const v = n.namedChild(0);
        if (!v) {
          this.line(frag("return;", at), at.line);
          return;
        }
        const e = this.expr(v);
        this.line(cat(frag("return ", at), this.coerce(e, fs.ret), ";"), at.line);
        return;
      }
      case "goto_statement": {
        const label = n.childForFieldName("label")!.text;
        const mode = fs.gotoMode.get(label);
        if (!mode) {
          fs.failed ??= `goto ${label} that is not a forward jump in its block or a backward loop`;
          this.line(frag("return;", at), at.line);
          return;
        }
        this.line(cat(frag(mode, at), ` // goto ${label}`), at.line);
        return;
      }
      case "attributed_statement": {
        const inner = n.namedChildren.find((k) => k && k.type !== "attribute_declaration");
        if (inner) this.statement(inner);
        return;
      }
      default:
        if (n.type === ";" || n.text.trim() === ";" || n.text.trim() === "") return;
        fs.untranslated++;
        this.note(
          at.line,
          `untranslated ${n.type === "ERROR" ? "C (parse error)" : n.type}: ${short(n.text)}`,
        );
        this.line(
          cat(this.helper("__opaque"), `(${JSON.stringify(`untranslated: ${short(n.text)}`)});`),
          at.line,
        );
    }
  }

  private body(n: Node | null): void {
    this.indent++;
    if (n?.type === "compound_statement") this.block(n.namedChildren.filter((c): c is Node => c !== null));
    else if (n) {
      this.fs!.scopes.push(new Map());
      this.statement(n);
      this.fs!.scopes.pop();
    }
    this.indent--;
  }

  private loop(open: () => void, body: Node | null): void {
    const fs = this.fs!;
    open();
    const saved = fs.bareSynthetic;
    fs.bareSynthetic = 0;
    this.body(body);
    fs.bareSynthetic = saved;
    this.line("}", null);
  }

  private forStatement(n: Node, at: { line: number; column: number }): void {
    const fs = this.fs!;
    const init = n.childForFieldName("initializer");
    const cond = n.childForFieldName("condition");
    const update = n.childForFieldName("update");
    const callee = init?.type === "call_expression" ? init.childForFieldName("function")?.text : undefined;
    const it = callee ? ITERATOR_MACROS[callee] : undefined;
    if (init && it && !cond && !update) {
      const args =
        init.childForFieldName("arguments")?.namedChildren.filter((a): a is Node => a !== null) ?? [];
      const p = args[it.pos];
      const head = args[it.head];
      const member = args[it.member];
      const pv = p?.type === "identifier" ? fs.lookup(p.text) : undefined;
      if (args.length === it.arity && pv?.type.kind === "handle" && head && member?.type === "identifier") {
        fs.scopes.push(new Map());
        const inner = fs.declare(p!.text, pv.type);
        const h = this.expr(head);
        this.loop(
          () =>
            this.line(
              cat(
                `for (let ${inner.ts} of `,
                frag(this.sim("list_for_each_entry_safe"), pos(init)),
                "(",
                h.f,
                `, ${JSON.stringify(pv.type.kind === "handle" ? pv.type.struct : "page")}, `,
                frag(JSON.stringify(member.text), pos(member)),
                ")) {",
              ),
              at.line,
            ),
          n.childForFieldName("body"),
        );
        fs.scopes.pop();
        return;
      }
    }
    if (init?.type === "call_expression" && callee && !cond && !update && (it || LOOP_MACRO.test(callee))) {
      // A loop macro memdesc does not walk (for_each_possible_cpu, list_for_each_entry over a
      // struct that is not a handle, …): the body runs an unknown number of times with its
      // handle arguments unknown on every pass (docs/decisions/0610). At run time no pass runs.
      const args =
        init.childForFieldName("arguments")?.namedChildren.filter((a): a is Node => a !== null) ?? [];
      this.pendingForget = [];
      const call = this.opaqueCall(init, `loop ${callee}()`, args).f;
      const names = [...new Set(this.pendingForget)];
      this.pendingForget = [];
      const forget = this.helper("__forget");
      const head =
        names.length === 0
          ? call
          : cat(this.helper("__then"), "(", call, ...names.map((x) => `, (${x} = ${forget}(${x}))`), ")");
      this.loop(() => {
        this.line(cat("for (const _ of ", head, ") {"), at.line);
        if (names.length > 0) {
          this.indent++;
          this.line(names.map((x) => `${x} = ${forget}(${x});`).join(" "), at.line);
          this.indent--;
        }
      }, n.childForFieldName("body"));
      return;
    }
    fs.scopes.push(new Map());
    let initF: Frag = frag("");
    if (init?.type === "declaration") {
      const parts: Frag[] = [];
      const spec = specifierText(init.childForFieldName("type"));
      for (const dn of init.childrenForFieldName("declarator")) {
        const d = readDeclarator(dn);
        if (!d.name) continue;
        const v = fs.declare(d.name, ctypeOf(spec, d));
        const value = dn?.type === "init_declarator" ? dn.childForFieldName("value") : null;
        parts.push(value ? cat(`${v.ts} = `, this.expr(value).f) : frag(v.ts));
      }
      initF = cat("let ", join(parts, ", "));
    } else if (init) initF = this.exprList(init);
    const condF = cond ? this.condition(cond) : frag("");
    const updF = update ? this.exprList(update) : frag("");
    this.loop(
      () => this.line(cat("for (", initF, "; ", condF, "; ", updF, ") {"), at.line),
      n.childForFieldName("body"),
    );
    fs.scopes.pop();
  }

  private exprList(n: Node): Frag {
    if (n.type === "comma_expression") {
      return cat(
        this.exprList(n.childForFieldName("left")!),
        ", ",
        this.exprList(n.childForFieldName("right")!),
      );
    }
    return this.sideEffect(n).f;
  }

  private condition(n: Node | null): Frag {
    if (!n) return frag("true");
    const inner = n.type === "parenthesized_expression" ? n.namedChild(0) : n;
    if (!inner) return frag("true");
    this.pendingForget = [];
    const f = inner.type === "comma_expression" ? this.exprList(inner) : this.expr(inner).f;
    const names = [...new Set(this.pendingForget)];
    this.pendingForget = [];
    if (names.length === 0) return f;
    // An opaque call in a condition: the facts are dropped on both branches, after the value is taken.
    const forget = this.helper("__forget");
    return cat(this.helper("__then"), "(", f, ...names.map((x) => `, (${x} = ${forget}(${x}))`), ")");
  }

  private declaringMacro(e: Node, at: { line: number; column: number }): boolean {
    if (e.type !== "call_expression") return false;
    const name = e.childForFieldName("function")?.text ?? "";
    const arg = e.childForFieldName("arguments")?.namedChild(0);
    if (!DECLARING_MACROS.has(name) || arg?.type !== "identifier") return false;
    const v = this.fs!.declare(arg.text, { kind: "listValue" });
    this.line(cat(`const ${v.ts} = `, frag(this.sim(name), at), "();"), at.line);
    return true;
  }

  private localDecl(n: Node): void {
    const fs = this.fs!;
    const at = pos(n);
    const spec = specifierText(n.childForFieldName("type"));
    for (const dn of n.childrenForFieldName("declarator")) {
      if (!dn) continue;
      const d = readDeclarator(dn);
      if (!d.name || (d.fn && !dn.text.includes("(*"))) {
        if (misparsedStatement(n)) {
          this.untranslatedDeclaration(n, at);
          return;
        }
        continue; // a local prototype
      }
      const t = ctypeOf(spec, d);
      const hoisted = this.hoistedDecls.has(n.id);
      const v = hoisted ? (fs.lookup(d.name) ?? fs.declare(d.name, t)) : fs.declare(d.name, t);
      const value = dn.type === "init_declarator" ? dn.childForFieldName("value") : null;
      this.pendingForget = [];
      let init: Frag | null = null;
      if (value)
        init =
          value.type === "initializer_list"
            ? this.opaqueValue(value, "initializer")
            : this.coerce(this.expr(value), t);
      else if (t.kind === "listValue") init = cat(this.sim("LIST_HEAD"), "()");
      else if (t.kind === "opaque" && /^(struct|union) /.test(t.text) && !t.text.includes("*"))
        init = this.opaqueValue(dn, `struct value ${t.text}`, false);
      const forget = this.forgets();
      const decl = hoisted ? "" : fs.lets.has(d.name) ? `let ${v.ts}; ` : "const ";
      if (!init) {
        // An int C leaves indeterminate starts at 0: TypeScript needs a number where it is read
        // (`unsigned int obj_idx; obj_to_location(obj, &zpdesc, &obj_idx); … obj_idx …`). Not a
        // long: it may be given a bigint constant or an address later (`addr = ALIGN_DOWN(…)`).
        const zero = t.kind === "number" && NARROW_INT.test(spec) ? " = 0" : "";
        if (zero) fs.narrow.add(v.ts);
        if (!hoisted) this.line(frag(`let ${v.ts}${zero};`, at), at.line);
        continue;
      }
      if (decl === "const ") this.line(cat(frag(`const ${v.ts} = `, at), init, ";", forget), at.line);
      else this.line(cat(frag(`${decl}${v.ts} = `, at), init, ";", forget), at.line);
    }
  }

  /**
   * A statement tree-sitter read as a declaration (`MACRO(x) stmt;`: a function declarator of no
   * known type): opaque, and the handles it names lose their facts (docs/decisions/0610).
   */
  private untranslatedDeclaration(n: Node, at: { line: number; column: number }): void {
    const fs = this.fs!;
    fs.untranslated++;
    this.note(at.line, `untranslated declaration: ${short(n.text)}`);
    this.pendingForget = [];
    // The variables are found by name: the misparse makes some of them type names.
    const vars = [...new Set(n.text.match(/\b[A-Za-z_]\w*\b/g) ?? [])]
      .map((id) => fs.lookup(id))
      .filter((v): v is Var => !!v);
    for (const v of vars)
      if ((v.type.kind === "handle" || v.type.kind === "opaque") && fs.lets.has(v.ts))
        this.pendingForget.push(v.ts);
    this.line(
      cat(
        frag(this.helper("__opaque"), at),
        `(${JSON.stringify(`untranslated: ${short(n.text)}`)}${vars.map((v) => `, ${v.ts}`).join("")});`,
        this.forgets(),
      ),
      at.line,
    );
  }

  private readonly hoistedDecls = new Set<number>();

  private pendingForget: string[] = [];

  private forgets(): string {
    const names = [...new Set(this.pendingForget)];
    this.pendingForget = [];
    if (names.length === 0) return "";
    const f = this.helper("__forget");
    return ` ${names.map((n) => `${n} = ${f}(${n});`).join(" ")}`;
  }

  private exprStatement(e: Node, at: { line: number; column: number }): void {
    this.pendingForget = [];
    const x = this.sideEffect(e);
    this.line(cat(x.f, ";", this.forgets()), at.line);
  }

  /** An expression in statement position: assignments and increments of handles become nth_page(). */
  private sideEffect(e: Node): Expr {
    return this.expr(e);
  }

  // ---------------------------------------------------------------------------------------------
  // Expressions

  private opaqueValue(n: Node, what: string, note = true): Frag {
    if (note) this.note(pos(n).line, `${what} ${short(n.text)}`);
    return cat(frag(this.helper("__value"), pos(n)), `(${JSON.stringify(short(n.text))})`);
  }

  /** An opaque call: args translated (their own calls are real), facts about handles named in them dropped. */
  private opaqueCall(n: Node, what: string, args: readonly Node[]): Expr {
    this.note(pos(n).line, what);
    const fs = this.fs;
    const parts = args.map((a) => this.expr(a).f);
    for (const a of args)
      for (const id of identifiers(a)) {
        const v = fs?.lookup(id);
        if (v && (v.type.kind === "handle" || v.type.kind === "opaque") && fs?.lets.has(id))
          this.pendingForget.push(v.ts);
        else if (v && v.type.kind === "handle" && fs?.scopes[0]?.has(id)) this.pendingForget.push(v.ts);
      }
    return {
      f: cat(
        frag(this.helper("__opaque"), pos(n)),
        "(",
        JSON.stringify(what),
        ...parts.flatMap((p) => [", ", p]),
        ")",
      ),
      t: OPAQUE,
    };
  }

  expr(n: Node): Expr {
    if (this.degrading) {
      const ids = identifiers(n).filter((id) => this.fs?.lookup(id));
      this.fs && this.fs.untranslated++;
      const fakeArgs = ids.map((id) => this.fs!.lookup(id)!);
      this.note(pos(n).line, `untranslated expression: ${short(n.text)}`);
      for (const v of fakeArgs)
        if ((v.type.kind === "handle" || v.type.kind === "opaque") && this.fs!.lets.has(v.ts))
          this.pendingForget.push(v.ts);
      return {
        f: cat(
          frag(this.helper("__opaque"), pos(n)),
          `(${JSON.stringify(`untranslated: ${short(n.text)}`)}${fakeArgs.map((v) => `, ${v.ts}`).join("")})`,
        ),
        t: OPAQUE,
      };
    }
    const at = pos(n);
    const k = this.constValue(n);
    if (k !== undefined && n.type !== "number_literal" && n.type !== "identifier")
      return { f: frag(k < 0 ? `(${k})` : String(k), at), t: NUMBER, k };
    switch (n.type) {
      case "number_literal": {
        const v = numberText(n.text);
        // A 64-bit constant beyond 2^53 (a kernel address, a memdesc payload) would lose bits as a
        // JavaScript number: it stays exact as a bigint, whose type only a bigint parameter accepts.
        if (/^(0x[0-9a-f]+|\d+)$/i.test(v) && BigInt(v) > BigInt(Number.MAX_SAFE_INTEGER))
          return { f: frag(`${v}n`, at), t: OPAQUE };
        return { f: frag(v, at), t: NUMBER, ...(k !== undefined ? { k } : {}) };
      }
      case "compound_literal_expression":
        return { f: this.initializer(n.childForFieldName("value")!), t: OPAQUE };
      case "char_literal":
        return { f: frag(String(charValue(n.text)), at), t: NUMBER };
      case "string_literal":
        return { f: frag(JSON.stringify(stringValue(n.text)), at), t: OPAQUE };
      case "concatenated_string":
        return {
          f: frag(JSON.stringify(n.namedChildren.map((c) => (c ? stringValue(c.text) : "")).join("")), at),
          t: OPAQUE,
        };
      case "true":
      case "false":
        return { f: frag(n.type, at), t: { kind: "bool" } };
      case "null":
        return { f: frag("null", at), t: OPAQUE };
      case "identifier":
        return this.identifier(n);
      case "parenthesized_expression": {
        const inner = n.namedChild(0);
        if (!inner) return { f: frag("undefined", at), t: OPAQUE };
        if (inner.type === "comma_expression") return { f: cat("(", this.exprList(inner), ")"), t: OPAQUE };
        const e = this.expr(inner);
        return { ...e, f: cat("(", e.f, ")") };
      }
      case "binary_expression":
        return this.binary(n);
      case "unary_expression": {
        const op = n.childForFieldName("operator")!.text;
        const a = this.expr(n.childForFieldName("argument")!);
        return { f: cat(frag(op, at), a.f), t: op === "!" ? { kind: "bool" } : NUMBER };
      }
      case "update_expression":
        return this.update(n);
      case "assignment_expression":
        return this.assignment(n);
      case "call_expression":
        return this.call(n);
      case "field_expression": {
        const obj = n.childForFieldName("argument")!;
        const field = n.childForFieldName("field")!;
        const o = this.expr(obj);
        if (o.t.kind === "mm" || o.t.kind === "list" || o.t.kind === "listValue") {
          // memdesc/sim's mm_struct and list_head have none of the kernel's members (mm->pgd,
          // mm->page_table_lock, head->prev): an opaque value. The object is still evaluated, so
          // `page->lru.next` keeps MD007 where the stage has no page->lru (decision 0611).
          this.note(at.line, `value ${short(n.text)}`);
          return {
            f: cat(frag(this.helper("__value"), at), `(${JSON.stringify(short(n.text))}, `, o.f, ")"),
            t: OPAQUE,
            opaqueMember: true,
          };
        }
        const type: CType =
          o.t.kind === "handle" &&
          (field.text === "lru" || field.text === "pt_list" || field.text === "slab_list")
            ? { kind: "list" }
            : OPAQUE;
        return { f: cat(o.f, ".", frag(tsFieldName(field.text), pos(field))), t: type };
      }
      case "pointer_expression": {
        const op = n.child(0)?.type;
        const arg = n.childForFieldName("argument")!;
        if (op === "&") {
          if (arg.type === "subscript_expression") return this.subscript(arg, at);
          return this.expr(arg);
        }
        return { f: this.opaqueValue(n, "dereference", false), t: OPAQUE };
      }
      case "subscript_expression":
        return this.subscript(n, at);
      case "cast_expression": {
        const td = n.childForFieldName("type")!;
        const t = ctypeOf(
          specifierText(td.childForFieldName("type")),
          readDeclarator(td.childForFieldName("declarator")),
        );
        const v = this.expr(n.childForFieldName("value")!);
        if (t.kind === "handle") {
          this.usedTypes.add(tsType(t, false));
          return { f: cat("(", v.f, ` as unknown as ${tsType(t, false)})`), t };
        }
        return v;
      }
      case "conditional_expression": {
        const c = this.expr(n.childForFieldName("condition")!);
        const a = this.expr(n.childForFieldName("consequence")!);
        const b = this.expr(n.childForFieldName("alternative")!);
        return { f: cat(c.f, " ? ", a.f, " : ", b.f), t: a.t.kind === b.t.kind ? a.t : OPAQUE };
      }
      case "comma_expression":
        return { f: cat("(", this.exprList(n), ")"), t: OPAQUE };
      default:
        return { f: this.opaqueValue(n, n.type.replace(/_/g, " ")), t: OPAQUE };
    }
  }

  /**
   * A compound literal's initializer list, `(struct x){ .a = { 0, 16 }, .b = 3 }`: designated
   * members become an object literal, positional ones an array, so a modelled function given
   * the literal (define_page_type_owner_fields) sees its values. Anything else in it is opaque.
   */
  private initializer(n: Node, staticObject = false): Frag {
    if (n.type !== "initializer_list") {
      // In a static object a member is made before the object exists: only the modelled member
      // macros and constants are evaluated; anything else (`__SPIN_LOCK_UNLOCKED(x.lock)`, which
      // names the object itself) is an opaque value.
      if (!staticObject) return this.expr(n).f;
      const callee = n.type === "call_expression" ? n.childForFieldName("function")?.text : undefined;
      if ((callee && callee in INITIALIZER_MACROS) || this.constValue(n) !== undefined) return this.expr(n).f;
      return this.opaqueValue(n, "initializer member");
    }
    const items = n.namedChildren.filter((c): c is Node => c !== null && c.type !== "comment");
    const designated = items.filter((c) => c.type === "initializer_pair");
    if (designated.length === 0)
      return cat(
        "[",
        join(
          items.map((c) => this.initializer(c, staticObject)),
          ", ",
        ),
        "]",
      );
    const fieldOf = (c: Node) => {
      const ds = c.childrenForFieldName("designator");
      return ds.length === 1 && ds[0]?.type === "field_designator" ? ds[0].namedChild(0)?.text : undefined;
    };
    if (designated.length !== items.length || designated.some((c) => fieldOf(c) === undefined))
      return this.opaqueValue(n, "initializer");
    return cat(
      frag("{ ", pos(n)),
      join(
        designated.map((c) =>
          cat(`${tsFieldName(fieldOf(c)!)}: `, this.initializer(c.childForFieldName("value")!, staticObject)),
        ),
        ", ",
      ),
      " }",
    );
  }

  private identifier(n: Node): Expr {
    const at = pos(n);
    const name = n.text;
    const v = this.fs?.lookup(name) ?? this.globals.get(name);
    if (v)
      return { f: frag(v.ts, at), t: v.type, ...(v.type.kind === "gfp" ? { gfp: [`\${${v.ts}}`] } : {}) };
    if (name === "NULL") return { f: frag("null", at), t: OPAQUE };
    if (this.fileFunctions.has(name)) return { f: frag(tsName(name), at), t: OPAQUE };
    if (GFP_NAMES.has(name))
      return { f: frag(JSON.stringify(name), at), t: { kind: "gfp" }, gfp: [name], gfpText: true };
    if (SIM_NAMES.has(name)) {
      const val = SIM_VALUES[name];
      return {
        f: frag(this.sim(name), at),
        t: typeof val === "number" ? NUMBER : name === "init_mm" ? { kind: "mm" } : OPAQUE,
      };
    }
    const k = this.constValue(n);
    if (k !== undefined) return { f: frag(k < 0 ? `(${k})` : String(k), at), t: NUMBER, k };
    return { f: this.opaqueValue(n, "value"), t: OPAQUE };
  }

  /** The integer value of an expression when it is a compile-time literal (after folding), else undefined. */
  constValue(n: Node, depth = 0): number | undefined {
    if (depth > 12) return undefined;
    switch (n.type) {
      case "number_literal": {
        const v = Number(numberText(n.text).replace(/^0o/, "0o"));
        return Number.isSafeInteger(v) ? v : undefined;
      }
      case "parenthesized_expression":
        return n.namedChild(0) ? this.constValue(n.namedChild(0)!, depth + 1) : undefined;
      case "identifier": {
        const name = n.text;
        if (this.fs?.lookup(name)) return undefined;
        if (FOLDED_CONSTANTS.includes(name)) return SIM_VALUES[name] as number;
        // The memdesc type enumerators (MEMDESC_TYPE_PAGETABLE, …) of the default table.
        if (Object.hasOwn(sim.MEMDESC_TYPE, name)) return (sim.MEMDESC_TYPE as Record<string, number>)[name];
        if (name in ERRNO) return ERRNO[name];
        const e = this.enums.get(name);
        if (e !== undefined) return e;
        const d = this.defines.get(name);
        if (d !== undefined && /^\(?\s*-?(0x[0-9a-fA-F]+|\d+)[uUlL]*\s*\)?$/.test(d))
          return Number(d.replace(/[()\s]/g, "").replace(/[uUlL]+$/, ""));
        return undefined;
      }
      case "unary_expression": {
        const a = this.constValue(n.childForFieldName("argument")!, depth + 1);
        if (a === undefined) return undefined;
        const op = n.childForFieldName("operator")!.text;
        return op === "-" ? -a : op === "+" ? a : op === "!" ? (a ? 0 : 1) : undefined;
      }
      case "binary_expression": {
        const a = this.constValue(n.childForFieldName("left")!, depth + 1);
        const b = this.constValue(n.childForFieldName("right")!, depth + 1);
        if (a === undefined || b === undefined) return undefined;
        const op = n.childForFieldName("operator")!.text;
        const r =
          op === "+"
            ? a + b
            : op === "-"
              ? a - b
              : op === "*"
                ? a * b
                : op === "/"
                  ? b === 0
                    ? undefined
                    : Math.trunc(a / b)
                  : op === "<<"
                    ? a * 2 ** b
                    : op === ">>"
                      ? Math.floor(a / 2 ** b)
                      : op === "|" && a >= 0 && b >= 0 && a < 2 ** 31 && b < 2 ** 31
                        ? a | b
                        : op === "&" && a >= 0 && b >= 0 && a < 2 ** 31 && b < 2 ** 31
                          ? a & b
                          : undefined;
        return r !== undefined && Number.isSafeInteger(r) ? r : undefined;
      }
      case "call_expression": {
        const f = n.childForFieldName("function")?.text ?? "";
        const args = n.childForFieldName("arguments")?.namedChildren ?? [];
        if (ORDER_FUNCTIONS.has(f) && args.length === 1 && args[0]) {
          const size = this.constValue(args[0], depth + 1);
          if (size === undefined || size <= 0) return undefined;
          return sim.get_order(size);
        }
        if (IDENTITY_MACROS.has(f) && args[0]) return this.constValue(args[0], depth + 1);
        return undefined;
      }
      default:
        return undefined;
    }
  }

  private binary(n: Node): Expr {
    const at = pos(n);
    const op = n.childForFieldName("operator")!.text;
    const ln = n.childForFieldName("left")!;
    const rn = n.childForFieldName("right")!;
    if (op === "|" || op === "&") {
      const g = this.gfpExpr(n);
      if (g) return g;
    }
    const l = this.expr(ln);
    const r = this.expr(rn);
    if ((op === "+" || op === "-") && l.t.kind === "handle" && r.t.kind !== "handle") {
      const nth = this.sim("nth_page");
      return {
        f: cat(frag(nth, at), "(", l.f, ", ", op === "-" ? cat("-(", r.f, ")") : r.f, ")"),
        t: { kind: "handle", struct: "page" },
      };
    }
    if (op === "-" && l.t.kind === "handle" && r.t.kind === "handle") {
      const pfn = this.sim("page_to_pfn");
      return { f: cat(pfn, "(", l.f, ") - ", pfn, "(", r.f, ")"), t: NUMBER };
    }
    if ((op === "==" || op === "!=") && l.t.kind === "handle" && r.t.kind === "handle") {
      const pfn = this.sim("page_to_pfn");
      return { f: cat(pfn, "(", l.f, `) ${op}= `, pfn, "(", r.f, ")"), t: { kind: "bool" } };
    }
    const type: CType = ["==", "!=", "<", ">", "<=", ">=", "&&", "||"].includes(op)
      ? { kind: "bool" }
      : NUMBER;
    if (op !== "&&" && op !== "||")
      return { f: cat(this.gfpNumber(l), ` ${op} `, this.gfpNumber(r)), t: type };
    return { f: cat(l.f, ` ${op} `, r.f), t: type };
  }

  /**
   * A mask the translation writes as C text (`"__GFP_DMA"`, `` `${gfp} | __GFP_ZERO` ``) where C
   * computes with it (`gfp & __GFP_DMA`) or a file's own function takes a gfp_t (a number in
   * memdesc/sim): its value, `gfpEval("__GFP_DMA")`. A gfp_t variable is a number already.
   */
  /**
   * C converts between bool and the integer types on assignment and return (`return true;` from an
   * int function, `bool b = IS_ENABLED(…)` folded to 1): TypeScript does not, so the value is
   * converted where the kinds differ (to bool also a memdesc/sim call's value, whose type may be a number).
   */
  private coerce(e: Expr, to: CType): Frag {
    // Not a memdesc/sim call's number: Number() would drop the address brand get_zeroed_page() gives.
    if (to.kind === "number" && e.t.kind === "bool") return cat("Number(", e.f, ")");
    if (to.kind === "bool") {
      if (e.k !== undefined) return frag(e.k !== 0 ? "true" : "false");
      if (e.t.kind === "number" || e.t.kind === "handle" || e.simCall) return cat("Boolean(", e.f, ")");
    }
    return e.f;
  }

  private gfpNumber(e: Expr): Frag {
    if (!e.gfpText) return e.f;
    return cat(this.sim("gfpEval"), "(", e.f, ")");
  }

  /** A GFP mask expression: `GFP_KERNEL | __GFP_COMP` → "GFP_KERNEL | __GFP_COMP"; `gfp & ~__GFP_ZERO` → `${gfp} & ~__GFP_ZERO`. */
  private gfpExpr(n: Node): Expr | null {
    const terms = (x: Node): string[] | null => {
      if (x.type === "parenthesized_expression" && x.namedChild(0)) return terms(x.namedChild(0)!);
      if (x.type === "identifier") {
        if (GFP_NAMES.has(x.text) && !this.fs?.lookup(x.text)) return [x.text];
        const v = this.fs?.lookup(x.text) ?? this.globals.get(x.text);
        if (v?.type.kind === "gfp") return [`\${${v.ts}}`];
        return null;
      }
      if (x.type === "binary_expression" && x.childForFieldName("operator")!.text === "|") {
        const a = terms(x.childForFieldName("left")!);
        const b = terms(x.childForFieldName("right")!);
        return a && b ? [...a, ...b] : null;
      }
      return null;
    };
    const op = n.childForFieldName("operator")!.text;
    const at = pos(n);
    if (op === "|") {
      const t = terms(n);
      if (!t) return null;
      const text = t.join(" | ");
      return {
        f: frag(t.some((x) => x.startsWith("${")) ? `\`${text}\`` : JSON.stringify(text), at),
        t: { kind: "gfp" },
        gfp: t,
        gfpText: true,
      };
    }
    const r = n.childForFieldName("right")!;
    const inner =
      r.type === "unary_expression" && r.childForFieldName("operator")!.text === "~"
        ? r.childForFieldName("argument")!
        : null;
    const lt = terms(n.childForFieldName("left")!);
    const rt = inner ? terms(inner) : null;
    if (!lt || !rt || rt.some((x) => x.startsWith("${"))) return null;
    // The API reads `&` and `~` in a C-syntax mask, with C precedence (include/linux/gfp_types.h).
    const text = `${lt.join(" | ")} & ~${rt.length === 1 ? rt[0] : `(${rt.join(" | ")})`}`;
    return {
      f: frag(lt.some((x) => x.startsWith("${")) ? `\`${text}\`` : JSON.stringify(text), at),
      t: { kind: "gfp" },
      gfpText: true,
    };
  }

  private subscript(n: Node, at: { line: number; column: number }): Expr {
    const a = this.expr(n.childForFieldName("argument")!);
    const i = this.expr(n.childForFieldName("index")!);
    if (a.t.kind === "handle") {
      return {
        f: cat(frag(this.sim("nth_page"), at), "(", a.f, ", ", i.f, ")"),
        t: { kind: "handle", struct: "page" },
      };
    }
    return { f: this.opaqueValue(n, "array element", false), t: OPAQUE };
  }

  private update(n: Node): Expr {
    const at = pos(n);
    const arg = n.childForFieldName("argument")!;
    const op = n.child(0)?.type === "++" || n.child(1)?.type === "++" ? "++" : "--";
    const prefix = n.child(0)?.type === op;
    const a = this.expr(arg);
    if (a.t.kind === "handle" && arg.type === "identifier") {
      return {
        f: cat("(", a.f, " = ", frag(this.sim("nth_page"), at), "(", a.f, `, ${op === "++" ? 1 : -1}))`),
        t: a.t,
      };
    }
    if (a.opaqueMember) {
      this.note(at.line, `store ${short(n.text)}`);
      return {
        f: cat(frag(this.helper("__opaque"), at), `(${JSON.stringify(`store ${short(n.text)}`)}, `, a.f, ")"),
        t: OPAQUE,
      };
    }
    if (arg.type === "identifier" || arg.type === "field_expression")
      return { f: prefix ? cat(frag(op, at), a.f) : cat(a.f, op), t: NUMBER };
    return this.opaqueCall(n, `store ${short(n.text)}`, []);
  }

  private assignment(n: Node): Expr {
    const at = pos(n);
    const left = n.childForFieldName("left")!;
    const op = n.childForFieldName("operator")!.text;
    const right = n.childForFieldName("right")!;
    if (left.type !== "identifier" && left.type !== "field_expression") {
      return this.opaqueCall(n, `store ${short(left.text)} ${op} …`, [right]);
    }
    const l = this.expr(left);
    if (l.opaqueMember) {
      const r = this.expr(right);
      this.note(at.line, `store ${short(left.text)} ${op} …`);
      return {
        f: cat(
          frag(this.helper("__opaque"), at),
          `(${JSON.stringify(`store ${short(left.text)} ${op} …`)}, `,
          l.f,
          ", ",
          r.f,
          ")",
        ),
        t: OPAQUE,
      };
    }
    if (op === "=") {
      const r = this.expr(right);
      // An int holds no address (no brand to keep): list_empty()'s boolean is converted too.
      if (left.type === "identifier" && r.simCall && this.fs?.narrow.has(l.f.s))
        return { f: cat(l.f, " = Number(", r.f, ")"), t: l.t };
      return { f: cat(l.f, " = ", left.type === "identifier" ? this.coerce(r, l.t) : r.f), t: l.t };
    }
    const base = op.slice(0, -1);
    if (l.t.kind === "handle" && (base === "+" || base === "-")) {
      const r = this.expr(right);
      return {
        f: cat(
          l.f,
          " = ",
          frag(this.sim("nth_page"), at),
          "(",
          l.f,
          ", ",
          base === "-" ? cat("-(", r.f, ")") : r.f,
          ")",
        ),
        t: l.t,
      };
    }
    if (l.t.kind === "gfp" && (base === "|" || base === "&")) {
      // `gfp |= X`, `gfp &= ~X` on a gfp_t variable: the mask's value, read by the API (compile-time: unknown).
      const lt = l.gfp ?? [];
      const r =
        right.type === "unary_expression" && right.childForFieldName("operator")!.text === "~"
          ? this.expr(right.childForFieldName("argument")!)
          : this.expr(right);
      if (r.gfp && !(base === "&" && r.gfp.some((x) => x.startsWith("${")))) {
        const text =
          base === "|" ? [...lt, ...r.gfp].join(" | ") : `${lt.join(" | ")} & ~(${r.gfp.join(" | ")})`;
        return { f: cat(l.f, " = ", frag(this.sim("gfpEval"), at), `(\`${text}\`)`), t: l.t, gfp: lt };
      }
      return this.opaqueCall(n, `gfp mask ${short(n.text)}`, [right]);
    }
    const r = this.expr(right);
    return { f: cat(l.f, ` ${op} `, r.f), t: l.t };
  }

  private call(n: Node): Expr {
    const at = pos(n);
    const callee = n.childForFieldName("function")!;
    const args =
      n
        .childForFieldName("arguments")
        ?.namedChildren.filter((a): a is Node => a !== null && a.type !== "comment") ?? [];
    if (callee.type !== "identifier") return this.opaqueCall(n, `call through ${short(callee.text)}`, args);
    const name = callee.text;
    if (IDENTITY_MACROS.has(name) && args.length >= 1) {
      const e = this.expr(args[0]!);
      return { ...e, f: cat("(", e.f, ")") };
    }
    if (name === "WRITE_ONCE" && args.length === 2) {
      const l = args[0]!;
      const le = l.type === "identifier" || l.type === "field_expression" ? this.expr(l) : null;
      if (le && !le.opaqueMember) return { f: cat(le.f, " = ", this.expr(args[1]!).f), t: OPAQUE };
      return this.opaqueCall(n, `store WRITE_ONCE(${short(l.text)}, …)`, [args[1]!]);
    }
    if (CONTAINER_MACROS.has(name)) {
      // container_of(ptr, struct X, member): tree-sitter reads `struct X` as no expression, so from the text.
      const m = /,\s*struct\s+(\w+)\s*,\s*(\w+)\s*\)$/.exec(oneLine(n.childForFieldName("arguments")!.text));
      const p = args[0];
      const inner =
        p?.type === "pointer_expression" && p.child(0)?.type === "&" ? p.childForFieldName("argument") : null;
      const obj = inner?.type === "field_expression" ? inner.childForFieldName("argument") : null;
      if (m && obj && inner?.childForFieldName("field")?.text === m[2]) {
        const o = this.expr(obj);
        if (o.t.kind === "handle" && o.t.struct === m[1]) return o;
      }
      return this.opaqueCall(n, `call ${name}(…, ${m ? `struct ${m[1]}` : "?"}, …)`, p ? [p] : []);
    }
    const im = INITIALIZER_MACROS[name];
    if (im) {
      const fn = im.func === undefined ? undefined : args[im.func];
      if (im.func === undefined)
        return { f: cat(frag(this.sim(im.sim), at), "()"), t: { kind: "listValue" } };
      if (fn?.type === "identifier" && this.fileFunctions.has(fn.text))
        return {
          f: cat(frag(this.sim(im.sim), at), `(${tsName(fn.text)}, ${JSON.stringify(fn.text)})`),
          t: OPAQUE,
        };
    }
    if (ORDER_FUNCTIONS.has(name)) {
      const k = this.constValue(n);
      if (k !== undefined) return { f: frag(String(k), at), t: NUMBER, k };
    }
    if (this.fileFunctions.has(name)) {
      const parts = args.map((a) => this.gfpNumber(this.expr(a)));
      for (const a of args)
        for (const id of identifiers(a)) {
          const v = this.fs?.lookup(id);
          if (v && (v.type.kind === "handle" || v.type.kind === "opaque") && this.fs?.lets.has(id))
            this.pendingForget.push(v.ts);
        }
      return {
        f: cat(frag(tsName(name), at), "(", join(parts, ", "), ")"),
        t: this.fileFunctions.get(name)!,
      };
    }
    if (name === "list_first_entry") {
      // list_first_entry(head, struct X, member): tree-sitter reads `struct X` as no expression, so
      // from the text. memdesc/sim walks lists of handles only; another struct's list is opaque.
      const m = /,\s*struct\s+(\w+)\s*,\s*(\w+)\s*\)$/.exec(oneLine(n.childForFieldName("arguments")!.text));
      const head = args[0];
      if (m && head && m[1]! in HANDLE_STRUCTS) {
        return {
          f: cat(
            frag(this.sim(name), at),
            "(",
            this.expr(head).f,
            `, ${JSON.stringify(m[1])}, `,
            JSON.stringify(m[2]),
            ")",
          ),
          t: { kind: "handle", struct: m[1]! },
        };
      }
      return this.opaqueCall(n, `call ${name}(…, ${m ? `struct ${m[1]}` : "?"}, …)`, head ? [head] : []);
    }
    if (SIM_NAMES.has(name) && typeof SIM_VALUES[name] === "function") {
      const parts = args.map((a) => this.expr(a).f);
      const ret = RETURNS[name];
      return {
        f: cat(frag(this.sim(name), at), "(", join(parts, ", "), ")"),
        t: ret ? { kind: "handle", struct: ret } : OPAQUE,
        ...(ret ? {} : { simCall: true as const }),
      };
    }
    const what = this.defines.has(name) ? `macro ${name}` : `call ${name}()`;
    return this.opaqueCall(n, what, args);
  }
}

function unshift(
  shifts: ReadonlyMap<number, readonly { at: number; delta: number }[]>,
  line: number,
  column: number,
): number {
  const s = shifts.get(line);
  if (!s) return column;
  let c = column - 1;
  for (const { at, delta } of [...s].reverse()) if (c >= at + delta) c -= delta;
  return c + 1;
}

function tsFieldName(f: string): string {
  return f;
}

/**
 * A local declaration with a function declarator that is no prototype: `for_each_x(c) f(c);` or
 * `MACRO(a) b;` parsed as a declaration. A real local prototype is `extern` or has a known type.
 */
function misparsedStatement(n: Node): boolean {
  if (/^\s*extern\b/.test(n.text)) return false;
  const t = n.childForFieldName("type");
  return t === null || t.type === "type_identifier" || t.type === "macro_type_specifier";
}

function isStatement(n: Node): boolean {
  return n.type.endsWith("_statement") || n.type === "declaration";
}

/** Identifiers used in an expression (not field names or the callee of a call). */
function identifiers(n: Node | null): string[] {
  const out: string[] = [];
  const walk = (x: Node) => {
    if (x.type === "identifier") {
      const p = x.parent;
      if (!(p?.type === "call_expression" && p.childForFieldName("function")?.id === x.id)) out.push(x.text);
      return;
    }
    for (const c of x.namedChildren) if (c) walk(c);
  };
  if (n) walk(n);
  return out;
}

function hasAnyGoto(n: Node): boolean {
  if (n.type === "goto_statement") return true;
  for (const c of n.namedChildren) if (c && hasAnyGoto(c)) return true;
  return false;
}

function hasGoto(n: Node, label: string): boolean {
  if (n.type === "goto_statement") return n.childForFieldName("label")?.text === label;
  for (const c of n.namedChildren) if (c && hasGoto(c, label)) return true;
  return false;
}

function numberText(t: string): string {
  const s = t.replace(/(?<=[0-9a-fA-F])[uUlL]+$/, "").replace(/^(\d+(?:\.\d*)?)[uUlLfF]+$/, "$1");
  if (/^0[0-7]+$/.test(s)) return `0o${s.slice(1)}`;
  return s;
}

function charValue(t: string): number {
  const body = t.slice(1, -1);
  const esc: Record<string, number> = { n: 10, t: 9, r: 13, "0": 0, "\\": 92, "'": 39, '"': 34 };
  if (body.startsWith("\\")) return esc[body[1] ?? ""] ?? body.charCodeAt(1);
  return body.charCodeAt(0);
}

function stringValue(t: string): string {
  return t
    .replace(/^[LuU8]*"/, "")
    .replace(/"$/, "")
    .replace(/\\n/g, "\n")
    .replace(/\\t/g, "\t")
    .replace(/\\"/g, '"')
    .replace(/\\\\/g, "\\");
}

/** The helpers a translation uses, emitted at its end so the file stands alone. */
function helperSource(used: ReadonlySet<string>): string[] {
  if (used.size === 0) return [];
  const out = [
    "// --- memdesc C front end: what the translation could not model (docs/c-frontend.md) ---",
    "/**",
    " * At run time an opaque value is a no-op object; reading or calling it gives itself. Made on",
    " * first use (a hoisted `var`), so a static initializer above this line can use it.",
    " */",
    "var __OPAQUE: any;",
    "function __opaqueObject(): any {",
    "  __OPAQUE ??= new Proxy(function opaque() {}, {",
    '    get: (_t, k) => (k === Symbol.toPrimitive ? () => 0 : k === "then" ? undefined : __OPAQUE),',
    "    apply: () => __OPAQUE,",
    "  });",
    "  return __OPAQUE;",
    "}",
    '/** An opaque call: nothing known of its effect; at run time a no-op, reported as "opaque call …". */',
    "function __opaque(what: string, ..._args: unknown[]): any {",
    "  (globalThis as { __memdescOpaque?: (what: string) => void }).__memdescOpaque?.(what);",
    "  return __opaqueObject();",
    "}",
  ];
  if (used.has("__value"))
    out.push(
      "/** An opaque value (an unknown macro, type or construct). */",
      "function __value(_what: string, ..._parts: unknown[]): any {",
      "  return __opaqueObject();",
      "}",
    );
  if (used.has("__forget"))
    out.push(
      "/** After an opaque call: the handle's compile-time facts are dropped (its value is unchanged). */",
      "function __forget(handle: unknown): any {",
      "  return handle;",
      "}",
    );
  if (used.has("__then"))
    out.push(
      "/** A condition's value, taken before the handles an opaque call in it was given lose their facts. */",
      "function __then<Value>(value: Value, ..._forgotten: unknown[]): Value {",
      "  return value;",
      "}",
    );
  return out;
}

/** Translate one C file's text. */
export async function translateC(source: string, opts: TranslateOptions): Promise<Translation> {
  return new Translator(opts).run(source);
}
