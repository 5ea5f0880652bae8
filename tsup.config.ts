import { defineConfig } from "tsup";

// One entry per public layer (the package's `exports` map), in ESM and CJS with
// declarations, plus the CLI (ESM only: it uses top-level await).
// tsup exits 0 on type errors, so `.ci/run` runs `tsc --noEmit` as its own step.
const layers = {
  "model/index": "src/model/index.ts",
  "sim/index": "src/sim/index.ts",
  "check/index": "src/check/index.ts",
  "census/index": "src/census/index.ts",
};

// The CLI's start-up time is part of every command's time (a live census is
// measured as a whole process against a C reader: bench/census.bench.ts). Node
// 20 has no compile cache for ES modules (module.enableCompileCache is Node
// 22.1+), and its ESM loader costs about a millisecond per file: zod alone is
// 95 files. So the CLI is bundled with its dependencies (one chunk per command,
// through the dynamic imports in src/cli/commands.ts), except TypeScript and
// tsx, which only `check` loads and which must stay the packages users have.
// docs/decisions/0801-cli-bundle.md.
const cliExternal = ["typescript", "tsx", "@typescript/typescript6"];

export default defineConfig([
  {
    entry: layers,
    format: ["esm", "cjs"],
    dts: true,
    target: "node20",
    platform: "node",
    splitting: true,
    clean: true,
    shims: true,
  },
  {
    // Its chunks stay in dist/cli/: paths such as the shipped sample are resolved from import.meta.url.
    entry: { main: "src/cli/main.ts" },
    outDir: "dist/cli",
    format: ["esm"],
    target: "node20",
    platform: "node",
    splitting: true,
    clean: false,
    shims: true,
    noExternal: [/^(?!typescript$|typescript\/|tsx$|tsx\/|@typescript\/)/],
    external: cliExternal,
    // Bundled CommonJS dependencies (commander, cli-progress) call require(): give the ESM chunks one.
    banner: {
      js: 'import { createRequire as __memdescCreateRequire } from "node:module"; const require = __memdescCreateRequire(import.meta.url);',
    },
  },
]);
