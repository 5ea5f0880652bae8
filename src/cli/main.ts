#!/usr/bin/env node
/**
 * memdesc command line. Each command lives in its own module and registers
 * itself here; exit codes are shared by all of them:
 *   0  success, nothing to report
 *   1  the command ran and reports findings (rule violations, a failed check)
 *   2  bad usage or bad input, with a one-line message on stderr
 */
import { Command } from "@commander-js/extra-typings";
import { registerCommands } from "./commands.js";
import { runCli } from "./run.js";

const program = new Command()
  .name("memdesc")
  .description("A model of the Linux kernel's memory descriptors (struct page → 8-byte memdesc).")
  .version("0.1.0");

await registerCommands(program, process.argv);

process.exitCode = await runCli(program, process.argv);
