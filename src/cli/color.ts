import picocolors from "picocolors";

type Colors = ReturnType<typeof picocolors.createColors>;

/**
 * Whether memdesc's output is coloured, by the common rules (decision 0504):
 * `--no-color` / `--color` on the command line win (the last one given);
 * then `NO_COLOR` (any non-empty value) turns colour off; then `FORCE_COLOR`
 * (`0` or `false` off; empty, `1`, `2`, `3` or `true` on); otherwise colour
 * only when stdout is a terminal that is not `TERM=dumb`. `CI` alone does not
 * force colour into a pipe.
 *
 * picocolors reads the environment when it is first imported and treats
 * `FORCE_COLOR=0` and `CI` as "on", so the decision is made here, before it
 * is loaded, and written back as NO_COLOR / FORCE_COLOR.
 */
export function colorWanted(argv: readonly string[], env: NodeJS.ProcessEnv, stdoutIsTTY: boolean): boolean {
  const args = argv.slice(2);
  const end = args.indexOf("--");
  let flag: boolean | null = null;
  for (const a of end === -1 ? args : args.slice(0, end)) {
    if (a === "--color") flag = true;
    else if (a === "--no-color") flag = false;
  }
  if (flag !== null) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !/^(0|false)$/i.test(force.trim());
  return stdoutIsTTY && env.TERM !== "dumb";
}

/**
 * The colours to print with, decided at the moment of printing from the same
 * rules: picocolors' default instance decides when it is first imported, which
 * for an in-process caller (a test, a script importing the CLI) is before
 * applyColorChoice() ran.
 */
export function palette(): Colors {
  return picocolors.createColors(colorWanted(process.argv, process.env, process.stdout.isTTY === true));
}

/** Decide once and tell picocolors (and the --run child) through the environment. */
export function applyColorChoice(): boolean {
  const on = colorWanted(process.argv, process.env, process.stdout.isTTY === true);
  if (on) {
    delete process.env.NO_COLOR;
    process.env.FORCE_COLOR = "1";
  } else {
    delete process.env.FORCE_COLOR;
    process.env.NO_COLOR = "1";
  }
  return on;
}
