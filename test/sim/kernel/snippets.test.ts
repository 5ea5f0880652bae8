/**
 * Compile-time behaviour of the kernel-named API: every snippet in
 * test/sim/kernel/snippets is compiled (one program, the project's compiler
 * options, `memdesc/sim` resolved as a user's file resolves it), and each
 * line marked `// @expect-error TS<code> <text>` must carry exactly that
 * diagnostic — every other line none. Snippets without markers are the
 * must-pass cases (and the transliterations of the C in the API docs).
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "@typescript/typescript6";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const dir = join(root, "test", "sim", "kernel", "snippets");

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

const files = readdirSync(dir)
  .filter((f) => f.endsWith(".ts"))
  .sort()
  .map((f) => join(dir, f));

let program: ts.Program | undefined;
function diagnostics(file: string): Found[] {
  program ??= ts.createProgram(files, compilerOptions());
  const sf = program.getSourceFile(file);
  return [...program.getSemanticDiagnostics(sf), ...program.getSyntacticDiagnostics(sf)].map((d) => ({
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

describe("kernel API snippets compile as marked", () => {
  it("has snippets", () => expect(files.length).toBeGreaterThan(0));
  for (const file of files) {
    it(file.slice(dir.length + 1), () => {
      const want = expectations(file);
      const got = diagnostics(file);
      expect(got.map((d) => [d.line, d.code])).toEqual(want.map((w) => [w.line, w.code]));
      for (const w of want) expect(got.find((g) => g.line === w.line)?.message).toContain(w.message);
    }, 120_000);
  }
});
