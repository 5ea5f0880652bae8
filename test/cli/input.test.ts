/**
 * Input and conventions of issue 12: streams (stdin, FIFO) and the page-frame
 * cap, the distinct-word bound, snapshot metadata validation, strict numbers
 * and kernel versions, empty paths, MEMDESC_PROC in the header, the --json
 * error document, colour rules, and the Node version check.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { CensusBuilder, MAX_DISTINCT_WORDS, readWords } from "../../src/census/index.js";
import { colorWanted, palette } from "../../src/cli/color.js";
import { kpfSemanticsFor, MemdescInputError, NEWEST_KERNEL } from "../../src/model/index.js";
import { badInputLine, fakeProc, memdesc, ROOT } from "./spawn.js";

const tmp = mkdtempSync(join(tmpdir(), "memdesc-in-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const SAMPLE = join(ROOT, "samples/census");
const gz = readFileSync(join(SAMPLE, "kpageflags.gz"));
const raw = gunzipSync(gz);
const samplePfns = raw.length / 8;

const pfnsOf = (stdout: string) => JSON.parse(stdout).pfns as number;

describe("streams", () => {
  it("--kpageflags - reads raw and gzip data from standard input", () => {
    expect(samplePfns).toBe(6553600);
    for (const input of [raw, gz]) {
      const r = memdesc(["census", "--kpageflags", "-", "--json"], { input });
      expect(r.code, r.stderr).toBe(0);
      expect(pfnsOf(r.stdout)).toBe(samplePfns);
    }
  });
  it("a FIFO is read as a stream", () => {
    const fifo = join(tmp, "kpf.fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const r = memdesc(["census", "--kpageflags", fifo, "--json"], {
      shell: `gzip -dc '${join(SAMPLE, "kpageflags.gz")}' > '${fifo}' & `,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(pfnsOf(r.stdout)).toBe(samplePfns);
  });
  it("/dev/zero stops at the page-frame cap with exit 2", () => {
    const r = memdesc(["census", "--kpageflags", "/dev/zero", "--max-pfns", "2000000"]);
    expect(badInputLine(r)).toBe(
      "memdesc: /dev/zero: more than 2000000 page frames, more than any machine has (the limit is --max-pfns, 2^40 by default): not a kpageflags file",
    );
  });
  it("the reader's cap holds in the library too", async () => {
    const p = join(tmp, "nine");
    writeFileSync(p, new Uint8Array(9 * 8));
    const read = async () => {
      for await (const _ of readWords(p, { maxPfns: 8, chunkBytes: 8 })) void _;
    };
    await expect(read()).rejects.toThrow(/more than 8 page frames/);
  });
});

describe("bounded memory on hostile words", () => {
  it("more than MAX_DISTINCT_WORDS distinct words is an input error, not a V8 abort", () => {
    const b = new CensusBuilder({ semantics: kpfSemanticsFor(NEWEST_KERNEL), pageSize: 4096 });
    // Words 2k (low half) never repeat: each one is new. KPF bit 0 stays clear (no tails, no runs).
    const n = MAX_DISTINCT_WORDS + 1;
    const halves = new Uint32Array(2 * n);
    for (let i = 0; i < n; i++) halves[2 * i] = (i + 1) << 1;
    expect(() => b.push(halves)).toThrow(MemdescInputError);
    expect(() => b.push(halves)).toThrow(/more than 1048576 distinct flag words/);
  });
});

describe("snapshot metadata", () => {
  const snap = (name: string, edit: (meta: Record<string, unknown>) => void) => {
    const d = join(tmp, name);
    cpSync(SAMPLE, d, { recursive: true });
    const meta = JSON.parse(readFileSync(join(d, "meta.json"), "utf8"));
    edit(meta);
    writeFileSync(join(d, "meta.json"), JSON.stringify(meta));
    return d;
  };
  it.each([
    [
      "page size not a power of two",
      (m: Record<string, unknown>) => (m.pageSize = 12288),
      /pageSize: must be a power of two/,
    ],
    ["page size below 4096", (m: Record<string, unknown>) => (m.pageSize = 2048), /pageSize: .*4096/],
    [
      "pfns not the data's",
      (m: Record<string, unknown>) => (m.pfns = 4096),
      /pfns is 4096, but .* holds 6553600 page frames/,
    ],
    [
      "a file outside the directory",
      (m: Record<string, unknown>) => ((m.files as Record<string, unknown>).kpageflags = "../../x.gz"),
      /files\.kpageflags: must be a file name inside the snapshot directory/,
    ],
    ["an unknown field", (m: Record<string, unknown>) => (m.extra = 1), /unknown field extra/],
    ["a malformed field", (m: Record<string, unknown>) => (m.date = 5), /meta\.json: date: /],
  ])("%s is exit 2 naming it", (name, edit, message) => {
    const d = snap(name.replace(/\W/g, "_"), edit);
    expect(badInputLine(memdesc(["census", "--snapshot", d]))).toMatch(message);
  });
});

describe("numbers, versions, empty paths", () => {
  it.each([["1_"], ["_1"]])("decode %s is refused", (v) => {
    expect(badInputLine(memdesc(["decode", v]))).toMatch(/is not an unsigned number/);
  });
  it("decode 0x2_0 is read as 0x20", () => {
    const a = memdesc(["decode", "0x2_0", "--as", "flags"]);
    const b = memdesc(["decode", "0x20", "--as", "flags"]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });
  it.each(["6.12", "6.6.30", "6.18.44-foo"])("--kernel %s is accepted", (k) => {
    expect(memdesc(["census", "--snapshot", SAMPLE, "--kernel", k, "--json"]).code).toBe(0);
  });
  it.each(["6.99999999999999999999", "6.6.x", "6.6."])("--kernel %s is exit 2", (k) => {
    expect(badInputLine(memdesc(["census", "--snapshot", SAMPLE, "--kernel", k]))).toMatch(/kernel version/);
  });
  it("--snapshot '' is a usage error, not the live census", () => {
    expect(badInputLine(memdesc(["census", "--snapshot", ""]))).toBe("memdesc: --snapshot: empty value");
  });
  it("MEMDESC_PROC is named in the text header, never 'live'", () => {
    const proc = join(tmp, "proc");
    fakeProc(proc, new Uint8Array(2048 * 8));
    const r = memdesc(["census"], { env: { MEMDESC_PROC: proc } });
    expect(r.code, r.stderr).toBe(0);
    const head = r.stdout.split("\n")[0]!;
    expect(head).toContain(`${proc}/kpageflags (MEMDESC_PROC, not this machine's /proc)`);
    expect(head).not.toMatch(/live/);
  });
});

describe("conventions", () => {
  it("--json on an error path prints one JSON error document beside the stderr line", () => {
    const r = memdesc(["census", "--snapshot", join(tmp, "missing"), "--json"]);
    const line = badInputLine({ ...r, stdout: "" });
    expect(JSON.parse(r.stdout)).toEqual({
      error: { code: "input", message: line.replace(/^memdesc: /, "") },
    });
    const u = memdesc(["census", "--bogus", "--json"]);
    expect(JSON.parse(u.stdout).error.code).toBe("usage");
  });
  it.each([
    [[], {}, false, false],
    [[], {}, true, true],
    [[], { CI: "1" }, false, false],
    [[], { FORCE_COLOR: "0" }, true, false],
    [[], { FORCE_COLOR: "1" }, false, true],
    [[], { FORCE_COLOR: "3" }, false, true],
    [[], { NO_COLOR: "1", FORCE_COLOR: "1" }, true, false],
    [["--color"], { NO_COLOR: "1" }, false, true],
    [["--no-color"], { FORCE_COLOR: "1" }, true, false],
    [[], { TERM: "dumb" }, true, false],
  ] as const)("colour: args %j env %j tty %s -> %s", (args, env, tty, on) => {
    expect(colorWanted(["node", "memdesc", ...args], env, tty)).toBe(on);
  });
  it("CI alone does not colour a pipe; FORCE_COLOR=1 does; --no-color works on every command", () => {
    const esc = new RegExp(String.fromCharCode(27) + "\\[");
    const base = { NO_COLOR: undefined, FORCE_COLOR: undefined };
    expect(memdesc(["census", "--snapshot", SAMPLE], { env: { ...base, CI: "1" } }).stdout).not.toMatch(esc);
    expect(memdesc(["census", "--snapshot", SAMPLE], { env: { ...base, FORCE_COLOR: "1" } }).stdout).toMatch(
      esc,
    );
    for (const cmd of [["decode", "0x1"], ["layout"], ["census", "--snapshot", SAMPLE]]) {
      expect(memdesc([...cmd, "--no-color"]).code).toBe(0);
    }
  });
  it("in-process callers get the same decision at print time (picocolors' own instance decided at import)", () => {
    // vitest's stdout is a pipe. The env is changed only inside this test.
    const saved = { ...process.env };
    try {
      delete process.env.NO_COLOR;
      delete process.env.FORCE_COLOR;
      process.env.CI = "true";
      expect(palette().isColorSupported).toBe(false);
      process.env.FORCE_COLOR = "1";
      expect(palette().isColorSupported).toBe(true);
      expect(palette().bold("x")).toBe("\u001b[1mx\u001b[22m");
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });
  it("engines says what works, and an older Node is refused in one line", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(pkg.engines).toEqual({ node: ">=20.6.0" });
    expect(pkg.license).toBe("GPL-2.0-only");
    // decision 0505: where the source lives, for npm's "Repository" link and for attw/publint.
    expect(pkg.repository).toEqual({ type: "git", url: "git+https://github.com/memdesc/memdesc.git" });
    expect(readFileSync(join(ROOT, "LICENSE"), "utf8")).toMatch(
      /GNU GENERAL PUBLIC LICENSE\s+Version 2, June 1991/,
    );
    // Pretend to be Node 20.0.0 (which lacks module.register).
    const pre = join(tmp, "old-node.mjs");
    writeFileSync(
      pre,
      'Object.defineProperty(process, "versions", { value: { ...process.versions, node: "20.0.0" } });',
    );
    const r = spawnSync(
      process.execPath,
      ["--import", "tsx", "--import", pre, join(ROOT, "src/cli/main.ts"), "layout"],
      {
        encoding: "utf8",
        cwd: ROOT,
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^memdesc: needs Node\.js 20\.6 or newer \(this is v20\.0\.0\)\n$/);
  });
});
