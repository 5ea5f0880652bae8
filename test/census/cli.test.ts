/**
 * `memdesc census` and `memdesc snapshot` as a user runs them: spawned, with
 * stdout, stderr (one line on error, never a stack trace), exit code, and no
 * partial output file left behind.
 */
import { spawnSync } from "node:child_process";
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { CensusDocument } from "../../src/census/index.js";
import { bytesOf, rep, w } from "./hand.js";

const tmp = mkdtempSync(join(tmpdir(), "memdesc-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function memdesc(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env, NO_COLOR: "1" },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectBadInput(r: ReturnType<typeof memdesc>, message: RegExp) {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe("");
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^memdesc: /);
  expect(lines[0]).toMatch(message);
  expect(r.stderr).not.toMatch(/at .*\.(ts|js):\d+/);
}

/** A fake /proc for MEMDESC_PROC: 2048 PFNs, worked out by hand. */
function fakeProc(dir: string) {
  // PFN 0–1023: one free order-10 block; 1024–1535 an anon THP (order 9);
  // 1536–1599 page cache; 1600–1663 slab order-0; 1664–2047 flagless.
  const words = [
    ...rep(w("BUDDY"), 1024),
    w("HEAD", "ANON", "THP", "MMAP", "LRU"),
    ...rep(w("TAIL", "ANON", "THP", "MMAP", "LRU"), 511),
    ...rep(w("LRU", "UPTODATE"), 64),
    ...rep(w("SLAB"), 64),
    ...rep(0n, 384),
  ];
  mkdirSync(join(dir, "sys/kernel"), { recursive: true });
  mkdirSync(join(dir, "self"), { recursive: true });
  writeFileSync(join(dir, "kpageflags"), bytesOf(words));
  writeFileSync(join(dir, "kpagecount"), bytesOf(words.map((x) => (x & w("MMAP") ? 1n : 0n))));
  writeFileSync(
    join(dir, "buddyinfo"),
    "Node 0, zone   Normal      0      0      0      0      0      0      0      0      0      0      1 \n",
  );
  writeFileSync(join(dir, "meminfo"), "MemTotal:        8192 kB\n");
  writeFileSync(join(dir, "sys/kernel/osrelease"), "6.8.0-test\n");
  const auxv = Buffer.alloc(32);
  auxv.writeBigUInt64LE(6n, 0); // AT_PAGESZ
  auxv.writeBigUInt64LE(4096n, 8);
  writeFileSync(join(dir, "self/auxv"), auxv);
  return words;
}

