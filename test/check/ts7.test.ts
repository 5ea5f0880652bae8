/**
 * TypeScript 7 beside TypeScript 6 (issue 13; decision 0021): the rule examples compiled by
 * TypeScript 7's native compiler, through its API (`typescript/unstable/sync`), give the same
 * diagnostics — file, line, column, code — at every stage as the TypeScript 6 program
 * memdesc check uses today, and each rule finding's sentence is in TypeScript 7's own message
 * (what a user's `tsc` 7 prints). Runs while TypeScript 6 is still needed anywhere.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import ts6 from "@typescript/typescript6";
import { API } from "typescript/unstable/sync";
import { afterAll, describe, expect, it } from "vitest";
import { apiLocation } from "../../src/check/api-location.js";
import { checkerCompilerOptions, compileAgainstStages } from "../../src/check/compile.js";
import { STAGES } from "../../src/model/stage.js";

const dir = resolve(__dirname, "../../examples/rules");
const files = readdirSync(dir)
  .sort()
  .flatMap((d) => ["bad.ts", "good.ts"].map((f) => join(dir, d, f)));
const root = apiLocation().root;

function lineCol(file: string, pos: number): string {
  const before = readFileSync(file, "utf8").slice(0, pos).split("\n");
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

const api = new API({
  cwd: root,
  fs: {
    readFile: (f: string) => {
      const m = /\/\.memdesc-ts7-(\w+)\.tsconfig\.json$/.exec(f);
      if (!m) return undefined;
      return JSON.stringify({
        compilerOptions: {
          target: "es2022",
          lib: ["es2022"],
          module: "esnext",
          moduleResolution: "bundler",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
          paths: apiLocation().paths,
        },
        files: [...files, join(root, "stages", `${m[1]}.d.ts`)],
      });
    },
    fileExists: (f: string) => (/\/\.memdesc-ts7-\w+\.tsconfig\.json$/.test(f) ? true : undefined),
  },
});
afterAll(() => api.close());

describe("TypeScript 7 and TypeScript 6 agree on the rule examples", () => {
  for (const stage of STAGES) {
    it(`${stage}: same diagnostics; every rule sentence is in TypeScript 7's message`, () => {
      const config = join(root, `.memdesc-ts7-${stage}.tsconfig.json`);
      const project = api.updateSnapshot({ openProjects: [config] }).getProject(config)!;
      const ts7: { at: string; text: string }[] = [];
      for (const file of files)
        for (const d of project.program.getSemanticDiagnostics(file)) {
          const chain = (c: { text: string; messageChain?: readonly unknown[] | undefined }): string =>
            [c.text, ...((c.messageChain ?? []) as { text: string }[]).map(chain)].join("\n");
          ts7.push({ at: `${file}:${lineCol(file, d.pos)} TS${d.code}`, text: chain(d) });
        }
      // TypeScript 6, the same program memdesc check builds: raw diagnostics, then its findings.
      const program = ts6.createProgram({
        rootNames: [...files, join(root, "stages", `${stage}.d.ts`)],
        options: checkerCompilerOptions(),
      });
      const raw: string[] = [];
      for (const file of files) {
        const sf = program.getSourceFile(file)!;
        for (const d of program.getSemanticDiagnostics(sf)) {
          const p = sf.getLineAndCharacterOfPosition(d.start!);
          raw.push(`${file}:${p.line + 1}:${p.character + 1} TS${d.code}`);
        }
      }
      expect(ts7.map((d) => d.at).sort()).toEqual(raw.sort());
      expect(raw.length).toBeGreaterThan(0);
      // Where TypeScript reports, a rule finding's full sentence is in TypeScript 7's own message.
      const findings = compileAgainstStages({ files, stages: [stage] }).get(stage)!;
      let checked = 0;
      for (const d of findings) {
        if (!d.rule || d.rule === "MD007") continue;
        const at = ts7.find((t) => t.at === `${d.file}:${d.line}:${d.column} TS${d.code}`);
        if (!at) continue; // a second rule on another argument: tsc names only the first
        expect(at.text, `${d.file}:${d.line} ${d.rule}`).toContain(d.message);
        checked++;
      }
      expect(checked).toBeGreaterThan(10);
    }, 60_000);
  }
});
