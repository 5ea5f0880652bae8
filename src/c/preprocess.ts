/**
 * The part of the C preprocessor the front end runs itself, keeping every
 * line where it was (so findings point at the C file's own lines):
 * `#if`/`#ifdef`/`#ifndef`/`#elif`/`#else`/`#endif` against a kernel
 * configuration, `IS_ENABLED(CONFIG_…)` in code, object-like `#define`s
 * (remembered, for literal arithmetic), annotation macros removed (ANNOTATIONS),
 * and iterator macros turned into `for` headers the grammar can parse.
 * `#include` is not followed; every directive line becomes blank.
 */
import type { KernelConfig } from "./config.js";
import { ANNOTATIONS, ITERATOR_MACROS } from "./tables.js";

export interface Preprocessed {
  readonly text: string;
  /** Object-like #defines seen on active lines: name → replacement text. */
  readonly defines: ReadonlyMap<string, string>;
  /** Function-like #defines: names only (their uses are opaque). */
  readonly functionMacros: ReadonlySet<string>;
  /** Column shifts introduced on a line (1-based line → [{ at: 0-based column in the output, delta }]). */
  readonly shifts: ReadonlyMap<number, readonly { at: number; delta: number }[]>;
}

type Tok = { k: "num"; v: number } | { k: "id"; v: string } | { k: "op"; v: string };

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  const re =
    /\s*(?:(0[xX][0-9a-fA-F]+|\d+)[uUlL]*|([A-Za-z_]\w*)|(<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%()!~<>&|^?:,]))/y;
  let i = 0;
  while (i < s.length) {
    if (/^\s*$/.test(s.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) break; // anything else (a string, a stray character): the rest evaluates as 0
    i = re.lastIndex;
    if (m[1] !== undefined) out.push({ k: "num", v: Number(m[1]) });
    else if (m[2] !== undefined) out.push({ k: "id", v: m[2] });
    else out.push({ k: "op", v: m[3]! });
  }
  return out;
}

const CONFIG_MACROS: Record<string, (cfg: KernelConfig, name: string) => boolean> = {
  IS_ENABLED: (c, n) => c.get(n) === "y" || c.get(n) === "m",
  IS_BUILTIN: (c, n) => c.get(n) === "y",
  IS_MODULE: (c, n) => c.get(n) === "m",
  IS_REACHABLE: (c, n) => c.get(n) === "y" || c.get(n) === "m",
};

