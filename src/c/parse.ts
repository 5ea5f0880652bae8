/**
 * The C parser: tree-sitter's C grammar (the `tree-sitter-c` package's WASM
 * build) run by `web-tree-sitter`. Both come from npm; nothing is built
 * natively and nothing is downloaded at run time (docs/decisions/0600).
 */
import { createRequire } from "node:module";
import { Language, type Node, Parser, type Tree } from "web-tree-sitter";

export type { Node, Tree };

let parser: Promise<Parser> | undefined;

async function load(): Promise<Parser> {
  const require = createRequire(import.meta.url);
  // The runtime's own .wasm, found through the package like the grammar's: bundled into dist/,
  // web-tree-sitter would look for it beside the bundle (dist/cli/web-tree-sitter.wasm) and fail.
  const runtimeWasm = require.resolve("web-tree-sitter/web-tree-sitter.wasm");
  await Parser.init({ locateFile: () => runtimeWasm });
  const language = await Language.load(require.resolve("tree-sitter-c/tree-sitter-c.wasm"));
  const p = new Parser();
  p.setLanguage(language);
  return p;
}

/** The shared parser (loading the grammar takes ~20 ms once per process). */
export function cParser(): Promise<Parser> {
  parser ??= load();
  return parser;
}

/** Parse preprocessed C text. */
export async function parseC(text: string): Promise<Tree> {
  const tree = (await cParser()).parse(text);
  if (!tree) throw new Error("tree-sitter returned no tree");
  return tree;
}
