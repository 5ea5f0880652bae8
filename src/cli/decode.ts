/**
 * memdesc decode VALUE [--as memdesc|page_type|flags|kpageflags] [--table NAME] [--kernel VERSION] [--json]
 *
 * Explains one word in kernel terms. Every table it reads is the model's:
 * the memdesc type tables, the page_type encodings per kernel era, the page
 * flags with their policies, the KPF bits with page-types' letters. The
 * explanation is formed in src/model/explain.ts and src/census/explain.ts
 * (shared with the reference site's decoder); this file parses and prints.
 */

import { Option } from "@commander-js/extra-typings";
import { decodeWord } from "../census/explain.js";
import { DECODE_KINDS, type DecodeKind } from "../model/explain.js";
import { formatKernel, NEWEST_KERNEL } from "../model/kernel.js";
import { DEFAULT_MEMDESC_TABLE, MEMDESC_TABLES } from "../model/memdesc-word.js";
import type { RegisterCommand } from "./run.js";

export const registerDecode: RegisterCommand = (program) => {
  program
    .command("decode")
    .description("explain a memdesc word, a page_type word, a page flags word or a /proc/kpageflags word")
    .argument("<value>", "the word: 0x… hex, decimal, 0o… or 0b…")
    .addOption(
      new Option("--as <kind>", "what the word is").choices(DECODE_KINDS).default("memdesc" as DecodeKind),
    )
    .option(
      "--table <name>",
      `memdesc type table (${MEMDESC_TABLES.map((t) => t.name).join(", ")})`,
      DEFAULT_MEMDESC_TABLE.name,
    )
    .option(
      "--kernel <version>",
      `kernel version for page_type, flags and kpageflags (default ${formatKernel(NEWEST_KERNEL)})`,
    )
    .option("--json", "print JSON")
    .action((value, opts) => {
      const d = decodeWord(opts.as, value, { table: opts.table, kernel: opts.kernel });
      if (opts.json)
        process.stdout.write(`${JSON.stringify({ as: d.as, value: d.value, ...d.json }, null, 2)}\n`);
      else process.stdout.write(`${d.lines.join("\n")}\n`);
    });
};
