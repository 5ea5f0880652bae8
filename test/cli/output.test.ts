/**
 * Nothing lost (issue 12, decisions 0500 and 0501): `snapshot --force` replaces
 * only a snapshot; a full disk, a file-size limit or a device error is exit 2
 * with the previous file intact and no temporary file left; SIGINT and SIGTERM
 * during a write leave nothing behind; devices are written, never replaced.
 */

import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { badInputLine, fakeProc, memdesc, memdescAsync, ROOT } from "./spawn.js";

const tmp = mkdtempSync(join(tmpdir(), "memdesc-out-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const proc = join(tmp, "proc");
fakeProc(proc, new Uint8Array(2048 * 8));
const env = { MEMDESC_PROC: proc };
const SAMPLE = join(ROOT, "samples/census");
const isRoot = process.getuid?.() === 0;

/** A directory with a user's files in it, and a way to see they are all still there. */
function userDir(name: string): { dir: string; intact: () => void } {
  const dir = join(tmp, name);
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(join(dir, "important.txt"), "keep me\n");
  writeFileSync(join(dir, "src/main.c"), "int main(void) { return 0; }\n");
  return {
    dir,
    intact: () => {
      expect(readFileSync(join(dir, "important.txt"), "utf8")).toBe("keep me\n");
      expect(readFileSync(join(dir, "src/main.c"), "utf8")).toMatch(/int main/);
      expect(readdirSync(dir).sort()).toEqual(["important.txt", "src"]);
    },
  };
}

describe("snapshot --force replaces only a snapshot", () => {
  it("an empty path is a usage error and the current directory is untouched", () => {
    const u = userDir("cwd-empty");
    const r = memdesc(["snapshot", "-o", "", "--force"], { env, cwd: u.dir });
    expect(badInputLine(r)).toMatch(/empty path/);
    u.intact();
  });
  it.each([
    [".", /current directory/],
    ["..", /current directory or one above it/],
    ["src", /not a memdesc snapshot \(it contains main\.c/],
  ])("-o %s --force is refused, nothing touched", (out, message) => {
    const u = userDir(`cwd-${out.replace(/\W/g, "_")}`);
    const r = memdesc(["snapshot", "-o", out, "--force"], {
      env,
      cwd: join(u.dir, out === ".." ? "src" : "."),
    });
    expect(badInputLine(r)).toMatch(message);
    u.intact();
  });
  it("the home directory is refused", () => {
    const u = userDir("home");
    const r = memdesc(["snapshot", "-o", u.dir, "--force"], { env: { ...env, HOME: u.dir } });
    expect(badInputLine(r)).toMatch(/home directory/);
    u.intact();
  });
  it("a symbolic link to a directory is refused", () => {
    const u = userDir("linked");
    const link = join(tmp, "link-to-linked");
    symlinkSync(u.dir, link);
    expect(badInputLine(memdesc(["snapshot", "-o", link, "--force"], { env }))).toMatch(/symbolic link/);
    u.intact();
  });
  it("a snapshot with a user's file added is not a snapshot any more", () => {
    const snap = join(tmp, "snap-plus");
    expect(memdesc(["snapshot", "-o", snap], { env }).code).toBe(0);
    writeFileSync(join(snap, "notes.txt"), "mine\n");
    expect(badInputLine(memdesc(["snapshot", "-o", snap, "--force"], { env }))).toMatch(
      /contains notes\.txt/,
    );
    expect(readFileSync(join(snap, "notes.txt"), "utf8")).toBe("mine\n");
  });
  it("a directory with a meta.json that is not a snapshot's is refused", () => {
    const d = join(tmp, "fake-meta");
    mkdirSync(d);
    writeFileSync(join(d, "meta.json"), '{"format":"something-else"}');
    expect(badInputLine(memdesc(["snapshot", "-o", d, "--force"], { env }))).toMatch(/format/);
    expect(readFileSync(join(d, "meta.json"), "utf8")).toMatch(/something-else/);
  });
  it("a real snapshot is replaced, with nothing left beside it", () => {
    const parent = join(tmp, "replace");
    mkdirSync(parent);
    const snap = join(parent, "snap");
    expect(memdesc(["snapshot", "-o", snap], { env }).code).toBe(0);
    const first = readFileSync(join(snap, "meta.json"), "utf8");
    const r = memdesc(["snapshot", "-o", snap, "--force", "--note", "second"], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(snap, "meta.json"), "utf8")).not.toBe(first);
    expect(readdirSync(parent)).toEqual(["snap"]);
  });
});

describe("every write checks that it completed", () => {
  it("--svg under ulimit -f: exit 2 naming the path and the cause, old file intact, no temporary file", () => {
    const d = join(tmp, "ulimit-svg");
    mkdirSync(d);
    const svg = join(d, "pic.svg");
    writeFileSync(svg, "previous\n");
    // ulimit -f counts 512-byte blocks (dash, bash): 8 blocks = 4 KiB, far below the SVG.
    const r = memdesc(["census", "--snapshot", SAMPLE, "--svg", svg], { shell: "ulimit -f 8;" });
    expect(badInputLine(r)).toBe(
      `memdesc: ${svg}: cannot write (file too large: the file-size limit (ulimit -f) was reached)`,
    );
    expect(r.stdout).toBe("");
    expect(readFileSync(svg, "utf8")).toBe("previous\n");
    expect(readdirSync(d)).toEqual(["pic.svg"]);
  });
  it("snapshot under ulimit -f: exit 2, no snapshot and no temporary directory", () => {
    const d = join(tmp, "ulimit-snap");
    mkdirSync(d);
    const big = join(tmp, "proc-big");
    fakeProc(big, randomBytes(1 << 20));
    const r = memdesc(["snapshot", "-o", join(d, "s")], {
      env: { MEMDESC_PROC: big },
      shell: "ulimit -f 8;",
    });
    expect(badInputLine(r)).toMatch(/s\/kpageflags\.gz: cannot write \(file too large/);
    expect(readdirSync(d)).toEqual([]);
  });
  it("a device that fails the write (/dev/full) is exit 2 naming it", () => {
    const r = memdesc(["census", "--snapshot", SAMPLE, "--svg", "/dev/full"]);
    expect(badInputLine(r)).toBe("memdesc: /dev/full: cannot write (no space left on device)");
  });
  describe.skipIf(!isRoot)("on a full tmpfs (root: mount -t tmpfs -o size=64k)", () => {
    const mnt = join(tmp, "tiny");
    let mounted = false;
    afterAll(() => {
      if (mounted) spawnSync("umount", [mnt]);
    });
    it("--svg and snapshot fail with ENOSPC, leaving the old file and nothing else", () => {
      mkdirSync(mnt);
      const m = spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt]);
      if (m.status !== 0) return; // no mount in this container: the ulimit cases above still run
      mounted = true;
      writeFileSync(join(mnt, "filler"), randomBytes(40_000));
      const svg = join(mnt, "pic.svg");
      writeFileSync(svg, "previous\n");
      const r = memdesc(["census", "--snapshot", SAMPLE, "--svg", svg]);
      expect(badInputLine(r)).toBe(`memdesc: ${svg}: cannot write (no space left on device)`);
      expect(readFileSync(svg, "utf8")).toBe("previous\n");
      const big = join(tmp, "proc-enospc");
      fakeProc(big, randomBytes(1 << 20));
      const s = memdesc(["snapshot", "-o", join(mnt, "snap")], { env: { MEMDESC_PROC: big } });
      expect(badInputLine(s)).toMatch(/snap\/kpageflags\.gz: cannot write \(no space left on device\)/);
      expect(readdirSync(mnt).sort()).toEqual(["filler", "pic.svg"]);
    });
  });
});

describe("SIGINT and SIGTERM during snapshot leave nothing behind", () => {
  const big = join(tmp, "proc-slow");
  // 48 MiB of random words: gzip -9 takes seconds, long enough to be interrupted mid-write.
  fakeProc(big, randomBytes(48 << 20));
  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)("%s", async (signal, status) => {
    const d = join(tmp, `sig-${signal}`);
    mkdirSync(d);
    const child = memdescAsync(["snapshot", "-o", join(d, "s")], { env: { MEMDESC_PROC: big } });
    let stderr = "";
    child.stderr?.on("data", (b) => {
      stderr += String(b);
    });
    // Wait until the temporary directory exists and holds a partly written file.
    for (let i = 0; i < 400; i++) {
      const tmpDir = readdirSync(d).find((n) => n.startsWith(".s."));
      if (
        tmpDir &&
        existsSync(join(d, tmpDir, "kpageflags.gz")) &&
        statSync(join(d, tmpDir, "kpageflags.gz")).size > 0
      )
        break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(readdirSync(d).length, "the capture started").toBe(1);
    child.kill(signal);
    const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    expect(code).toBe(status);
    expect(stderr).toBe(`memdesc: interrupted (${signal}); nothing was written\n`);
    expect(readdirSync(d)).toEqual([]);
  });
});

describe("devices and standard output", () => {
  it("--svg /dev/null writes to the device and leaves the node a device", () => {
    const r = memdesc(["census", "--snapshot", SAMPLE, "--svg", "/dev/null"]);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync("/dev/null").isCharacterDevice()).toBe(true);
  });
  it("--svg - writes the SVG alone to standard output", () => {
    const r = memdesc(["census", "--snapshot", SAMPLE, "--svg", "-"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.startsWith("<?xml")).toBe(true);
    expect(r.stdout.trimEnd().endsWith("</svg>")).toBe(true);
  });
  it("--svg /dev/stdout writes through the descriptor, beside the report, and keeps the link", () => {
    const r = memdesc(["census", "--snapshot", SAMPLE, "--svg", "/dev/stdout"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/<svg[\s\S]*<\/svg>[\s\S]*memdesc census/);
    expect(lstatSync("/dev/stdout").isSymbolicLink()).toBe(true);
  });
  it("--svg into a FIFO writes the stream and leaves the FIFO", () => {
    const fifo = join(tmp, "fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const w = memdesc(["census", "--snapshot", SAMPLE, "--svg", fifo], {
      shell: `cat '${fifo}' > '${fifo}.out' & `,
    });
    expect(w.code, w.stderr).toBe(0);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    for (let i = 0; i < 100 && !readFileSync(`${fifo}.out`, "utf8").includes("</svg>"); i++) {
      spawnSync("sleep", ["0.05"]);
    }
    expect(readFileSync(`${fifo}.out`, "utf8")).toMatch(/^<\?xml[\s\S]*<\/svg>\s*$/);
  });
  it("--svg - with --json is a usage error", () => {
    expect(badInputLine(memdesc(["census", "--snapshot", SAMPLE, "--svg", "-", "--json"]))).toMatch(
      /conflicting options/,
    );
  });
  it("an empty --svg path is a usage error", () => {
    expect(badInputLine(memdesc(["census", "--snapshot", SAMPLE, "--svg", ""]))).toMatch(/empty path/);
  });
});
