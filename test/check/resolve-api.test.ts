/**
 * `--run` resolves `memdesc/sim` to the checker's own copy, from a folder with no
 * node_modules, and neither a tsconfig.json in the user's folder nor TSX_TSCONFIG_PATH
 * can swap it (src/check/resolve-api.ts). The file under test reports the value of
 * GFP_TRANSHUGE it sees: 0x1c24ca from include/linux/gfp_types.h, worked out by hand;
 * the decoy module a tsconfig `paths` entry points at says 0.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { apiRuntimeFiles, importUserFile } from "../../src/check/resolve-api.js";

const root = mkdtempSync(join(tmpdir(), "memdesc-resolve-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const USER = `import { GFP_TRANSHUGE, alloc_pages, GFP_KERNEL } from "memdesc/sim";
export const value = GFP_TRANSHUGE;
export const hasAlloc = typeof alloc_pages === "function" && GFP_KERNEL === 0xcc0;
`;
const DECOY = `export const GFP_TRANSHUGE = 0;\nexport const GFP_KERNEL = 0;\nexport const alloc_pages = 0;\n`;

function folder(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  mkdirSync(join(dir, "decoy"), { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return dir;
}
const PATHS = JSON.stringify({ compilerOptions: { paths: { "memdesc/sim": ["./decoy/sim.ts"] } } });

describe("--run resolves memdesc/sim to the checker's copy", () => {
  it("maps every layer to a file that exists", () => {
    const { esm, cjs } = apiRuntimeFiles();
    expect(Object.keys(esm).sort()).toEqual([
      "memdesc/census",
      "memdesc/check",
      "memdesc/model",
      "memdesc/sim",
    ]);
    expect(cjs["memdesc/sim"]).toMatch(/[\\/]sim[\\/]index\.(ts|cjs|js)$/);
  });
  it("from a folder with no node_modules (a CommonJS-scoped .ts file)", async () => {
    const dir = folder("plain", { "a.ts": USER });
    const mod = await importUserFile(join(dir, "a.ts"));
    expect(mod.value).toBe(0x1c24ca);
    expect(mod.hasAlloc).toBe(true);
  });
  it('from an ES-module folder ("type": "module")', async () => {
    const dir = folder("esm", { "a.ts": USER, "package.json": '{ "type": "module" }\n' });
    const mod = await importUserFile(join(dir, "a.ts"));
    expect(mod.value).toBe(0x1c24ca);
  });
  it("a tsconfig.json with paths in the user's folder does not swap the module", async () => {
    const dir = folder("paths", { "a.ts": USER, "tsconfig.json": PATHS, "decoy/sim.ts": DECOY });
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const mod = await importUserFile(join(dir, "a.ts"));
      expect(mod.value).toBe(0x1c24ca);
    } finally {
      process.chdir(cwd);
    }
  });
  it("TSX_TSCONFIG_PATH pointing at such a tsconfig does not either, and is restored", async () => {
    const dir = folder("env", { "a.ts": USER, "tsconfig.json": PATHS, "decoy/sim.ts": DECOY });
    const saved = process.env.TSX_TSCONFIG_PATH;
    process.env.TSX_TSCONFIG_PATH = join(dir, "tsconfig.json");
    try {
      const mod = await importUserFile(join(dir, "a.ts"));
      expect(mod.value).toBe(0x1c24ca);
      expect(process.env.TSX_TSCONFIG_PATH).toBe(join(dir, "tsconfig.json"));
    } finally {
      if (saved === undefined) delete process.env.TSX_TSCONFIG_PATH;
      else process.env.TSX_TSCONFIG_PATH = saved;
    }
  });
});
