#!/usr/bin/env node
export {};

/**
 * memdesc command line. Each command lives in its own module and registers
 * itself here; exit codes are shared by all of them:
 *   0  success, nothing to report
 *   1  the command ran and reports findings (rule violations, a failed check)
 *   2  bad usage or bad input, with a one-line message on stderr
 */
// package.json "engines": --run needs module.register (Node 20.6); refuse older Nodes in one line.
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 6)) {
  process.stderr.write(`memdesc: needs Node.js 20.6 or newer (this is v${process.versions.node})\n`);
  process.exit(2);
}

if (process.env.MEMDESC_SCENARIO_CHILD === "1") {
  // The child process of `check --run` (src/check/run.ts starts it): runs the user's scenarios.
  const { runChild } = await import("../check/scenario-child.js");
  await runChild();
} else {
  (await import("./color.js")).applyColorChoice();
  const { Command } = await import("@commander-js/extra-typings");
  const { registerCommands } = await import("./commands.js");
  const { runCli } = await import("./run.js");
  const program = new Command()
    .name("memdesc")
    .description("A model of the Linux kernel's memory descriptors (struct page → 8-byte memdesc).")
    .version("0.1.0");
  await registerCommands(program, process.argv);
  process.exitCode = await runCli(program, process.argv);
}
