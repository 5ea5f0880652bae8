/**
 * The compile-time layout checks really reject a wrong layout: snippets in
 * test/model/snippets are compiled with the TypeScript compiler API under the
 * project's own compiler options, and every line marked
 * `// @expect-error TS<code> <text>` must carry exactly that diagnostic.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "@typescript/typescript6";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const snippet = (name: string) => join(root, "test", "model", "snippets", name);

function compilerOptions(): ts.CompilerOptions {
  const configPath = join(root, "tsconfig.json");
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root, undefined, configPath);
  return { ...parsed.options, noEmit: true };
}

interface Found {
  readonly line: number;
  readonly code: number;
  readonly message: string;
}

function compile(file: string): Found[] {
  const program = ts.createProgram([file], compilerOptions());
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === file)
    .map((d) => ({
      line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
      code: d.code,
      message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
    }));
}

function expectations(file: string): Found[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .flatMap((text, i) => {
      const m = /\/\/ @expect-error TS(\d+) (.+)$/.exec(text);
      return m ? [{ line: i + 1, code: Number(m[1]), message: (m[2] ?? "").trim() }] : [];
    });
}

describe("compile-time layout checks", () => {
  it("reject a wrong copy of a layout on the marked lines, naming the macro and both offsets", () => {
    const file = snippet("layout-mismatch.ts");
    const want = expectations(file);
    expect(want).toHaveLength(3);
    const got = compile(file);
    expect(got.map((d) => [d.line, d.code])).toEqual(want.map((w) => [w.line, w.code]));
    for (const w of want) {
      const d = got.find((g) => g.line === w.line);
      expect(d?.message).toContain(w.message);
    }
    expect(got[0]?.message).toBe(
      `Type '"TABLE_MATCH(memcg_data, pt_memcg_data): offsetof(struct ptdesc, pt_memcg_data) is 48 but offsetof(struct page, memcg_data) is 56"' does not satisfy the constraint 'true'.`,
    );
    expect(got[1]?.message).toContain(
      "offsetof(struct folio, _head_1) is 80 but offsetof(struct page, compound_info) + 1 * sizeof(struct page) is 72",
    );
  });

  it("accept exact copies of today's overlays", () => {
    expect(compile(snippet("layout-match.ts"))).toEqual([]);
  });
});
