/**
 * Every file memdesc writes goes through here, so that no command can leave a
 * cut-off file, replace something it was not asked to write, or leave a
 * temporary file behind (decision 0500).
 *
 * - A regular file is written to a temporary file in the same directory, each
 *   write checked for completion, fsync'd, and renamed over the target only
 *   once complete. A full disk (ENOSPC), a file-size limit (EFBIG under
 *   `ulimit -f`) or any other write error is an {@link OutputError} naming the
 *   user's path and the cause; the temporary file is removed and the previous
 *   file at the path, if any, is left as it was.
 * - A device, FIFO or socket (`/dev/stdout`, `/dev/null`, a named pipe) is
 *   written in place: the node is never replaced by a regular file.
 * - `-` is standard output.
 * - SIGINT and SIGTERM remove every temporary file and directory still
 *   registered, then end the process with the signal's status (128 + signo).
 */
import {
  closeSync,
  constants as fsConstants,
  fsyncSync,
  lstatSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/** A file memdesc was asked to write could not be written: exit 2 with one line (the user's path, the cause). */
export class OutputError extends Error {
  override readonly name = "OutputError";
}

const CAUSES: Record<string, string> = {
  ENOSPC: "no space left on device",
  EFBIG: "file too large: the file-size limit (ulimit -f) was reached",
  EDQUOT: "disk quota exceeded",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOENT: "no such file or directory",
  ENOTDIR: "a component of the path is not a directory",
  EISDIR: "is a directory",
  EIO: "input/output error",
  EPIPE: "the reader closed the pipe",
  EXDEV: "the temporary file is on another file system",
};

/** The cause of a failed write, in words; never the temporary file's name. */
export function writeCause(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code && CAUSES[code]) return CAUSES[code];
  if (code) return code;
  return String((err as Error)?.message ?? err);
}

/** Throw an {@link OutputError} for `label` (the path as the user gave it). */
export function outputError(label: string, err: unknown): never {
  if (err instanceof OutputError) throw err;
  throw new OutputError(`${label}: cannot write (${writeCause(err)})`);
}

// ---------------------------------------------------------------------------
// Temporary files removed on SIGINT / SIGTERM.

const temporaries = new Set<string>();
let handlersInstalled = false;

function removeTemporaries(): void {
  for (const p of temporaries) rmSync(p, { recursive: true, force: true });
  temporaries.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeTemporaries();
  process.stderr.write(`memdesc: interrupted (${signal}); nothing was written\n`);
  // 128 + signal number, as a shell reports a process ended by the signal.
  process.exit(signal === "SIGINT" ? 130 : 143);
}

/** Register a temporary path to remove if the process is interrupted; returns the unregister function. */
export function holdTemporary(path: string): () => void {
  if (!handlersInstalled) {
    handlersInstalled = true;
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  }
  temporaries.add(path);
  return () => {
    temporaries.delete(path);
  };
}

/** The name of a temporary sibling of `path` (same directory, so the rename is atomic). */
export function temporarySibling(path: string, suffix = "tmp"): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${suffix}`);
}

// ---------------------------------------------------------------------------
// Writing.

/** Write all of `data` to `fd`: a short write is retried, an error thrown. */
export function writeAll(fd: number, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) {
    const n = writeSync(fd, data, off, data.length - off);
    if (n <= 0) {
      const e = new Error("short write") as NodeJS.ErrnoException;
      e.code = "EIO";
      throw e;
    }
    off += n;
  }
}

const bytesOf = (data: string | Uint8Array) => (typeof data === "string" ? Buffer.from(data) : data);

/** What kind of target a path is: standard output, a device-like node written in place, or a regular file. */
export type OutputTarget =
  | { readonly kind: "stdout"; readonly fd: 1 | 2 }
  | { readonly kind: "node"; readonly path: string }
  | { readonly kind: "file"; readonly path: string };

/**
 * Decide how `given` is written, and refuse what cannot be: an empty path, a
 * directory, a missing parent directory. A symbolic link to a regular file is
 * followed (the link stays; its target is replaced).
 */
export function outputTarget(given: string, what: string): OutputTarget {
  if (given === "") throw new OutputError(`${what}: empty path (give a file name, or - for standard output)`);
  if (given === "-") return { kind: "stdout", fd: 1 };
  const abs = resolve(given);
  // The process's own descriptors, by any of their names: written through the
  // descriptor memdesc already holds, so a redirect to a file is not replaced.
  const own = /^\/(?:dev\/(?:std(out|err)|fd\/([12]))|proc\/(?:self|\d+)\/fd\/([12]))$/.exec(abs);
  if (own && (own[1] !== undefined || own[2] !== undefined || /^\/proc\/self\//.test(abs))) {
    return { kind: "stdout", fd: own[1] === "err" || own[2] === "2" || own[3] === "2" ? 2 : 1 };
  }
  let st: ReturnType<typeof statSync> | undefined;
  try {
    st = statSync(abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "ENOENT") outputError(given, err);
  }
  if (st) {
    if (st.isDirectory()) throw new OutputError(`${what} ${given}: is a directory`);
    // Devices, FIFOs, sockets — and anything under /dev or /proc — are written in place, never replaced.
    if (!st.isFile() || /^\/(dev|proc|sys)\//.test(abs)) return { kind: "node", path: abs };
    let real = abs;
    try {
      if (lstatSync(abs).isSymbolicLink()) real = realpathSync(abs);
    } catch (err) {
      outputError(given, err);
    }
    return { kind: "file", path: real };
  }
  const dir = dirname(abs);
  let dst: ReturnType<typeof statSync> | undefined;
  try {
    dst = statSync(dir);
  } catch {
    dst = undefined;
  }
  if (!dst?.isDirectory()) throw new OutputError(`${what} ${given}: directory ${dir} does not exist`);
  return { kind: "file", path: abs };
}

/**
 * Write `data` to the path the user gave (`label` names it in messages).
 * See the module comment for what happens to files, devices and `-`.
 */
export function writeOutput(given: string, data: string | Uint8Array, what = given): void {
  const target = outputTarget(given, what);
  const bytes = bytesOf(data);
  if (target.kind === "stdout") {
    try {
      writeAll(target.fd, bytes);
    } catch (err) {
      outputError(target.fd === 1 ? "standard output" : "standard error", err);
    }
    return;
  }
  if (target.kind === "node") {
    let fd: number | undefined;
    try {
      // No O_CREAT, no O_TRUNC: the node exists and is written as it is.
      fd = openSync(target.path, fsConstants.O_WRONLY);
      writeAll(fd, bytes);
    } catch (err) {
      outputError(given, err);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    return;
  }
  writeFileAtomic(target.path, bytes, given);
}

/**
 * Write a regular file so that a reader never sees it half written: the data
 * goes to a temporary file in the same directory, which is renamed over the
 * target only once it is complete. On any failure the temporary file is
 * removed, the previous file at `path` is untouched, and an
 * {@link OutputError} names `label`.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, label = path): void {
  const tmp = temporarySibling(path);
  const release = holdTemporary(tmp);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, "wx", 0o644);
    writeAll(fd, bytesOf(data));
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // the write error is the one to report
      }
    }
    rmSync(tmp, { force: true });
    outputError(label, err);
  } finally {
    release();
  }
}