describe("memdesc census on a snapshot", () => {
  it("prints the text report", () => {
    const r = memdesc(["census", "--snapshot", "samples/census", "--summary"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    for (const s of [
      "page frames by kind",
      "free blocks per order",
      "memmap cost per stage",
      "assumptions",
      "long-symbolic-flags",
    ]) {
      expect(r.stdout).toContain(s);
    }
    expect(r.stdout).toMatch(/kernel 6\.18\.44-fc-v657/);
  });
  it("--json is one document that validates against the exported schema", () => {
    const r = memdesc(["census", "--snapshot", "samples/census", "--json", "--descriptor", "folio=96"]);
    expect(r.code, r.stderr).toBe(0);
    const doc = CensusDocument.parse(JSON.parse(r.stdout));
    expect(doc.source.kind).toBe("snapshot");
    expect(doc.kernel).toMatchObject({
      release: "6.18.44-fc-v657",
      semantics: "folio-snapshot",
      chosenBy: "snapshot",
    });
    expect(doc.kinds.hugetlb).toMatchObject({ pages: 16384, allocations: 32, memdesc: "folio" });
    expect(doc.kinds.pagetable.kernelPages).toBeGreaterThan(0);
    expect(doc.descriptorSizes.folio).toBe(96);
    expect(doc.freeBlocks).toHaveLength(11);
    expect(doc.memmap.today.totalBytes).toBe(64 * doc.pfns);
    expect(doc.memmap.final.totalBytes).toBe(8 * doc.pfns + doc.memmap.final.descriptorBytes);
    expect(doc.summary.reduce((a, s) => a + s.pages, 0)).toBe(doc.pfns);
  });
  it("a --kpageflags file inside a snapshot directory brings the snapshot's metadata", () => {
    const doc = CensusDocument.parse(
      JSON.parse(memdesc(["census", "--kpageflags", "samples/census/kpageflags.gz", "--json"]).stdout),
    );
    expect(doc.source).toMatchObject({ kind: "snapshot", kpagecount: "samples/census/kpagecount.gz" });
    expect(doc.kernel).toMatchObject({ release: "6.18.44-fc-v657", chosenBy: "snapshot" });
    expect(doc.buddyinfo).not.toBeNull();
  });
  it("a bare kpageflags file gets the newest semantics and an assumed page size, both said", () => {
    const raw = join(tmp, "bare");
    writeFileSync(raw, bytesOf([...rep(w("BUDDY"), 4), w("LRU")]));
    const doc = CensusDocument.parse(JSON.parse(memdesc(["census", "--kpageflags", raw, "--json"]).stdout));
    expect(doc.kernel).toMatchObject({ release: null, version: "7.3", chosenBy: "newest" });
    expect(doc.assumptions.join("\n")).toMatch(/page size 4096 bytes assumed/);
    expect(doc.freeBlocks[2]).toBe(1);
  });
  it("--kernel picks another era's semantics", () => {
    const doc = CensusDocument.parse(
      JSON.parse(memdesc(["census", "--snapshot", "samples/census", "--json", "--kernel", "6.6"]).stdout),
    );
    expect(doc.kernel).toMatchObject({
      version: "6.6",
      semantics: "per-page",
      chosenBy: "--kernel",
      tailsTakeHeadKind: true,
    });
  });
  it("--svg writes a picture", () => {
    const out = join(tmp, "map.svg");
    const r = memdesc(["census", "--snapshot", "test/fixtures/census/idle-6.18", "--svg", out]);
    expect(r.code, r.stderr).toBe(0);
    const svg = readFileSync(out, "utf8");
    expect(svg).toMatch(/^<\?xml/);
    expect(svg).toContain("<svg");
    expect(svg).toContain("memmap cost per stage");
    expect(svg).toContain("flagless (no descriptor)");
    expect(readdirSync(tmp).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});

describe("live /proc/kpageflags", () => {
  it("falls back to the shipped sample when it cannot be read, and says so", () => {
    const r = memdesc(["census", "--json"], { MEMDESC_PROC: join(tmp, "no-such-proc") });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /cannot read .*kpageflags: no such file or directory; analysing the sample snapshot/,
    );
    expect(CensusDocument.parse(JSON.parse(r.stdout)).source.kind).toBe("sample");
  });
  it("labels the text report as the sample", () => {
    const r = memdesc(["census"], { MEMDESC_PROC: join(tmp, "no-such-proc") });
    expect(r.stdout.split("\n")[0]).toMatch(/SAMPLE, not this machine/);
  });
  it("reads a /proc tree given by MEMDESC_PROC", () => {
    const proc = join(tmp, "proc-live");
    fakeProc(proc);
    const doc = CensusDocument.parse(
      JSON.parse(memdesc(["census", "--json"], { MEMDESC_PROC: proc }).stdout),
    );
    expect(doc.source.kind).toBe("live");
    expect(doc.kernel).toMatchObject({
      release: "6.8.0-test",
      version: "6.8",
      semantics: "per-page",
      chosenBy: "running kernel",
    });
    expect(doc.kinds.anon).toMatchObject({ pages: 512, allocations: 1 });
    expect(doc.kinds.file).toMatchObject({ pages: 64, allocations: 64 });
    expect(doc.kinds.slab).toMatchObject({ pages: 64, allocations: 64 });
    expect(doc.kinds.flagless.pages).toBe(384);
    expect(doc.freeBlocks[10]).toBe(1);
    expect(doc.buddyinfo).toMatchObject({ agrees: true });
  });
  let readable = false;
  try {
    accessSync("/proc/kpageflags", constants.R_OK);
    readable = process.platform === "linux";
  } catch {}
  it.runIf(readable)("reads this machine's /proc/kpageflags as root", () => {
    const r = memdesc(["census", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    const doc = CensusDocument.parse(JSON.parse(r.stdout));
    expect(doc.source.kind).toBe("live");
    expect(doc.pfns).toBeGreaterThan(0);
  });
});

describe("memdesc snapshot round-trips", () => {
  const proc = join(tmp, "proc-snap");
  fakeProc(proc);
  const snap = join(tmp, "snap");
  it("saves a snapshot a census reads back with the same answers", () => {
    const s = memdesc(["snapshot", "-o", snap, "--note", "hand-built /proc"], { MEMDESC_PROC: proc });
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/saved a snapshot of 2048 page frames \(kernel 6\.8\.0-test/);
    expect(readdirSync(snap).sort()).toEqual([
      "buddyinfo",
      "kpagecount.gz",
      "kpageflags.gz",
      "meminfo",
      "meta.json",
    ]);
    const fromSnap = CensusDocument.parse(
      JSON.parse(memdesc(["census", "--snapshot", snap, "--json"]).stdout),
    );
    const direct = CensusDocument.parse(
      JSON.parse(
        memdesc([
          "census",
          "--kpageflags",
          join(proc, "kpageflags"),
          "--kpagecount",
          join(proc, "kpagecount"),
          "--kernel",
          "6.8",
          "--json",
        ]).stdout,
      ),
    );
    expect(fromSnap.kinds).toEqual(direct.kinds);
    expect(fromSnap.freeBlocks).toEqual(direct.freeBlocks);
    expect(fromSnap.summary).toEqual(direct.summary);
    expect(fromSnap.source).toMatchObject({ kind: "snapshot", note: "hand-built /proc" });
    expect(fromSnap.kernel).toMatchObject({ release: "6.8.0-test", chosenBy: "snapshot" });
    expect(fromSnap.buddyinfo).toMatchObject({ agrees: true });
    expect(fromSnap.kinds.anon).toMatchObject({ mappedPages: 512, mappings: 512 });
  });
  it("refuses to overwrite a snapshot unless told to", () => {
    const again = memdesc(["snapshot", "-o", snap], { MEMDESC_PROC: proc });
    expectBadInput(again, /already exists.*--force/);
    const forced = memdesc(["snapshot", "-o", snap, "--force"], { MEMDESC_PROC: proc });
    expect(forced.code, forced.stderr).toBe(0);
    expect(readdirSync(tmp).filter((f) => f.startsWith(".snap"))).toEqual([]);
  });
  it("leaves nothing behind when /proc cannot be read", () => {
    const out = join(tmp, "never");
    expectBadInput(
      memdesc(["snapshot", "-o", out], { MEMDESC_PROC: join(tmp, "nowhere") }),
      /cannot read|no such file/,
    );
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.includes("never"))).toEqual([]);
  });
});

describe("bad input: one line, exit 2, no partial output", () => {
  const words = [...rep(w("BUDDY"), 1024), ...rep(w("LRU"), 1024)];
  const gz = gzipSync(bytesOf(words));
  const file = (name: string, data: string | Uint8Array) => {
    const p = join(tmp, name);
    writeFileSync(p, data);
    return p;
  };
  const svg = join(tmp, "bad.svg");
  const cases: [string, string[], RegExp][] = [
    ["an empty file", ["--kpageflags", file("empty", "")], /is empty/],
    [
      "a size that is not a multiple of 8",
      ["--kpageflags", file("twelve", Buffer.alloc(12))],
      /size 12 bytes is not a multiple of 8/,
    ],
    ["truncated gzip", ["--kpageflags", file("trunc.gz", gz.subarray(0, gz.length >> 1))], /truncated gzip/],
    [
      "corrupt gzip",
      [
        "--kpageflags",
        file("corrupt.gz", Buffer.concat([gz.subarray(0, 12), Buffer.alloc(40, 0xa5), gz.subarray(52)])),
      ],
      /corrupt gzip|truncated gzip/,
    ],
    [
      "gzip of a size not a multiple of 8",
      ["--kpageflags", file("odd.gz", gzipSync(Buffer.alloc(13)))],
      /not a multiple of 8/,
    ],
    ["a directory", ["--kpageflags", tmp], /is a directory/],
    ["a missing file", ["--kpageflags", join(tmp, "missing")], /no such file or directory/],
    ["an unreadable file", ["--kpageflags", "/proc/self/mem"], /cannot read|permission denied/],
    [
      "an unknown memdesc kind",
      ["--snapshot", "samples/census", "--descriptor", "page=64"],
      /unknown memdesc kind 'page'/,
    ],
    [
      "a size that is not a multiple of 16",
      ["--snapshot", "samples/census", "--descriptor", "slab=24"],
      /multiple of 16/,
    ],
    ["a kernel outside 6.6–7.3", ["--snapshot", "samples/census", "--kernel", "5.15"], /outside the range/],
    [
      "a kernel that is not a version",
      ["--snapshot", "samples/census", "--kernel", "latest"],
      /not of the form/,
    ],
    [
      "--snapshot with --kpageflags",
      ["--snapshot", "samples/census", "--kpageflags", "x"],
      /conflicting options/,
    ],
    ["--kpagecount alone", ["--kpagecount", "x"], /conflicting options/],
    [
      "a kpagecount that does not match",
      ["--kpageflags", file("flags", bytesOf(words)), "--kpagecount", file("count", bytesOf(words.slice(8)))],
      /kpagecount|same page frames/,
    ],
    ["a directory that is not a snapshot", ["--snapshot", tmp], /not a memdesc snapshot/],
    [
      "an --svg in a missing directory",
      ["--snapshot", "samples/census", "--svg", join(tmp, "no/dir/x.svg")],
      /does not exist/,
    ],
    [
      "a bad --page-size",
      ["--kpageflags", file("ok", bytesOf(words)), "--page-size", "3000"],
      /power of two/,
    ],
  ];
  it.each(cases)("%s", (_name, args, message) => {
    rmSync(svg, { force: true });
    const withSvg = args.includes("--svg") ? args : [...args, "--svg", svg];
    expectBadInput(memdesc(["census", ...withSvg]), message);
    expect(existsSync(svg)).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});
