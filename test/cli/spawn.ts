/** Spawn the CLI as a user runs it (through tsx), synchronously or not, from any directory. */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");
const TSX = join(ROOT, "node_modules/tsx/dist/esm/index.mjs");
const MAIN = join(ROOT, "src/cli/main.ts");

export interface Ran {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface SpawnOptions {
  readonly env?: Record<string, string | undefined>;
  readonly cwd?: string;
  /** Run through `sh -c` with this prefix (for example `ulimit -f 8;`). */
  readonly shell?: string;
  readonly input?: string | Uint8Array;
  /** Run under this command (for example setpriv to drop root). */
  readonly wrap?: readonly string[];
}

function argv(args: readonly string[], o: SpawnOptions): [string, string[]] {
  const node = [...(o.wrap ?? []), process.execPath, "--import", TSX, MAIN, ...args];
  if (!o.shell) return [node[0]!, node.slice(1)];
  const quoted = node.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  return ["/bin/sh", ["-c", `${o.shell} exec ${quoted}`]];
}

const envOf = (o: SpawnOptions) => ({ ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...o.env });

export function memdesc(args: readonly string[], o: SpawnOptions = {}): Ran {
  const [cmd, rest] = argv(args, o);
  const r = spawnSync(cmd, rest, {
    encoding: "utf8",
    cwd: o.cwd ?? ROOT,
    env: envOf(o),
    ...(o.input !== undefined ? { input: o.input } : {}),
    maxBuffer: 64 << 20,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export function memdescAsync(args: readonly string[], o: SpawnOptions = {}): ChildProcess {
  const [cmd, rest] = argv(args, o);
  return spawn(cmd, rest, { cwd: o.cwd ?? ROOT, env: envOf(o), stdio: ["ignore", "pipe", "pipe"] });
}

/** One line on stderr, exit 2, no stack trace. */
export function badInputLine(r: Ran): string {
  const lines = r.stderr.trimEnd().split("\n");
  if (
    r.code !== 2 ||
    lines.length !== 1 ||
    !lines[0]!.startsWith("memdesc: ") ||
    /\bat .*:\d+:\d+/.test(r.stderr)
  )
    throw new Error(`expected exit 2 with one line, got ${r.code}:\n${r.stderr}`);
  return lines[0]!;
}

/** A minimal /proc for MEMDESC_PROC: `pfns` page frames of kpageflags (and kpagecount), release, page size. */
export function fakeProc(dir: string, flags: Uint8Array): void {
  mkdirSync(join(dir, "sys/kernel"), { recursive: true });
  mkdirSync(join(dir, "self"), { recursive: true });
  writeFileSync(join(dir, "kpageflags"), flags);
  writeFileSync(join(dir, "kpagecount"), new Uint8Array(flags.length));
  writeFileSync(join(dir, "sys/kernel/osrelease"), "6.8.0-test\n");
  writeFileSync(
    join(dir, "buddyinfo"),
    "Node 0, zone   Normal      0      0      0      0      0      0      0      0      0      0      0 \n",
  );
  const auxv = Buffer.alloc(32);
  auxv.writeBigUInt64LE(6n, 0); // AT_PAGESZ
  auxv.writeBigUInt64LE(4096n, 8);
  writeFileSync(join(dir, "self/auxv"), auxv);
}
