/**
 * docs/api.md: every kernel name memdesc/sim exports, read from the source with the
 * TypeScript compiler API — each function's C form and kernel file (from its TSDoc),
 * what the model does and does not model (the TSDoc itself), the rules its parameter
 * types check at compile time (the check types in its signature) and the rules its body
 * checks at run time (rule IDs and the checking helpers it calls). Anchors are the
 * function name in lower case (`#alloc_pages`), for links from `memdesc check` messages.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "@typescript/typescript6";
import { PAGE_TYPE_TABLE } from "../../src/model/page-type.js";
import { RULES, type RuleId } from "../../src/model/rules.js";
import { GFP_DEFINITIONS, type GfpName, gfpValue } from "../../src/sim/kernel/gfp.js";
import type { DocPage } from "../gen-docs.js";
import { KERNEL_SOURCES, kernelTagOf } from "./lib/kernel-sources.js";
import { hex, table } from "./md.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const entry = join(root, "src", "sim", "index.ts");

/** Compile-time check types (src/sim/kernel/checks.ts and the GFP reader) → the rules they decide. */
const CHECK_RULES: Readonly<Record<string, readonly string[]>> = {
  Live: ["MD014", "MD015"],
  FreeOrder: ["MD002"],
  OrderIsZero: ["MD002"],
  KindIs: ["MD006"],
  WholeAllocation: ["MD008"],
  CompoundFree: ["MD009"],
  NotCompound: ["MD010"],
  Untyped: ["MD003"],
  TypedAs: ["MD004"],
  NotConstructed: ["MD011"],
  Constructed: ["MD011"],
  CtorChecked: ["MD011", "MD014", "MD015"],
  NotLiveTable: ["MD012"],
  NotKernelTable: ["MD013"],
  KernelTableMarked: ["MD013"],
  PteFreeChecked: ["MD011", "MD013", "MD014", "MD015"],
  HasField: ["MD007"],
  RefPage: ["MD007", "MD014", "MD015"],
};
/** Helpers and machine operations a body calls → the run-time rules they check. */
const RUN_RULES: Readonly<Record<string, readonly string[]>> = {
  checkLive: ["MD015"],
  checkKind: ["MD006"],
  ctor: ["MD011"],
  dtor: ["MD011"],
  freeTable: ["MD012", "MD017"],
  freeAny: ["MD012", "MD017"],
  freeLevel: ["MD011", "MD012", "MD017"],
  freePages: ["MD002", "MD014", "MD016", "MD017"],
  freeCompoundOrder: ["MD009", "MD014", "MD016", "MD017"],
  putPage: ["MD009", "MD014", "MD016", "MD017"],
  freeFrozenPages: ["MD002", "MD014", "MD016", "MD017"],
  setPageRefCount: ["MD015"],
  refAdd: ["MD015"],
  splitPage: ["MD010"],
  setPageType: ["MD003"],
  clearPageType: ["MD004"],
  allocPages: ["MD017"],
  ptAlloc: ["MD017"],
  markPgtableReachable: ["MD017"],
  escapes: ["MD017"],
  install: ["MD017"],
};

interface Entry {
  readonly name: string;
  readonly kind: "function" | "constant" | "type";
  readonly file: string;
  readonly doc: string;
  readonly compile: readonly string[];
  readonly run: readonly string[];
}

const KERNEL_FILE = /\b((?:include|mm|arch|kernel|drivers|lib)\/[\w/.-]+\.[ch])\b/;

function docOf(node: ts.Node, sf: ts.SourceFile): string {
  const ranges = ts.getLeadingCommentRanges(sf.text, node.getFullStart()) ?? [];
  const last = ranges.filter((r) => sf.text.slice(r.pos, r.pos + 3) === "/**").at(-1);
  if (!last) return "";
  return sf.text
    .slice(last.pos + 3, last.end - 2)
    .split("\n")
    .map((l) => l.replace(/^\s*\* ?/, ""))
    .join("\n")
    .trim();
}

function rulesIn(text: string, table: Readonly<Record<string, readonly string[]>>, call: boolean): string[] {
  const out = new Set<string>();
  for (const [name, rules] of Object.entries(table)) {
    const re = call ? new RegExp(`\\b${name}\\(`) : new RegExp(`\\b${name}<`);
    if (re.test(text)) for (const r of rules) out.add(r);
  }
  for (const m of text.matchAll(/rule: "(MD\d{3})"/g)) out.add(m[1] as string);
  return [...out].sort();
}

