/**
 * How `memdesc check --run` loads a user's file: `memdesc/<layer>` always
 * resolves to the memdesc that is running (this checker's own copy), wherever
 * the file is and whatever its folder contains.
 *
 * - A folder with no `node_modules` (a scratch file in /tmp) still finds
 *   `memdesc/sim`: the checker's copy.
 * - A `tsconfig.json` in the user's folder, or `TSX_TSCONFIG_PATH`, is not read
 *   (tsx's `tsconfig: false`): its `paths` cannot swap the module the scenarios
 *   run against, and its compiler options cannot change how the file runs.
 *   (The compile step applies the same rule: src/check/api-location.ts.)
 * - A `memdesc` installed in the user's `node_modules` is not used either: the
 *   run must use the same model the compile step checked against.
 *
 * What resolves to what: `memdesc/model`, `memdesc/sim`, `memdesc/check`,
 * `memdesc/census` → `src/<layer>/index.ts` when memdesc runs from source, or
 * `dist/<layer>/index.js` (ESM) / `index.cjs` (CommonJS) when it runs from a
 * build or an npm install. Every other import resolves as Node and tsx resolve
 * it from the user's file. A second copy of the kernel API (the user's
 * `memdesc/sim` beside the checker's) shares the current machine through a
 * registered symbol (src/sim/kernel/port.ts), so both act on the same machine.
 */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import Module, { register } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { API_LAYERS, apiLocation } from "./api-location.js";

/** The run-time file each `memdesc/<layer>` specifier resolves to, for ESM and for CommonJS. */
export function apiRuntimeFiles(): {
  readonly esm: Record<string, string>;
  readonly cjs: Record<string, string>;
} {
  const { root, from } = apiLocation();
  const esm: Record<string, string> = {};
  const cjs: Record<string, string> = {};
  for (const layer of API_LAYERS) {
    const spec = `memdesc/${layer}`;
    if (from === "source") {
      esm[spec] = cjs[spec] = resolve(root, "src", layer, "index.ts");
    } else {
      esm[spec] = resolve(root, "dist", layer, "index.js");
      const c = resolve(root, "dist", layer, "index.cjs");
      cjs[spec] = existsSync(c) ? c : esm[spec];
    }
  }
  return { esm, cjs };
}

let installed = false;

/**
 * Install the resolution once per process: an ESM resolve hook (module.register) for files
 * Node loads as ES modules, and a `Module._resolveFilename` wrapper for files it loads as
 * CommonJS (a `.ts` file in a folder without `"type": "module"`).
 */
export function installApiResolution(): void {
  if (installed) return;
  installed = true;
  const { esm, cjs } = apiRuntimeFiles();
  const urls = Object.fromEntries(Object.entries(esm).map(([k, f]) => [k, pathToFileURL(f).href]));
  const hook = `const MAP = ${JSON.stringify(urls)};
export async function resolve(specifier, context, next) {
  if (Object.hasOwn(MAP, specifier)) return { url: MAP[specifier], shortCircuit: true };
  return next(specifier, context);
}`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
  type Resolver = (request: string, ...rest: unknown[]) => string;
  const M = Module as unknown as { _resolveFilename: Resolver };
  const original = M._resolveFilename;
  M._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
    const mapped = Object.hasOwn(cjs, request) ? cjs[request] : undefined;
    return mapped ?? original.call(this, request, ...rest);
  };
}

let neutral: string | undefined;
/**
 * An empty tsconfig in a fresh temporary folder. tsx's CommonJS loader reads the tsconfig
 * named by TSX_TSCONFIG_PATH, or else the one in the working directory, whatever
 * `tsconfig: false` says (tsx 4.23): pointing it here keeps the user's `paths` out.
 */
function neutralTsconfig(): string {
  if (!neutral) {
    neutral = join(mkdtempSync(join(tmpdir(), "memdesc-run-")), "tsconfig.json");
    writeFileSync(neutral, '{ "compilerOptions": {} }\n');
  }
  return neutral;
}

/**
 * Import a user's TypeScript file the way `--run` does: through tsx, without the user's
 * tsconfig (or TSX_TSCONFIG_PATH), with `memdesc/<layer>` resolved to this checker's copy.
 */
export async function importUserFile(file: string): Promise<Record<string, unknown>> {
  installApiResolution();
  const { tsImport } = await import("tsx/esm/api");
  const saved = process.env.TSX_TSCONFIG_PATH;
  process.env.TSX_TSCONFIG_PATH = neutralTsconfig();
  try {
    return (await tsImport(pathToFileURL(resolve(file)).href, {
      parentURL: import.meta.url,
      tsconfig: false,
    })) as Record<string, unknown>;
  } finally {
    if (saved === undefined) delete process.env.TSX_TSCONFIG_PATH;
    else process.env.TSX_TSCONFIG_PATH = saved;
  }
}
