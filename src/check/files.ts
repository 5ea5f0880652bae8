/**
 * Which files `memdesc check PATH...` checks: each path is a `.ts` file or a
 * folder searched recursively for `*.ts` (not `.d.ts`, not node_modules or
 * dot-folders). Anything else is bad input, reported as one line.
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { inputError } from "../model/errors.js";

function walk(dir: string, out: string[], extra: readonly string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out, extra);
    else if (entry.isFile() && ((p.endsWith(".ts") && !p.endsWith(".d.ts")) || extra.includes(extname(p))))
      out.push(p);
  }
}

/**
 * Prove a file can be read by reading from it: an unreadable file must be bad
 * input (exit 2), never a file the compiler silently skipped and so "clean".
 */
export function assertReadable(file: string, given: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    readSync(fd, Buffer.alloc(1), 0, 1, 0);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    inputError(
      `${given}: cannot read (${code === "EACCES" || code === "EPERM" ? "permission denied" : code === "ENOENT" ? "no such file or directory" : (code ?? String(err))})`,
    );
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Expand the CLI's paths into absolute .ts file names, sorted, without duplicates.
 * `extra`: further extensions a front end reads (".c", ".h": src/c), accepted beside .ts.
 */
export function expandPaths(paths: readonly string[], extra: readonly string[] = []): string[] {
  if (paths.length === 0) inputError("no files to check (give one or more .ts files or folders)");
  const out: string[] = [];
  for (const given of paths) {
    if (given.trim() === "")
      inputError("an empty path (give .ts files or folders; use . for the current folder)");
    const abs = resolve(given);
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      inputError(`${given}: ${code === "ENOENT" ? "no such file or directory" : `cannot read (${code})`}`);
    }
    if (st.isDirectory()) {
      const found: string[] = [];
      try {
        walk(abs, found, extra);
      } catch (err) {
        inputError(`${given}: cannot read folder (${(err as NodeJS.ErrnoException).code})`);
      }
      if (found.length === 0) inputError(`${given}: folder contains no .ts files`);
      for (const f of found) assertReadable(f, f);
      out.push(...found);
    } else if (st.isFile()) {
      const ext = extname(abs);
      if ((ext !== ".ts" || abs.endsWith(".d.ts")) && !extra.includes(ext)) {
        inputError(`${given}: not a TypeScript file (memdesc check reads .ts files)`);
      }
      assertReadable(abs, given);
      out.push(abs);
    } else {
      inputError(`${given}: not a file or folder`);
    }
  }
  return [...new Set(out)].sort();
}
