/**
 * The README's benchmark table, from a recorded run: bench/last.json, written
 * by `npm run --silent bench -- --json > bench/last.json` (a real run, never edited by
 * hand). One line per row below: the member, what is measured, how the value
 * reads, and the target where the issue set one. Rows whose fields the run
 * does not have are left out, so a member can add fields before its row is
 * written here.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DocPage } from "../gen-docs.js";

type Json = Record<string, unknown>;
const root = fileURLToPath(new URL("../..", import.meta.url));
const RUN = "bench/last.json";

/** The value at a dotted path, or undefined. */
function at(run: Json, path: string): unknown {
  let v: unknown = run;
  for (const key of path.split(".")) v = v && typeof v === "object" ? (v as Json)[key] : undefined;
  return v;
}

const num = (x: unknown) => (typeof x === "number" ? x : undefined);
const fmt = (x: number, digits = 2) => x.toLocaleString("en-US", { maximumFractionDigits: digits });
const mark = (ok: boolean) => (ok ? "✓" : "✗");

interface Row {
  readonly member: string;
  readonly measure: string;
  /** Fields the row needs (dotted paths into the run). */
  readonly fields: readonly string[];
  readonly result: (v: number[]) => string;
  readonly target?: (v: number[]) => string;
}

const r = (
  member: string,
  measure: string,
  fields: readonly string[],
  result: Row["result"],
  target?: Row["target"],
): Row => (target ? { member, measure, fields, result, target } : { member, measure, fields, result });

// biome-ignore format: one row per line
const ROWS: readonly Row[] = [
  r("sim", "`bytesPerPage` (16 GiB machine, typed arrays / pages)", ["sim.bytesPerPage"], ([b]) => fmt(b!), ([b]) => `≤ 48 ${mark(b! <= 48)}`),
  r("sim", "`floorPairNs` (bare typed-array free-list push+pop)", ["sim.floorPairNs"], ([n]) => `${fmt(n!)} ns`),
  r("sim", "`floorListPairNs` (doubly linked list push+pop)", ["sim.floorListPairNs"], ([n]) => `${fmt(n!)} ns`),
  r("sim", "`order0PairNs` over the array floor (`order0OverFloor`)", ["sim.order0PairNs", "sim.order0OverFloor"], ([n, x]) => `${fmt(n!)} ns (${fmt(x!, 1)}×)`, ([, x]) => `≤ 10× ${mark(x! <= 10)}`),
  r("sim", "`order0PairNs` over the list floor (`order0OverFloorList`)", ["sim.order0OverFloorList"], ([x]) => `${fmt(x!, 2)}×`, ([x]) => `≤ 3× ${mark(x! <= 3)}`),
  r("sim", "`order0PairNsNoChecks`", ["sim.order0PairNsNoChecks"], ([n]) => `${fmt(n!)} ns`),
  r("sim", "`order9CompoundPairNs`", ["sim.order9CompoundPairNs"], ([n]) => `${fmt(n! / 1000, 1)} µs`, ([n]) => `≤ 5 µs ${mark(n! <= 5000)}`),
  r("census", "classification, 6.5 M-frame snapshot (median / best)", ["census.classification.medianPfnsPerSecond", "census.classification.bestPfnsPerSecond"], ([m, b]) => `${fmt(m! / 1e6, 0)} M / ${fmt(b! / 1e6, 0)} M frames/s`, ([m]) => `≥ 100 M ${mark(m! >= 100e6)}`),
  r("census", "live census in-process vs the C reader (`bench/kpageflags-reader.c`)", ["census.live.censusInProcessSeconds", "census.live.cReaderSeconds", "census.live.ratioInProcess"], ([a, c, x]) => `${fmt(a!)} s vs ${fmt(c!)} s (${fmt(x!)}×)`, ([, , x]) => `≤ 1.3× ${mark(x! <= 1.3)}`),
  r("census", "`memdesc census --json` as a process vs the C reader (`ratioProcess`)", ["census.live.censusProcessSeconds", "census.live.cReaderSeconds", "census.live.ratioProcess"], ([a, c, x]) => `${fmt(a!)} s vs ${fmt(c!)} s (${fmt(x!)}×)`, ([, , x]) => `≤ 1.3× ${mark(x! <= 1.3)}`),
  r("census", "process start-up: `node -e 0` / `decode` / `layout` / `census --help`", ["census.process.nodeMs", "census.process.decodeMs", "census.process.layoutMs", "census.process.censusStartMs"], ([n, d, l, c]) => `${fmt(n!, 0)} / ${fmt(d!, 0)} / ${fmt(l!, 0)} / ${fmt(c!, 0)} ms`),
  r("check", "`memdesc check`, 2 stages, generated refactor vs TypeScript 7 `tsc --noEmit`, 1 stage (`ratioTsc7`)", ["check.lines", "check.checkMs", "check.tsc7Ms", "check.ratioTsc7"], ([l, c, t, x]) => `${fmt(l!, 0)} lines: ${fmt(c! / 1000, 2)} s vs ${fmt(t! / 1000, 2)} s (${fmt(x!)}×)`, ([, , , x]) => `≤ 2× ${mark(x! <= 2)}`),
  r("check", "the same on a folder of refactor files (`folder.ratioTsc7`)", ["check.folder.files", "check.folder.lines", "check.folder.checkMs", "check.folder.tsc7Ms", "check.folder.ratioTsc7"], ([f, l, c, t, x]) => `${fmt(f!, 0)} files, ${fmt(l!, 0)} lines: ${fmt(c! / 1000, 2)} s vs ${fmt(t! / 1000, 2)} s (${fmt(x!)}×)`, ([, , , , x]) => `≤ 2× ${mark(x! <= 2)}`),
  r("check", "type instantiations (`tsc --extendedDiagnostics`, same file)", ["check.instantiations"], ([n]) => fmt(n!, 0), () => "recorded so regressions show"),
];

/** The table's markdown for a run (exported for a test). */
export function benchTable(run: Json): string {
  const lines = ["| member | measure | result | target |", "| --- | --- | --- | --- |"];
  for (const row of ROWS) {
    const values = row.fields.map((f) => num(at(run, f)));
    if (values.some((v) => v === undefined)) continue;
    const v = values as number[];
    lines.push(`| \`${row.member}\` | ${row.measure} | ${row.result(v)} | ${row.target?.(v) ?? "—"} |`);
  }
  const skipped = ["sim", "census", "check"].filter((m) => run[m] === undefined);
  const live = at(run, "census.live.skipped");
  const notes = [
    ...(skipped.length > 0 ? [`Not in this run: ${skipped.map((m) => `\`${m}\``).join(", ")}.`] : []),
    ...(typeof live === "string" ? [`Live census skipped: ${live}.`] : []),
  ];
  return [lines.join("\n"), ...notes].join("\n\n");
}

export default function generate(): DocPage[] {
  const path = join(root, RUN);
  if (!existsSync(path)) return [];
  const run = JSON.parse(readFileSync(path, "utf8")) as Json;
  return [
    {
      path: "README.md",
      section: "bench",
      content: `From \`${RUN}\` (\`npm run --silent bench -- --json > ${RUN}\`, then \`npm run docs\`):\n\n${benchTable(run)}`,
    },
  ];
}
