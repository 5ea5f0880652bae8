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
    entry: { "cli/main": "src/cli/main.ts" },
    format: ["esm"],
    target: "node20",
    platform: "node",
    splitting: true,
    clean: false,
    shims: true,
  },
]);
