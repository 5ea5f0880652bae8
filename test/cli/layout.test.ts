/**
 * `memdesc layout`: output, --json, exit codes and one-line errors. Most
 * cases run the command in-process through the shared runner; a few spawn
 * the real entry point to pin what a shell sees.
 */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "@commander-js/extra-typings";
import { afterEach, describe, expect, it, vi } from "vitest";
import { layoutJson, registerLayout, renderLayoutText } from "../../src/cli/layout.js";
import { EXIT_OK, EXIT_USAGE, runCli } from "../../src/cli/run.js";
import { getLayout, LAYOUT_STRUCTS, STAGES } from "../../src/model/index.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  const program = new Command().name("memdesc");
  registerLayout(program);
  try {
    const code = await runCli(program, ["node", "memdesc", ...args]);
    return { code, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("memdesc layout STRUCT", () => {
  it("prints today's struct page pahole-style, ending with its size", async () => {
    const r = await run("layout", "page");
    expect(r.code).toBe(EXIT_OK);
    expect(r.stderr).toBe("");
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.at(-2)?.trim()).toBe("/* size: 64 */");
    expect(lines.at(-1)).toBe("};");
    expect(r.stdout).toMatch(/^struct page \{/m);
    expect(r.stdout).toMatch(/^ {4}memdesc_flags_t flags;\s+\/\* {5}0 {5}8 \*\/$/m);
    expect(r.stdout).toMatch(/^ {8}struct \{\s+\/\* {5}8 {4}40 \*\/$/m);
    expect(r.stdout).toMatch(/^ {16}struct list_head lru;\s+\/\* {5}8 {4}16 \*\/$/m);
    expect(r.stdout).toMatch(/unsigned long compound_info;\s+\/\* {5}8 {5}8 \*\//);
    expect(r.stdout).toMatch(/atomic_t _refcount;\s+\/\* {4}52 {5}4 \*\//);
    expect(r.stdout).toMatch(/unsigned long memcg_data;\s+\/\* {4}56 {5}8 \*\/ {2}CONFIG_MEMCG/);
  });

  it("shows which struct page member each overlay member must sit on", async () => {
    const r = await run("layout", "ptdesc");
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toMatch(
      /struct list_head pt_list;\s+\/\* {5}8 {4}16 \*\/ {2}TABLE_MATCH\(compound_info, pt_list\)/,
    );
    expect(r.stdout).toMatch(
      /pt_memcg_data;\s+\/\* {4}56 {5}8 \*\/ {2}TABLE_MATCH\(memcg_data, pt_memcg_data\)/,
    );
    expect(r.stdout).toMatch(/spinlock_t ptl;.*!ALLOC_SPLIT_PTLOCKS/);
    const folio = await run("layout", "folio");
    expect(folio.stdout).toMatch(
      /_flags_1;\s+\/\* {4}64 {5}8 \*\/ {2}FOLIO_MATCH\(flags, _flags_1\) \[page 1\]/,
    );
    expect(folio.stdout).toMatch(/FOLIO_MATCH\(lru, lru\); FOLIO_MATCH\(compound_info, lru\)/);
    expect(folio.stdout).toContain("/* size: 256 */");
  });

  it("prints bitfields, arrays, holes and tail padding as pahole does", async () => {
    const slab = await run("layout", "slab");
    expect(slab.stdout).toMatch(/unsigned inuse:16;\s+\/\* {4}40 {5}4 \*\/ {2}bits 0-15/);
    expect(slab.stdout).toMatch(/unsigned frozen:1;.*bit 31/);
    const folio = await run("layout", "folio");
    expect(folio.stdout).toMatch(/mm_id_t _mm_id\[2\];/);
    const ptdesc = await run("layout", "ptdesc", "--stage", "final");
    expect(ptdesc.stdout).toContain("/* XXX 3 bytes hole */");
    const page = await run("layout", "page", "--stage", "interim32");
    expect(page.stdout).toContain("/* size: 32 */");
    expect(page.stdout).toContain("/* padding: 4 */");
  });

  it("prints the final struct page as one word", async () => {
    const r = await run("layout", "page", "--stage", "final");
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toMatch(
      /^struct page \{.*\n {4}unsigned long memdesc;\s+\/\* {5}0 {5}8 \*\/\n {4}\/\* size: 8 \*\/\n\};\n$/m,
    );
  });

  it("accepts 'struct NAME' and every struct at every stage", async () => {
    expect((await run("layout", "struct slab")).code).toBe(EXIT_OK);
    for (const stage of STAGES) {
      for (const struct of LAYOUT_STRUCTS) {
        const text = renderLayoutText(getLayout(stage, struct));
        expect(text).toContain(`/* size: ${getLayout(stage, struct).size} */`);
      }
    }
  });
});

describe("memdesc layout --json", () => {
  it("reports the struct's total size: 64 today, 8 at the final stage", async () => {
    const today = await run("layout", "page", "--stage", "today", "--json");
    expect(today.code).toBe(EXIT_OK);
    expect(JSON.parse(today.stdout)).toMatchObject({ struct: "page", stage: "today", size: 64 });
    const final = await run("layout", "page", "--stage", "final", "--json");
    const parsed = JSON.parse(final.stdout);
    expect(parsed.size).toBe(8);
    expect(parsed.fields).toEqual([expect.objectContaining({ name: "memdesc", offset: 0, size: 8 })]);
  });

  it("carries every member with its offset, size, C type, union and match", async () => {
    const r = await run("layout", "folio", "--json");
    const parsed = JSON.parse(r.stdout);
    expect(parsed.size).toBe(256);
    expect(parsed.fields).toContainEqual(
      expect.objectContaining({ name: "_head_1", offset: 72, size: 8, matches: "page[1].compound_info" }),
    );
    expect(parsed).toEqual(JSON.parse(JSON.stringify(layoutJson(getLayout("today", "folio")))));
  });

  it("summarises a stage when no struct is given", async () => {
    const r = await run("layout", "--stage", "interim16", "--json");
    const parsed = JSON.parse(r.stdout);
    expect(parsed.pageBytes).toBe(16);
    expect(parsed.structs.map((s: { struct: string }) => s.struct)).toEqual([...LAYOUT_STRUCTS]);
    expect(parsed.pageRemoved).toContain("flags");
  });
});

describe("memdesc layout (no struct)", () => {
  it("lists every struct of the stage with its size", async () => {
    const r = await run("layout");
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toMatch(/^stage today: 64-byte struct page/);
    expect(r.stdout).toMatch(/struct folio +256 +overlays 4 struct pages/);
    expect(r.stdout).toMatch(/struct zpdesc +56 +overlays struct page/);
    const final = await run("layout", "--stage", "final");
    expect(final.stdout).toMatch(/struct page +8 +memmap/);
    expect(final.stdout).toMatch(/struct folio +160 +own slab cache, 16-byte aligned/);
    expect(final.stdout).toContain("struct page loses: buddy");
  });
});

describe("memdesc layout: bad input", () => {
  it("rejects an unknown struct with one line and exit 2", async () => {
    const r = await run("layout", "pgae");
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("memdesc: unknown struct 'pgae' (known: page, folio, ptdesc, slab, zpdesc)\n");
  });

  it("rejects an unknown stage with one line and exit 2", async () => {
    const r = await run("layout", "page", "--stage", "interim8");
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.stderr).toBe("memdesc: unknown stage 'interim8' (known: today, interim32, interim16, final)\n");
  });

  it("rejects a missing --stage value, an unknown option and extra arguments with exit 2", async () => {
    for (const args of [
      ["layout", "page", "--stage"],
      ["layout", "--bogus"],
      ["layout", "page", "folio"],
    ]) {
      const r = await run(...args);
      expect(r.code, args.join(" ")).toBe(EXIT_USAGE);
      // One line: commander's message, prefixed and with the help hint on the same line.
      expect(r.stderr, args.join(" ")).toMatch(/^memdesc: .+ \(see memdesc layout --help\)\n$/);
      expect(r.stdout).toBe("");
    }
  });

  it("prints help with exit 0", async () => {
    const r = await run("layout", "--help");
    expect(r.code).toBe(EXIT_OK);
    expect(r.stdout).toContain("Usage: memdesc layout [options] [struct]");
    expect(r.stdout).toContain("--stage <stage>");
  });
});

describe("the real entry point", () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), ...args], {
      cwd: root,
      encoding: "utf8",
    });

  it("exits 0 and prints the layout", () => {
    const r = cli("layout", "page", "--stage", "final", "--json");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).size).toBe(8);
  });

  it("exits 2 for a commander usage error in the subcommand", () => {
    expect(cli("layout", "page", "--stage").status).toBe(2);
  });

  it("exits 2 with one line on stderr and no stack trace for an unknown struct", () => {
    const r = cli("layout", "folios");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("memdesc: unknown struct 'folios' (known: page, folio, ptdesc, slab, zpdesc)\n");
  });
});
