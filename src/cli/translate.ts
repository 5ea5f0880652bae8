/**
 * memdesc translate FILE.c [-o FILE.ts] [--config CONFIG_X=y|n|m]... [--kconfig FILE]
 *
 * Prints the TypeScript translation of a kernel C file (docs/c-frontend.md),
 * type-checked and repaired like `memdesc check` does (lines that would not
 * type-check become opaque), and lists the opaque constructs on stderr.
 */
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { inputError } from "../model/errors.js";
import { writeFileAtomic } from "./io.js";
import { cliState, EXIT_OK, type RegisterCommand } from "./run.js";

export function collectConfig(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The configuration from --kconfig then --config options (bad input: exit 2). */
export async function configFromOptions(opts: { config?: string[]; kconfig?: string }) {
  const { makeConfig, parseConfigOption, parseKconfig } = await import("../c/config.js");
  const overrides: [string, string][] = [];
  if (opts.kconfig) {
    let text: string;
    try {
      text = readFileSync(opts.kconfig, "utf8");
    } catch (err) {
      inputError(
        `--kconfig ${opts.kconfig}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : "cannot read"}`,
      );
    }
    overrides.push(...parseKconfig(text, opts.kconfig));
  }
  for (const c of opts.config ?? []) overrides.push(parseConfigOption(c));
  return makeConfig(overrides);
}

export const registerTranslate: RegisterCommand = (program) => {
  program
    .command("translate")
    .description("translate a kernel C file into TypeScript against memdesc/sim (what memdesc check checks)")
    .argument("<file>", "a .c or .h file")
    .option("-o, --output <file>", "write the translation here instead of stdout")
    .option("--config <CONFIG_X=y|n|m>", "set a kernel option for #if/IS_ENABLED (repeatable)", collectConfig)
    .option("--kconfig <file>", "read kernel options from a .config file")
    .action(async (file, opts) => {
      const abs = resolve(file);
      let st: ReturnType<typeof statSync>;
      try {
        st = statSync(abs);
      } catch {
        inputError(`${file}: no such file or directory`);
      }
      if (!st.isFile() || !/\.[ch]$/.test(abs))
        inputError(`${file}: not a C file (memdesc translate reads .c and .h files)`);
      const config = await configFromOptions(opts);
      const { cFrontEnd } = await import("../c/frontend.js");
      const { checkFiles } = await import("../check/check.js");
      const fe = cFrontEnd(config);
      // The check's repair rounds make the translation well-typed at every stage.
      await checkFiles({ paths: [abs], stages: ["today", "interim32", "interim16", "final"], frontEnd: fe });
      const t = fe.translationOf(abs)!;
      for (const o of t.opaque) process.stderr.write(`${file}:${o.line}: opaque: ${o.what}\n`);
      if (opts.output) writeFileAtomic(resolve(opts.output), t.ts);
      else process.stdout.write(t.ts);
      cliState.exitCode = EXIT_OK;
    });
};
