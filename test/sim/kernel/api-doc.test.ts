/**
 * docs/api.md as a product: every kernel function memdesc/sim exports has an entry with its C
 * prototype (a ```c block under its heading, or a row of the page-type accessor table), and the
 * transliterations in it — each ```ts block that follows a ```c example — type-check against
 * memdesc/sim with no cast (`as`), compiled in memory with the project's options as a user's
 * file would be.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "@typescript/typescript6";
import { describe, expect, it } from "vitest";
import * as kernel from "../../../src/sim/kernel/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const doc = readFileSync(join(root, "docs", "api.md"), "utf8");

/** name -> the prototypes docs/api.md gives it ("none: …" for memdesc's own names). */
function documented(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const sections = doc.split(/^### /m).slice(1);
  for (const sec of sections) {
    const name = sec.slice(0, sec.indexOf("\n")).trim();
    const body = sec.slice(sec.indexOf("\n"));
    const c = /^\n+```c\n([\s\S]*?)\n```/.exec(body);
    const none = /^\n+C: (.+)$/m.exec(body);
    const protos = (c?.[1] ?? "").split("\n").filter((l) => l.trim() !== "");
    out.set(name, protos.length > 0 ? protos : none ? [`none: ${none[1]}`] : []);
  }
  for (const m of doc.matchAll(/^\| <a id="[^"]+"><\/a>`([^`]+)` \| `([^`]+)` \|/gm)) out.set(m[1]!, [m[2]!]);
  return out;
}

/** The kernel-named functions of memdesc/sim (the library's camelCase API and classes excluded). */
function kernelFunctions(): string[] {
  return Object.entries(kernel)
    .filter(([, v]) => typeof v === "function" && !/^class\b/.test(Function.prototype.toString.call(v)))
    .map(([k]) => k)
    .filter((k) => !/^[a-z]+[A-Z]/.test(k) || /^(Page|SetPage|ClearPage|__SetPage|__ClearPage)/.test(k))
    .sort();
}

describe("docs/api.md", () => {
  const entries = documented();
  it("has an entry with a C prototype for every kernel function memdesc/sim exports", () => {
    const fns = kernelFunctions();
    expect(fns.length).toBeGreaterThan(250); // ~210 functions plus the page-type accessors
    const missing = fns.filter((f) => (entries.get(f) ?? []).length === 0);
    expect(missing).toEqual([]);
    // Only memdesc's own names have no kernel prototype, and the entry says so.
    const own = [...entries].filter(([, p]) => p[0]?.startsWith("none:")).map(([n]) => n);
    expect(own.sort()).toEqual(["define_page_type_owner_fields", "memdesc_word", "page_memdesc"]);
  });
  it("gives the kernel's declaration, return type and parameters included", () => {
    // include/linux/gfp.h (linux-mm/linux-mm @00cd9c45): the alloc_hooks() macro callers write, then
    // the _noprof declaration it wraps (decision 0046).
    expect(entries.get("alloc_pages")).toEqual([
      "#define alloc_pages(...)",
      "struct page *alloc_pages_noprof(gfp_t gfp, unsigned int order);",
    ]);
    expect(entries.get("page_ref_dec_and_test")).toEqual([
      "static inline int page_ref_dec_and_test(struct page *page);",
    ]);
    expect(entries.get("vmemmap_free")).toEqual([
      "void __ref vmemmap_free(unsigned long start, unsigned long end, struct vmem_altmap *altmap);",
    ]);
    expect(entries.get("__SetPageBuddy")).toEqual([
      "static __always_inline void __SetPageBuddy(struct page *page)",
    ]);
    expect(entries.get("folio_test_hugetlb")).toEqual([
      "static __always_inline bool folio_test_hugetlb(const struct folio *folio)",
    ]);
  });
});

/** Each ```ts block that directly follows a ```c block: the transliteration of a C example. */
function transliterations(): string[] {
  return [...doc.matchAll(/```c\n[\s\S]*?\n```\n```ts\n([\s\S]*?)\n```/g)].map((m) => m[1] ?? "");
}

function compilerOptions(): ts.CompilerOptions {
  const configPath = join(root, "tsconfig.json");
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  return {
    ...ts.parseJsonConfigFileContent(config.config, ts.sys, root, undefined, configPath).options,
    noEmit: true,
  };
}

function casts(sf: ts.SourceFile): string[] {
  const found: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isAsExpression(n) || ts.isTypeAssertionExpression(n)) found.push(n.getText(sf));
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

describe("the C examples of docs/api.md, written out in TypeScript", () => {
  const blocks = transliterations();
  it("exist for the new names", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const name of ["set_page_refcounted", "page_ref_dec_and_test", "vmemmap_free"])
      expect(blocks.some((b) => b.includes(`${name}(`))).toBe(true);
  });
  it("type-check against memdesc/sim with no cast", () => {
    const dir = join(root, "test", "sim", "kernel", "__api_md__");
    const files = new Map(blocks.map((b, i) => [join(dir, `example-${i}.ts`), b]));
    const options = compilerOptions();
    const host = ts.createCompilerHost(options);
    const { fileExists, readFile, getSourceFile } = host;
    host.fileExists = (f) => files.has(f) || fileExists.call(host, f);
    host.readFile = (f) => files.get(f) ?? readFile.call(host, f);
    host.getSourceFile = (f, lang, ...rest) => {
      const text = files.get(f);
      return text !== undefined
        ? ts.createSourceFile(f, text, lang, true)
        : getSourceFile.call(host, f, lang, ...rest);
    };
    const program = ts.createProgram([...files.keys()], options, host);
    for (const [file, text] of files) {
      const sf = program.getSourceFile(file)!;
      const diags = [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map(
        (d) => `${ts.flattenDiagnosticMessageText(d.messageText, "\n")}\n--- in ---\n${text}`,
      );
      expect(diags).toEqual([]);
      expect(casts(sf)).toEqual([]);
    }
  }, 120_000);
});
