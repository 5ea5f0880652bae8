/**
 * `npm run bench [-- --json] [-- --only NAME]`: runs every `bench/*.bench.ts`
 * module and prints one report. Each module default-exports
 * `{ name, run(): Promise<object> }`; its result becomes the member `name` of
 * the JSON object (`sim`, `census`, `check`). Benchmarks, not tests: numbers
 * are measured here and recorded in the README, never asserted by `npm test`.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

export interface BenchModule {
  readonly name: string;
  run(options: {
    readonly quick: boolean;
    readonly log: (line: string) => void;
  }): Promise<Record<string, unknown>>;
}

const args = process.argv.slice(2);
const json = args.includes("--json");
const quick = args.includes("--quick");
const onlyIdx = args.indexOf("--only");
const only = onlyIdx >= 0 ? args[onlyIdx + 1] : undefined;
const dir = fileURLToPath(new URL(".", import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .sort();

const log = (line: string) => {
  if (!json) process.stdout.write(`${line}\n`);
  else process.stderr.write(`${line}\n`);
};

const report: Record<string, unknown> = {};
for (const file of files) {
  const mod = (await import(pathToFileURL(`${dir}/${file}`).href)) as { default: BenchModule };
  if (only && mod.default.name !== only) continue;
  log(`== ${mod.default.name} (${file})`);
  report[mod.default.name] = await mod.default.run({ quick, log });
}
if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
else process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
