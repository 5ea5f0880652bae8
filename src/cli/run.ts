import { type Command, CommanderError } from "@commander-js/extra-typings";
import { MemdescInputError } from "../model/errors.js";
import { OutputError } from "./io.js";

/**
 * Every CLI command registers itself through one function of this shape. It lives here, below
 * commands.ts and the command modules, so that neither imports the other for a type.
 */
export type RegisterCommand = (program: Command) => void;

/** Exit codes shared by every command. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
/** An error escaped a command that is not bad input: a bug in memdesc. */
export const EXIT_INTERNAL = 70;

/** Thrown by a command to report bad usage (exit 2) with a one-line message. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * The exit code a command's action returns through; commands that report
 * findings set it to EXIT_FINDINGS.
 */
export const cliState = { exitCode: EXIT_OK };

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, "; ").trim();
}

/**
 * A zod validation error, recognised without importing zod: most commands
 * never load it, and its load time counts against the census's wall time.
 */
function isZodError(
  err: unknown,
): err is { issues: { path: PropertyKey[]; message: string }[]; message: string } {
  return (
    err instanceof Error && err.name === "ZodError" && Array.isArray((err as { issues?: unknown }).issues)
  );
}

/** The kinds of error a command ends with; `--json` prints the kind as `error.code`. */
export type CliErrorCode = "usage" | "input" | "output" | "internal";

/**
 * `--json` on an error path: stdout still carries one JSON document,
 * `{ "error": { "code", "message" } }`, beside the one stderr line, so a
 * script can always parse stdout.
 */
function wantsJson(argv: readonly string[]): boolean {
  const args = argv.slice(2);
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).includes("--json");
}

/** Run the program and map every outcome to an exit code and at most one line on stderr. */
export async function runCli(program: Command, argv: readonly string[]): Promise<number> {
  const json = wantsJson(argv);
  const fail = (code: CliErrorCode, message: string, exit: number): number => {
    process.stderr.write(`memdesc: ${message}\n`);
    if (json) process.stdout.write(`${JSON.stringify({ error: { code, message } }, null, 2)}\n`);
    return exit;
  };
  let usageLine = "";
  // Subcommands do not inherit these from the root: set them on every command, so a usage error
  // anywhere exits 2 with commander's one-line message.
  for (const cmd of [program, ...program.commands]) {
    // Read before the command runs (src/cli/color.ts); declared so every command accepts them.
    if (!cmd.options.some((o) => o.long === "--color")) {
      const c = cmd as unknown as { option(flags: string, description: string): unknown };
      c.option("--color", "colour the output even into a pipe");
      c.option("--no-color", "never colour the output (as NO_COLOR=1)");
    }
    cmd.exitOverride();
    cmd.configureOutput({
      writeErr: (s) => process.stderr.write(s),
      outputError: (s) => {
        usageLine = `${oneLine(s.trim().replace(/^error: /, ""))} (see memdesc ${cmd === program ? "" : `${cmd.name()} `}--help)`;
      },
    });
  }
  cliState.exitCode = EXIT_OK;
  try {
    await program.parseAsync(argv as string[]);
    return cliState.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit through here with code 0; commander already printed.
      if (err.exitCode === 0) return EXIT_OK;
      return fail("usage", usageLine || oneLine(err.message.replace(/^error: /, "")), EXIT_USAGE);
    }
    if (err instanceof UsageError) return fail("usage", oneLine(err.message), EXIT_USAGE);
    if (err instanceof OutputError) return fail("output", oneLine(err.message), EXIT_USAGE);
    if (err instanceof MemdescInputError) return fail("input", oneLine(err.message), EXIT_USAGE);
    if (isZodError(err)) {
      const issue = err.issues[0];
      const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
      return fail("input", `invalid input: ${where}${oneLine(issue?.message ?? err.message)}`, EXIT_USAGE);
    }
    const e = err as NodeJS.ErrnoException;
    if (e && typeof e.code === "string" && typeof e.path === "string") {
      const why = e.code === "ENOENT" ? "no such file or directory" : oneLine(e.message);
      return fail("input", `${e.path}: ${why}`, EXIT_USAGE);
    }
    const code = fail(
      "internal",
      `internal error: ${oneLine(String((err as Error)?.message ?? err))} (set MEMDESC_DEBUG=1 for a stack trace)`,
      EXIT_INTERNAL,
    );
    if (process.env.MEMDESC_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ""}\n`);
    return code;
  }
}