function collect(): Entry[] {
  const config = ts.readConfigFile(join(root, "tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const program = ts.createProgram([entry], { ...parsed.options, noEmit: true });
  const checker = program.getTypeChecker();
  const sf = program.getSourceFile(entry);
  if (!sf) throw new Error(`cannot read ${entry}`);
  const moduleSymbol = checker.getSymbolAtLocation(sf);
  if (!moduleSymbol) throw new Error("src/sim/index.ts has no module symbol");
  const out: Entry[] = [];
  for (const exp of checker.getExportsOfModule(moduleSymbol)) {
    const sym = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
    const decl = sym.declarations?.[0];
    if (!decl) continue;
    const file = decl.getSourceFile();
    const rel = file.fileName.slice(root.length + 1).replace(/\\/g, "/");
    // Kernel names live in src/sim/kernel; the machine and the library API (camelCase) are elsewhere.
    if (!rel.startsWith("src/sim/kernel/") || rel.endsWith("/port.ts")) continue;
    const name = exp.getName();
    if (/^[a-z]+[A-Z]/.test(name) && !/^(Page|SetPage|ClearPage|__SetPage|__ClearPage)/.test(name)) continue;
    let node: ts.Node = decl;
    if (ts.isVariableDeclaration(decl)) node = decl.parent.parent;
    const doc = docOf(node, file);
    const text = node.getText(file);
    if (
      ts.isFunctionDeclaration(decl) ||
      (ts.isVariableDeclaration(decl) && decl.initializer && ts.isArrowFunction(decl.initializer))
    ) {
      const sig = ts.isFunctionDeclaration(decl) ? text.slice(0, text.indexOf("{") + 1) : text;
      const body = ts.isFunctionDeclaration(decl) ? (decl.body?.getText(file) ?? "") : text;
      out.push({
        name,
        kind: "function",
        file: rel,
        doc,
        compile: rulesIn(sig, CHECK_RULES, false),
        run: rulesIn(body, RUN_RULES, true),
      });
    } else if (ts.isVariableDeclaration(decl)) {
      out.push({ name, kind: "constant", file: rel, doc, compile: [], run: [] });
    } else if (ts.isTypeAliasDeclaration(decl) || ts.isInterfaceDeclaration(decl)) {
      out.push({ name, kind: "type", file: rel, doc, compile: [], run: [] });
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.name.localeCompare(b.name));
}

/** A file's header comment: the kernel files it models. */
function fileHeader(rel: string): string {
  const text = ts.sys.readFile(join(root, rel)) ?? "";
  const m = /^\/\*\*([\s\S]*?)\*\//.exec(text);
  return m ? (m[1] ?? "").replace(/^\s*\* ?/gm, "").trim() : "";
}

/**
 * The C prototypes of an entry: the `@c` lines of its TSDoc (the declaration as the kernel writes
 * it; a `_noprof` function is shown under the name its alloc_hooks() macro gives it). A name
 * with no kernel counterpart says so with `@c none: …`.
 */
export function prototypesOf(doc: string): string[] {
  return [...doc.matchAll(/^@c (.+)$/gm)].map((m) => (m[1] ?? "").trim());
}

/** The TSDoc without its tags: the `@c` lines go to the prototype block, `@example` is a heading. */
function prose(doc: string): string {
  return doc
    .split("\n")
    .filter((l) => !l.startsWith("@c ") && !l.startsWith("@kernel "))
    .map((l) => (l.trim() === "@example" ? "Example:" : l))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * An entry's "Kernel file" line: the file its `@kernel` tag names and the tree and commit its
 * prototype was checked against (scripts/docs/lib/kernel-sources.ts); without a tag, the first kernel
 * path of its TSDoc (or the module's), marked as not checked.
 */
export function kernelFileLine(doc: string, header: string): string {
  if (/^@c none:/m.test(doc)) return "— (memdesc's own name)";
  const tag = kernelTagOf(doc);
  if (tag !== null) {
    const src = KERNEL_SOURCES[tag];
    if (!src) throw new Error(`@kernel ${tag}: not in scripts/docs/lib/kernel-sources.ts`);
    return src.commit === null
      ? `\`${src.path}\` (prototype checked by its text in a kernel diff; no current copy of the file is stored)`
      : `\`${src.path}\` (prototype checked against ${src.repo}@${src.commit.slice(0, 12)})`;
  }
  const own = KERNEL_FILE.exec(doc)?.[1];
  const fromHeader = KERNEL_FILE.exec(header)?.[1];
  const file = own ? `\`${own}\`` : fromHeader ? `\`${fromHeader}\` (the module's)` : "—";
  return `${file} (prototype not checked against a kernel tree)`;
}

/** The page-type accessor names PAGE_TYPE_OPS / FOLIO_TYPE_OPS generate (listed in their own table). */
const ACCESSOR = /^(Page|__SetPage|__ClearPage|folio_test_|__folio_set_|__folio_clear_)/;

const ruleLink = (r: string): string => `[${r}](rules.md#${r.toLowerCase()}-${RULES[r as RuleId].slug})`;

function render(entries: readonly Entry[]): string {
  const out: string[] = [];
  out.push("# memdesc/sim API reference");
  out.push("");
  out.push(
    "Every kernel name `memdesc/sim` exports, generated from the source (`scripts/docs/api.ts`). " +
      "Each entry gives the C form as the kernel spells it, the kernel file it follows, what the model does " +
      "and does not model (the function's own documentation), and the rules it checks: at compile time (the " +
      "check types in its parameter types: [docs/rules.md](rules.md)) and at run time (the checks its body makes " +
      "on the simulated machine, including the page allocator's free-time checks). Where the compiler cannot " +
      "decide — an order or a mask that is not a literal — the run-time check is the backstop.",
  );
  out.push("");
  out.push(
    "Masks and addresses are written as the kernel writes them: [decision 0040](decisions/0040-gfp-masks-are-numbers.md) " +
      `(GFP masks are the kernel's numbers; a C-expression string such as \`\` \`\${gfp} | __GFP_COMP\` \`\` lets the ` +
      "compiler read the flags) and [decision 0041](decisions/0041-kernel-addresses.md) (kernel addresses; " +
      "use `PAGE_ALIGN_DOWN(addr)`, not `addr & ~(PAGE_SIZE - 1)`, which JavaScript truncates to 32 bits).",
  );
  out.push("");
  out.push(
    "C prototypes are the kernel's own text, copied by hand from these files (the newest tree, " +
      "linux-mm/linux-mm, unless the name is gone from it) and checked in " +
      "test/docs/api-prototypes.test.ts; a `_noprof` function behind `alloc_hooks()` is shown with " +
      "its `#define name(...)` line, which is what callers write ([decision 0046](decisions/0046-api-prototypes-verified.md)):",
  );
  out.push("");
  out.push(
    table(
      ["kernel file", "tree", "commit"],
      Object.values(KERNEL_SOURCES).map((k) => [
        `\`${k.path}\``,
        k.repo,
        k.commit === null ? "— (text found in a kernel diff)" : `\`${k.commit}\``,
      ]),
    ),
  );
  out.push("");
  const files = [...new Set(entries.map((e) => e.file))];
  out.push("## Contents");
  out.push("");
  for (const f of files) {
    const fns = entries.filter((e) => e.file === f && e.kind === "function");
    if (fns.length === 0) continue;
    out.push(`- \`${f}\`: ${fns.map((e) => `[${e.name}](#${e.name.toLowerCase()})`).join(", ")}`);
  }
  out.push("");
  for (const f of files) {
    const fns = entries.filter((e) => e.file === f && e.kind === "function");
    if (fns.length === 0) continue;
    out.push(`## \`${f}\``);
    out.push("");
    const header = fileHeader(f);
    if (header) {
      out.push(header);
      out.push("");
    }
    for (const e of fns) {
      const kfile = kernelFileLine(e.doc, header);
      out.push(`<a id="${e.name.toLowerCase()}"></a>`);
      out.push("");
      out.push(`### ${e.name}`);
      out.push("");
      const protos = prototypesOf(e.doc);
      const real = protos.filter((p) => !p.startsWith("none:"));
      if (real.length > 0) {
        out.push("```c");
        for (const p of real) out.push(p.startsWith("#define") ? p : `${p};`);
        out.push("```");
        out.push("");
      }
      for (const p of protos.filter((q) => q.startsWith("none:"))) out.push(`C: ${p.slice(5).trim()}.`, "");
      out.push(`Kernel file: ${kfile}`);
      out.push("");
      out.push(prose(e.doc) || "_No documentation: see the source._");
      out.push("");
      out.push(
        `Compile time: ${e.compile.length ? e.compile.map(ruleLink).join(", ") : "no rule (nothing the compiler can decide)"}. ` +
          `Run time: ${e.run.length ? e.run.map(ruleLink).join(", ") : "no rule"}.`,
      );
      out.push("");
    }
  }
  out.push("## Page-type accessors");
  out.push("");
  out.push(
    "Generated from the page-type table (src/model/page-type.ts), as include/linux/page-flags.h generates " +
      "them: `PAGE_TYPE_OPS(uname, lname, fname)` gives PageX / __SetPageX / __ClearPageX and, through " +
      "`FOLIO_TYPE_OPS(lname, fname)`, folio_test_x / __folio_set_x / __folio_clear_x; a folio-only type has " +
      "the folio forms alone. Setting a type on a page that has one is MD003, clearing a type the page does " +
      "not have is MD004 — at compile time where the handle's type is known, at run time always (the " +
      "kernel's VM_BUG_ON_PAGE). Every accessor also checks MD014/MD015 (a freed handle) at compile time.",
  );
  out.push("");
  const rows: string[][] = [];
  for (const t of PAGE_TYPE_TABLE) {
    const forms: [string, string, string, string][] = [];
    if (t.uname !== null) {
      forms.push(
        [`Page${t.uname}`, `static __always_inline int Page${t.uname}(const struct page *page)`, "", ""],
        [
          `__SetPage${t.uname}`,
          `static __always_inline void __SetPage${t.uname}(struct page *page)`,
          "MD003",
          "MD003",
        ],
        [
          `__ClearPage${t.uname}`,
          `static __always_inline void __ClearPage${t.uname}(struct page *page)`,
          "MD004",
          "MD004",
        ],
      );
    }
    forms.push(
      [
        `folio_test_${t.fname}`,
        `static __always_inline bool folio_test_${t.fname}(const struct folio *folio)`,
        "",
        "",
      ],
      [
        `__folio_set_${t.fname}`,
        `static __always_inline void __folio_set_${t.fname}(struct folio *folio)`,
        "MD003",
        "MD003",
      ],
      [
        `__folio_clear_${t.fname}`,
        `static __always_inline void __folio_clear_${t.fname}(struct folio *folio)`,
        "MD004",
        "MD004",
      ],
    );
    for (const [name, proto, compile, run] of forms) {
      rows.push([
        `<a id="${name.toLowerCase()}"></a>\`${name}\``,
        `\`${proto}\``,
        `PGTY_${t.name}`,
        compile ? `${ruleLink(compile)}, ${ruleLink("MD014")}, ${ruleLink("MD015")}` : "—",
        run ? ruleLink(run) : "—",
      ]);
    }
  }
  const pf = KERNEL_SOURCES["include/linux/page-flags.h"];
  out.push(
    `Kernel file: \`include/linux/page-flags.h\` (prototypes checked against ${pf?.repo}@${pf?.commit?.slice(0, 12)}).`,
  );
  out.push("");
  out.push(table(["accessor", "C prototype", "type", "compile time", "run time"], rows));
  out.push("");
  out.push("## Types");
  out.push("");
  out.push(
    table(
      ["name", "file", "what it is"],
      entries
        .filter((e) => e.kind === "type")
        .map((e) => [`\`${e.name}\``, `\`${e.file}\``, (e.doc.split("\n")[0] ?? "").trim()]),
    ),
  );
  out.push("");
  out.push("## GFP masks");
  out.push("");
  out.push(
    "Values for x86-64 without `CONFIG_KASAN_HW_TAGS` and `CONFIG_LOCKDEP` (include/linux/gfp_types.h, " +
      "include/asm-generic/pgalloc.h), computed from the definitions below and tested against values worked out by hand.",
  );
  out.push("");
  out.push(
    table(
      ["name", "value", "definition"],
      (Object.keys(GFP_DEFINITIONS) as GfpName[]).map((n) => {
        const d = GFP_DEFINITIONS[n] as { readonly bit?: string | null; readonly c?: string };
        return [
          `\`${n}\``,
          hex(gfpValue(n), 1),
          d.c ? `\`${d.c}\`` : d.bit ? `BIT(${d.bit})` : "0 in this configuration",
        ];
      }),
    ),
  );
  out.push("");
  out.push("## Constants");
  out.push("");
  out.push(
    entries
      .filter(
        (e) =>
          e.kind === "constant" &&
          !Object.hasOwn(GFP_DEFINITIONS, e.name) &&
          e.name !== "__GFP_BITS_MASK" &&
          !ACCESSOR.test(e.name),
      )
      .map((e) => `\`${e.name}\``)
      .join(", "),
  );
  return out.join("\n");
}

export default function api(): DocPage[] {
  return [{ path: "docs/api.md", content: render(collect()) }];
}
