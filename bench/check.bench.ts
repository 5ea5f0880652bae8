/**
 * `check` member of `npm run bench -- --json`: wall time of `memdesc check` at
 * two stages (today, final) against plain TypeScript 7 `tsc --noEmit` at one
 * stage on the same files, measured in the same run, both against the built
 * declarations (dist/, built here if missing), both as processes: on a
 * generated refactor of about 1,150 lines (`checkMs`, `tsc7Ms`, `ratioTsc7`)
 * and on a folder of 30 refactor files (`folder`). Also the type instantiation
 * count from `tsc --extendedDiagnostics`. Target (issue 13): ratioTsc7 ≤ 2.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchModule } from "./run.js";

const root = fileURLToPath(new URL("..", import.meta.url));

/** A refactor-shaped file: allocations, frees, folios, page tables, lists — every line type-checked. */
export function generateRefactor(functions: number): string {
  const out = [
    'import { __free_pages, alloc_pages, folio_alloc, folio_put, GFP_KERNEL, GFP_PGTABLE_KERNEL, init_mm, LIST_HEAD, list_add, list_del, pagetable_alloc, pagetable_dtor_free, pagetable_free, pagetable_pte_ctor, ptdesc_set_kernel, page_folio, folio_order } from "memdesc/sim";',
    "",
  ];
  for (let i = 0; i < functions; i++) {
    const o = i % 4;
    out.push(
      `export function refactor_${i}() {`,
      `  const page = alloc_pages("GFP_KERNEL | __GFP_COMP", ${o});`,
      "  if (!page) return;",
      "  const order = folio_order(page_folio(page));",
      `  __free_pages(page, ${o});`,
      `  const folio = folio_alloc(GFP_KERNEL, ${o});`,
      "  if (folio) folio_put(folio);",
      "  const pt = pagetable_alloc(GFP_PGTABLE_KERNEL, 0);",
      "  if (!pt) return order;",
      "  ptdesc_set_kernel(pt);",
      "  if (!pagetable_pte_ctor(init_mm, pt)) {",
      "    pagetable_free(pt);",
      "    return order;",
      "  }",
      "  const list = LIST_HEAD();",
      "  list_add(pt.pt_list, list);",
      "  list_del(pt.pt_list);",
      "  pagetable_dtor_free(pt);",
      "  return order;",
      "}",
      "",
    );
  }
  return `${out.join("\n")}\n`;
}

function time(
  cmd: string,
  args: readonly string[],
  cwd: string,
): { ms: number; stdout: string; status: number | null } {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, stdout: r.stdout, status: r.status };
}

/** The folder case: this many refactor files. */
const FOLDER_FILES = 30;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface CaseResult {
  readonly files: number;
  readonly lines: number;
  readonly checkMs: number;
  readonly tsc7Ms: number;
  readonly ratioTsc7: number;
  readonly instantiations: number;
}

/**
 * One case: plain TypeScript 7 `tsc --noEmit` at one stage (the package's declarations, no stage
 * selector: `today` is the default) and `memdesc check` at two stages, as processes, on the same
 * files; medians of `runs`.
 */
function measure(dir: string, files: readonly string[], lines: number, runs: number): CaseResult {
  // Plain tsc sees the same API the checker uses from a build: the package's declarations.
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        lib: ["ES2022"],
        module: "ESNext",
        moduleResolution: "Bundler",
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: [],
        paths: { "memdesc/sim": [join(root, "dist/sim/index.d.ts")] },
      },
      files: files.map((f) => relative(dir, f)),
    }),
  );
  const tscBin = join(root, "node_modules/typescript/bin/tsc");
  const tscMs: number[] = [];
  const checkMs: number[] = [];
  let instantiations = 0;
  for (let i = 0; i < runs; i++) {
    const t = time(process.execPath, [tscBin, "-p", dir, "--extendedDiagnostics"], dir);
    if (t.status !== 0) throw new Error(`plain tsc failed on the generated refactor:\n${t.stdout}`);
    tscMs.push(t.ms);
    instantiations = Number(/Instantiations:\s+(\d+)/.exec(t.stdout)?.[1] ?? 0);
    const target = files.length === 1 ? files[0]! : dir;
    const c = time(
      process.execPath,
      [join(root, "dist/cli/main.js"), "check", target, "--stage", "today,final"],
      dir,
    );
    if (c.status !== 0)
      throw new Error(
        `memdesc check reported findings on the generated refactor (it should be clean):\n${c.stdout}`,
      );
    checkMs.push(c.ms);
  }
  return {
    files: files.length,
    lines,
    checkMs: Math.round(median(checkMs)),
    tsc7Ms: Math.round(median(tscMs)),
    ratioTsc7: Number((median(checkMs) / median(tscMs)).toFixed(2)),
    instantiations,
  };
}

const bench: BenchModule = {
  name: "check",
  async run({ quick, log }) {
    if (!existsSync(join(root, "dist/cli/main.js")) || !existsSync(join(root, "dist/sim/index.d.ts"))) {
      log("building dist/ for the check benchmark (npm run build)");
      execFileSync("npm", ["run", "-s", "build"], { cwd: root, stdio: "ignore" });
    }
    const base = join(root, ".bench-tmp", "check");
    rmSync(base, { recursive: true, force: true });
    const runs = quick ? 1 : 3;
    // One generated refactor of about 1,150 lines.
    const one = join(base, "one");
    mkdirSync(one, { recursive: true });
    const source = generateRefactor(55);
    writeFileSync(join(one, "refactor.ts"), source);
    const single = measure(one, [join(one, "refactor.ts")], source.split("\n").length, runs);
    // A folder of 30 refactor files (about 100 lines each), checked as a folder.
    const folderDir = join(base, "folder");
    mkdirSync(folderDir, { recursive: true });
    const folderFiles: string[] = [];
    let folderLines = 0;
    for (let i = 0; i < FOLDER_FILES; i++) {
      const text = generateRefactor(5);
      const f = join(folderDir, `refactor_${String(i).padStart(2, "0")}.ts`);
      writeFileSync(f, text);
      folderFiles.push(f);
      folderLines += text.split("\n").length;
    }
    const folder = measure(folderDir, folderFiles, folderLines, runs);
    const result = {
      lines: single.lines,
      stages: ["today", "final"],
      checkMs: single.checkMs,
      tsc7Ms: single.tsc7Ms,
      ratioTsc7: single.ratioTsc7,
      target: "checkMs <= 2 * tsc7Ms (memdesc check at two stages against TypeScript 7 tsc --noEmit at one)",
      instantiations: single.instantiations,
      folder: {
        files: folder.files,
        lines: folder.lines,
        checkMs: folder.checkMs,
        tsc7Ms: folder.tsc7Ms,
        ratioTsc7: folder.ratioTsc7,
      },
      runs,
    };
    log(
      `check: ${result.lines} lines, memdesc check at 2 stages ${result.checkMs} ms vs tsc 7 --noEmit ${result.tsc7Ms} ms (${result.ratioTsc7}x); ${result.instantiations} instantiations`,
    );
    log(
      `check: folder of ${folder.files} files (${folder.lines} lines) ${folder.checkMs} ms vs tsc 7 ${folder.tsc7Ms} ms (${folder.ratioTsc7}x)`,
    );
    rmSync(base, { recursive: true, force: true });
    return result;
  },
};
export default bench;
