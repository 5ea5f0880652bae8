/**
 * TypeScript 7 beside TypeScript 6 (issue 13; decisions 0021, 0804): `memdesc check`'s two back
 * ends — TypeScript 7's native compiler through `typescript/unstable/sync` (the default) and
 * TypeScript 6's classic API (`MEMDESC_CHECK_TS=6`) — give the same findings (file, line, column,
 * code, rule, sentence, the finding's data) at every stage on every rule example, the case study,
 * the alias files and the corpus; and each rule finding's sentence is in TypeScript 7's own
 * message (what a user's `tsc` 7 prints). Runs while TypeScript 6 is still kept anywhere.
 */
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { type CheckDiagnostic, compileAgainstStages, defaultCompiler } from "../../src/check/compile.js";
import { STAGES } from "../../src/model/stage.js";

const here = resolve(__dirname);
const ts = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .sort()
    .map((f) => join(dir, f));
const rules = resolve(here, "../../examples/rules");
const sets: Record<string, string[]> = {
  "rule examples": readdirSync(rules)
    .sort()
    .flatMap((d) => ["bad.ts", "good.ts"].map((f) => join(rules, d, f))),
  "case study (examples/iommu-sva)": ts(resolve(here, "../../examples/iommu-sva")),
  "alias files (test/check/aliases)": ts(join(here, "aliases")),
  "corpus (test/corpus)": [...ts(resolve(here, "../corpus/correct")), ...ts(resolve(here, "../corpus/bugs"))],
};

const key = (d: CheckDiagnostic): string =>
  `${d.file}:${d.line}:${d.column} ${d.stage} TS${d.code} ${d.rule ?? "-"} ${d.rule ? d.message : ""} ${JSON.stringify(d.finding)}`;

it("TypeScript 7 is the default back end; MEMDESC_CHECK_TS=6 selects TypeScript 6", () => {
  const saved = process.env.MEMDESC_CHECK_TS;
  try {
    delete process.env.MEMDESC_CHECK_TS;
    expect(defaultCompiler()).toBe("ts7");
    process.env.MEMDESC_CHECK_TS = "7";
    expect(defaultCompiler()).toBe("ts7");
    process.env.MEMDESC_CHECK_TS = "6";
    expect(defaultCompiler()).toBe("ts6");
  } finally {
    if (saved === undefined) delete process.env.MEMDESC_CHECK_TS;
    else process.env.MEMDESC_CHECK_TS = saved;
  }
});

describe("TypeScript 7 and TypeScript 6 give the same findings", () => {
  for (const [name, files] of Object.entries(sets)) {
    it(`${name}: every stage`, () => {
      expect(files.length).toBeGreaterThan(0);
      const ts7 = compileAgainstStages({ files, stages: STAGES, compiler: "ts7" });
      const ts6 = compileAgainstStages({ files, stages: STAGES, compiler: "ts6" });
      const all7 = STAGES.flatMap((s) => ts7.get(s) ?? []);
      const all6 = STAGES.flatMap((s) => ts6.get(s) ?? []);
      expect(all7.map(key)).toEqual(all6.map(key));
      // Where TypeScript reports a rule, a finding's full sentence is in TypeScript 7's own message
      // (one diagnostic per call: tsc names the first failing argument, a second rule on another
      // argument shares its message; MD007 is TS2339, which names the member and the struct).
      const byMessage = new Map<string, CheckDiagnostic[]>();
      for (const d of all7)
        if (d.rule && d.rule !== "MD007") {
          const k = `${d.file} ${d.stage} ${d.tsMessage}`;
          byMessage.set(k, [...(byMessage.get(k) ?? []), d]);
        }
      for (const ds of byMessage.values())
        expect(
          ds.some((d) => d.tsMessage.includes(d.message)),
          `${ds[0]!.file}:${ds[0]!.line} ${ds.map((d) => d.rule)}`,
        ).toBe(true);
      if (name === "rule examples") expect(all7.filter((d) => d.rule).length).toBeGreaterThan(20);
    }, 300_000);
  }
});
