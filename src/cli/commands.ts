import type { Command } from "@commander-js/extra-typings";
import type { RegisterCommand } from "./run.js";

/**
 * A command: its name, and how to load the module that registers it. Modules
 * are loaded only when needed: a command's start-up time is Node's plus what
 * that command imports (zod, the checker and TypeScript are not loaded by
 * `census`, `decode` or `layout`). See docs/decisions/0800-lazy-commands.md.
 */
export interface CommandModule {
  readonly name: string;
  readonly load: () => Promise<RegisterCommand>;
}

/** The command list. Add one entry per command module. */
export const commands: readonly CommandModule[] = [
  { name: "check", load: async () => (await import("./check.js")).registerCheck },
  { name: "census", load: async () => (await import("./census.js")).registerCensus },
  { name: "snapshot", load: async () => (await import("./snapshot.js")).registerSnapshot },
  { name: "decode", load: async () => (await import("./decode.js")).registerDecode },
  { name: "layout", load: async () => (await import("./layout.js")).registerLayout },
  { name: "translate", load: async () => (await import("./translate.js")).registerTranslate },
];

/**
 * Register the commands `argv` needs: the named command alone when the first
 * argument names one (commander dispatches on it, and its --help shows only
 * it), every command otherwise (`memdesc --help`, `memdesc help`, an unknown
 * command, which commander answers with the list).
 */
export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  const named = commands.filter((c) => c.name === argv[2]);
  const wanted = named.length > 0 ? named : commands;
  const registers = await Promise.all(wanted.map((c) => c.load()));
  for (const register of registers) register(program);
}
