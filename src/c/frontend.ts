/**
 * The C front end as `memdesc check` uses it (SourceFrontEnd of src/check/check.ts):
 * read a .c/.h file, translate it with the configuration, and on the checker's
 * repair rounds translate the lines with ordinary TypeScript errors as opaque —
 * and, from the second round, the whole functions containing them
 * (docs/decisions/0602). The last translation of each file is kept for --run.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import type { SourceFrontEnd, TranslatedSource } from "../check/check.js";
import type { KernelConfig } from "./config.js";
import { type Translation, translateC } from "./translate.js";

export const C_EXTENSIONS = [".c", ".h"] as const;

/** C function headers as `export function NAME(`, so `// expect-run` comments find their scenario. */
export function expectationText(source: string): string {
  return source.replace(
    /^(?![\s#/])[^;(=\n]*?\b(scenario_\w+)\s*\(/gm,
    (_all, name: string) => `export function ${name}(`,
  );
}

export interface CFrontEnd extends SourceFrontEnd {
  /** The last translation of `file` (absolute path), if it was translated. */
  translationOf(file: string): Translation | undefined;
}

export function cFrontEnd(config: KernelConfig, cwd = process.cwd()): CFrontEnd {
  const last = new Map<string, Translation>();
  const texts = new Map<string, string>();
  return {
    extensions: C_EXTENSIONS,
    translationOf: (file) => last.get(file),
    async translate(file, degrade, round): Promise<TranslatedSource> {
      let source = texts.get(file);
      if (source === undefined) {
        source = readFileSync(file, "utf8");
        texts.set(file, source);
      }
      const previous = last.get(file);
      const degradeFunctions = new Set<string>();
      if (round >= 2 && previous) {
        for (const line of degrade) {
          const fn = [...previous.functions].reverse().find((f) => f.line <= line);
          if (fn) degradeFunctions.add(fn.name);
        }
      }
      const t = await translateC(source, {
        fileName: relative(cwd, file) || file,
        config,
        degrade,
        degradeFunctions,
      });
      last.set(file, t);
      return { ts: t.ts, mapPosition: t.mapPosition, expectText: expectationText(source) };
    },
  };
}