/** Evaluate a #if expression; unknown identifiers are 0, as in C. */
export function evalCondition(
  expr: string,
  cfg: KernelConfig,
  defines: ReadonlyMap<string, string>,
): boolean {
  const toks = tokenize(expr.replace(/\/\*.*?\*\//g, " ").replace(/\/\/.*$/, ""));
  let p = 0;
  const peek = () => toks[p];
  const isOp = (v: string) => toks[p]?.k === "op" && toks[p]?.v === v;
  const eat = (v: string) => {
    if (isOp(v)) p++;
  };
  const ident = (name: string, depth: number): number => {
    const c = cfg.get(name);
    if (c !== undefined) return c === "y" ? 1 : c === "m" ? 0 : Number.isFinite(Number(c)) ? Number(c) : 1;
    if (name.startsWith("CONFIG_") && name.endsWith("_MODULE")) {
      return cfg.get(name.slice(0, -"_MODULE".length)) === "m" ? 1 : 0;
    }
    const d = defines.get(name);
    if (d !== undefined && depth < 8) return d.trim() === "" ? 0 : evalNum(d, depth + 1);
    return 0;
  };
  const evalNum = (s: string, depth: number): number => {
    const t = tokenize(s);
    if (t.length === 1 && t[0]!.k === "num") return t[0]!.v;
    if (t.length === 1 && t[0]!.k === "id") return ident(t[0]!.v, depth);
    return 0;
  };
  const primary = (): number => {
    const t = peek();
    if (!t) return 0;
    p++;
    if (t.k === "num") return t.v;
    if (t.k === "op") {
      if (t.v === "(") {
        const v = ternary();
        eat(")");
        return v;
      }
      if (t.v === "!") return primary() ? 0 : 1;
      if (t.v === "~") return ~primary();
      if (t.v === "-") return -primary();
      if (t.v === "+") return primary();
      return 0;
    }
    if (t.v === "defined") {
      const paren = isOp("(");
      if (paren) p++;
      const n = peek();
      p++;
      if (paren) eat(")");
      return n?.k === "id" && (cfg.has(n.v) || defines.has(n.v)) ? 1 : 0;
    }
    if (isOp("(")) {
      // A function-like macro: IS_ENABLED(CONFIG_X) and friends; any other is 0.
      p++;
      const arg = peek();
      let depth = 1;
      while (p < toks.length && depth > 0) {
        if (isOp("(")) depth++;
        else if (isOp(")")) depth--;
        p++;
      }
      const f = CONFIG_MACROS[t.v];
      return f && arg?.k === "id" ? (f(cfg, arg.v) ? 1 : 0) : 0;
    }
    return ident(t.v, 0);
  };
  const BIN: [string[], (a: number, b: number, op: string) => number][] = [
    [["||"], (a, b) => (a || b ? 1 : 0)],
    [["&&"], (a, b) => (a && b ? 1 : 0)],
    [["|"], (a, b) => a | b],
    [["^"], (a, b) => a ^ b],
    [["&"], (a, b) => a & b],
    [["==", "!="], (a, b, o) => ((o === "==" ? a === b : a !== b) ? 1 : 0)],
    [
      ["<", ">", "<=", ">="],
      (a, b, o) => ((o === "<" ? a < b : o === ">" ? a > b : o === "<=" ? a <= b : a >= b) ? 1 : 0),
    ],
    [["<<", ">>"], (a, b, o) => (o === "<<" ? a * 2 ** b : Math.floor(a / 2 ** b))],
    [["+", "-"], (a, b, o) => (o === "+" ? a + b : a - b)],
    [["*", "/", "%"], (a, b, o) => (o === "*" ? a * b : b === 0 ? 0 : o === "/" ? Math.trunc(a / b) : a % b)],
  ];
  const level = (i: number): number => {
    if (i >= BIN.length) return primary();
    const [ops, f] = BIN[i]!;
    let a = level(i + 1);
    for (;;) {
      const t = peek();
      if (t?.k !== "op" || !ops.includes(t.v)) return a;
      p++;
      a = f(a, level(i + 1), t.v);
    }
  };
  const ternary = (): number => {
    const c = level(0);
    if (!isOp("?")) return c;
    p++;
    const a = ternary();
    eat(":");
    const b = ternary();
    return c ? a : b;
  };
  return ternary() !== 0;
}

interface Frame {
  readonly parentActive: boolean;
  taken: boolean;
  active: boolean;
}

const DIRECTIVE = /^\s*#\s*(\w+)\s*(.*)$/;

function blankKeepingColumns(s: string): string {
  return s.replace(/[^\t]/g, " ");
}

/** Find the index just after the parenthesised group starting at `open` (s[open] === "("), or -1. */
export function matchParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const ch = s[i];
    if (ch === "(") depth++;
    else if (ch === ")") {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

const ANNOTATION_RE = new RegExp(`\\b(${Object.keys(ANNOTATIONS).join("|")})\\b`, "g");
const CONFIG_CALL_RE = /\b(IS_ENABLED|IS_BUILTIN|IS_MODULE|IS_REACHABLE)\s*\(\s*(CONFIG_\w+)\s*\)/g;
const ITERATOR_RE = new RegExp(`^(\\s*)(${Object.keys(ITERATOR_MACROS).join("|")})\\s*\\(`);
/**
 * Any other loop macro at the start of an indented line: the kernel names them `*for_each*`
 * (for_each_possible_cpu, list_for_each_entry_rcu, llist_for_each_safe, xa_for_each) or
 * `*_foreach` (vma_interval_tree_foreach). Unrewritten, tree-sitter reads `m(x) stmt;` as a
 * declaration and `m(x) { … }` as a function definition (docs/decisions/0610).
 */
const LOOP_MACRO_RE = /^(\s+)(\w*for_?each\w*)\s*\(/;
/** What may follow a loop macro's `)` on its line: nothing, its body's `{`, a comment or a statement. */
const LOOP_REST_RE = /^\s*(?:$|\{|\/[*/]|[A-Za-z_])/;

export function preprocess(source: string, cfg: KernelConfig): Preprocessed {
  const lines = source.split("\n");
  const defines = new Map<string, string>();
  const functionMacros = new Set<string>();
  const shifts = new Map<number, { at: number; delta: number }[]>();
  const stack: Frame[] = [];
  const active = () => stack.length === 0 || stack[stack.length - 1]!.active;
  // Inside a block comment a line starting with # is comment text, not a directive.
  let inComment = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const d = inComment ? null : DIRECTIVE.exec(line);
    if (d) {
      let body = d[2]!;
      let end = i;
      while (lines[end]!.endsWith("\\") && end + 1 < lines.length) {
        end++;
        body = `${body.replace(/\\$/, "")} ${lines[end]}`;
      }
      body = body.replace(/\\$/, "");
      const name = d[1]!;
      const on = active();
      switch (name) {
        case "if":
        case "ifdef":
        case "ifndef": {
          let v = false;
          if (on) {
            const id = body.trim().split(/\s+/)[0] ?? "";
            v =
              name === "if"
                ? evalCondition(body, cfg, defines)
                : (cfg.has(id) || defines.has(id) || functionMacros.has(id)) === (name === "ifdef");
          }
          stack.push({ parentActive: on, taken: v, active: on && v });
          break;
        }
        case "elif":
        case "elifdef":
        case "elifndef": {
          const f = stack[stack.length - 1];
          if (!f) break;
          if (!f.parentActive || f.taken) f.active = false;
          else {
            const id = body.trim().split(/\s+/)[0] ?? "";
            const v =
              name === "elif"
                ? evalCondition(body, cfg, defines)
                : (cfg.has(id) || defines.has(id)) === (name === "elifdef");
            f.active = v;
            f.taken = v;
          }
          break;
        }
        case "else": {
          const f = stack[stack.length - 1];
          if (f) {
            f.active = f.parentActive && !f.taken;
            f.taken = true;
          }
          break;
        }
        case "endif":
          stack.pop();
          break;
        case "define":
          if (on) {
            const m = /^([A-Za-z_]\w*)(\()?\s*(.*)$/.exec(body);
            if (m) {
              if (m[2]) functionMacros.add(m[1]!);
              else defines.set(m[1]!, m[3]!.replace(/\/\*.*?\*\//g, "").trim());
            }
          }
          break;
        case "undef":
          if (on) {
            defines.delete(body.trim());
            functionMacros.delete(body.trim());
          }
          break;
        default:
          break;
      }
      for (let j = i; j <= end; j++) lines[j] = "";
      i = end;
      continue;
    }
    if (!active()) {
      lines[i] = "";
      continue;
    }
    let out = line;
    out = out.replace(CONFIG_CALL_RE, (all, macro: string, opt: string) =>
      (CONFIG_MACROS[macro]!(cfg, opt) ? "1" : "0").padEnd(all.length, " "),
    );
    out = stripAnnotations(out);
    const it = ITERATOR_RE.exec(out) ?? LOOP_MACRO_RE.exec(out);
    if (it) {
      // `list_for_each_entry(pos, head, member) {` → `for (list_for_each_entry(pos, head, member);;) {`
      const open = it[0].length - 1;
      const close = matchParen(out, open);
      if (close > 0 && LOOP_REST_RE.test(out.slice(close))) {
        const indent = it[1]!.length;
        out = `${out.slice(0, indent)}for (${out.slice(indent, close)};;)${out.slice(close)}`;
        shifts.set(i + 1, [
          { at: indent, delta: 5 },
          { at: close + 5, delta: 3 },
        ]);
      }
    }
    lines[i] = out;
    inComment = updateComment(out, inComment);
  }
  return { text: lines.join("\n"), defines, functionMacros, shifts };
}

function stripAnnotations(line: string): string {
  let out = line;
  ANNOTATION_RE.lastIndex = 0;
  for (;;) {
    const m = ANNOTATION_RE.exec(out);
    if (!m) return out;
    let end = m.index + m[0].length;
    if (ANNOTATIONS[m[1]!]) {
      let j = end;
      while (out[j] === " ") j++;
      if (out[j] === "(") {
        const close = matchParen(out, j);
        if (close > 0) end = close;
      }
    }
    out = out.slice(0, m.index) + blankKeepingColumns(out.slice(m.index, end)) + out.slice(end);
    ANNOTATION_RE.lastIndex = end;
  }
}

function updateComment(line: string, inComment: boolean): boolean {
  let c = inComment;
  for (let i = 0; i < line.length - 1; i++) {
    if (!c && line[i] === "/" && line[i + 1] === "/") return c;
    if (!c && line[i] === "/" && line[i + 1] === "*") {
      c = true;
      i++;
    } else if (c && line[i] === "*" && line[i + 1] === "/") {
      c = false;
      i++;
    }
  }
  return c;
}
