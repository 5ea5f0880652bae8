/**
 * Where the memdesc API a user's file imports (`memdesc/sim`, `memdesc/model`)
 * is found: from this repository's sources when memdesc runs from source
 * (tsx, vitest), from the package's declaration files when it runs from a
 * build or an npm install. The checker always resolves the user's imports to
 * the memdesc that is running, so the types and the checker agree.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const API_LAYERS = ["model", "sim", "check", "census"] as const;

export interface ApiLocation {
  /** Package root (the folder with package.json). */
  readonly root: string;
  /** `paths` for the compiler: "memdesc/<layer>" → file. */
  readonly paths: Readonly<Record<string, readonly string[]>>;
  readonly from: "source" | "build";
}

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "stages"))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the memdesc package root above ${start}`);
    dir = up;
  }
}

let cached: ApiLocation | undefined;

export function apiLocation(): ApiLocation {
  if (cached) return cached;
  const here = dirname(fileURLToPath(import.meta.url));
  const root = findRoot(here);
  const fromSource = here.split(/[\\/]/).includes("src") && existsSync(join(root, "src", "sim", "index.ts"));
  const paths: Record<string, string[]> = {};
  for (const layer of API_LAYERS) {
    paths[`memdesc/${layer}`] = [
      fromSource ? resolve(root, "src", layer, "index.ts") : resolve(root, "dist", layer, "index.d.ts"),
    ];
  }
  cached = { root, paths, from: fromSource ? "source" : "build" };
  return cached;
}
