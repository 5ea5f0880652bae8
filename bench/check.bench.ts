/**
 * `check` member of `npm run bench -- --json`: wall time of `memdesc check` on
 * a generated refactor of about 1,000 lines at two stages (today, final), and
 * the same file's plain `tsc --noEmit` measured in the same run, both against
 * the built declarations (dist/, built here if missing), both as processes.
 * Also the type instantiation count from `tsc --extendedDiagnostics`.
 * Target: check ≤ 2.5 × tsc.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const bench: BenchModule = {
  name: "check",
  async run({ quick, log }) {
    if (!existsSync(join(root, "dist/cli/main.js")) || !existsSync(join(root, "dist/sim/index.d.ts"))) {
      log("building dist/ for the check benchmark (npm run build)");
      execFileSync("npm", ["run", "-s", "build"], { cwd: root, stdio: "ignore" });
    }
    const dir = join(root, ".bench-tmp", "check");
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const source = generateRefactor(55);
    const file = join(dir, "refactor.ts");
    writeFileSync(file, source);
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
        files: ["refactor.ts"],
      }),
    );
    const lines = source.split("\n").length;
    const tscBin = join(root, "node_modules/typescript/bin/tsc");
    const runs = quick ? 1 : 3;
    const tscMs: number[] = [];
    const checkMs: number[] = [];
    let instantiations = 0;
    let checkStatus: number | null = null;
    for (let i = 0; i < runs; i++) {
      const t = time(process.execPath, [tscBin, "-p", dir, "--extendedDiagnostics"], dir);
      if (t.status !== 0) throw new Error(`plain tsc failed on the generated refactor:\n${t.stdout}`);
      tscMs.push(t.ms);
      instantiations = Number(/Instantiations:\s+(\d+)/.exec(t.stdout)?.[1] ?? 0);
      const c = time(
        process.execPath,
        [join(root, "dist/cli/main.js"), "check", file, "--stage", "today,final"],
        dir,
      );
      checkStatus = c.status;
      checkMs.push(c.ms);
    }
    if (checkStatus !== 0)
      throw new Error("memdesc check reported findings on the generated refactor (it should be clean)");
    const result = {
      lines,
      stages: ["today", "final"],
      checkMs: Math.round(median(checkMs)),
      tscMs: Math.round(median(tscMs)),
      ratio: Number((median(checkMs) / median(tscMs)).toFixed(2)),
      target: "checkMs <= 2.5 * tscMs",
      instantiations,
      runs,
    };
    log(
      `check: ${result.lines} lines, memdesc check at 2 stages ${result.checkMs} ms vs tsc --noEmit ${result.tscMs} ms (${result.ratio}x); ${instantiations} instantiations`,
    );
    rmSync(dir, { recursive: true, force: true });
    return result;
  },
};
export default bench;
