/**
 * The reference site in a real browser: Debian's chromium driven by
 * playwright-core (Playwright's own browser download does not work here).
 * Every page of site/ opened from disk (file://) with no console error and no
 * failed request; the decoder's text equal to what the real `memdesc decode`
 * prints for a table of words; the struct page figure's final stage one
 * 8-byte box; screenshots of the main figures in test-artifacts/site/.
 *
 * Without /usr/bin/chromium this file is skipped with a message — except in CI
 * (CI=true), where it must run. `npm run site` first: it tests site/ as built.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LAYOUT_STRUCTS, LAYOUTS, STAGES } from "../../src/model/index.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const site = join(root, "site");
const artifacts = join(root, "test-artifacts", "site");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const inCI = process.env.CI === "true";
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && !inCI) {
  process.stderr.write(
    `test/site/site.browser.test.ts: skipped — no chromium at ${CHROMIUM} (apt-get install -y chromium); CI=true runs it\n`,
  );
}

const run = promisify(execFile);
const url = (file: string, hash = "") => `${pathToFileURL(join(site, file)).href}${hash}`;

let browser: BrowserContext;
let profile: string;

async function openPage(file: string, hash = ""): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("request", (r) => {
    if (!r.url().startsWith("file://") && !r.url().startsWith("data:"))
      problems.push(`network request: ${r.url()}`);
  });
  await page.goto(url(file, hash), { waitUntil: "load" });
  return { page, problems };
}

describe.skipIf(!haveChromium && !inCI)("the reference site in chromium", () => {
  beforeAll(async () => {
    if (!existsSync(join(site, "index.html"))) throw new Error("site/ is not built: run `npm run site`");
    profile = mkdtempSync(join(tmpdir(), "memdesc-chromium-"));
    // A fresh profile directory per run (playwright passes it as --user-data-dir).
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      viewport: { width: 1400, height: 900 },
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    mkdirSync(artifacts, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const pages = existsSync(site) ? readdirSync(site).filter((f) => f.endsWith(".html")) : [];

  it("has the six pages", () => {
    expect(pages.sort()).toEqual([
      "census.html",
      "decoder.html",
      "index.html",
      "rules.html",
      "structs.html",
      "words.html",
    ]);
  });

  for (const file of pages) {
    it(`${file} loads from disk with no console error, no failed request and no broken #link`, async () => {
      const { page, problems } = await openPage(file);
      await page.waitForLoadState("networkidle");
      // Every in-page and cross-page link to an anchor points at an element that exists.
      const links = await page.$$eval("a[href]", (as) => as.map((a) => a.getAttribute("href") ?? ""));
      const broken: string[] = [];
      for (const href of new Set(links)) {
        const m = /^([a-z-]+\.html)?#(.+)$/.exec(href);
        if (!m) continue;
        const target = m[1] ?? file;
        const id = decodeURIComponent(m[2]!);
        const found =
          target === file
            ? await page.evaluate((x) => document.getElementById(x) !== null, id)
            : pages.includes(target);
        if (!found) broken.push(href);
      }
      expect(problems).toEqual([]);
      expect(broken).toEqual([]);
      await page.close();
    });
  }

  it("the deep links NOTES.md promises exist", async () => {
    const want: Record<string, string[]> = {
      "structs.html": [
        "page",
        "folio",
        "ptdesc",
        "slab",
        "zpdesc",
        "page-today-_mapcount",
        "page-final-memdesc",
        "folio-final-pfn",
        "folio-interim16-pfn",
        "trace-mapping",
        "match-folio-1-flags-_flags_1",
      ],
      "words.html": [
        "memdesc-wiki-source-7",
        "page-type-era-6.11",
        "page-type-buddy",
        "flag-pg_head",
        "kpf-kpf_buddy",
      ],
      "rules.html": ["md001", "md002", "md002-free-order", "md018"],
    };
    for (const [file, ids] of Object.entries(want)) {
      const { page } = await openPage(file);
      const missing = await page.evaluate((xs) => xs.filter((x) => !document.getElementById(x)), ids);
      expect(missing, file).toEqual([]);
      await page.close();
    }
  });

  it("struct page at final is exactly one 8-byte box, as tall as today's 8-byte flags", async () => {
    const { page } = await openPage("structs.html");
    const finals = page.locator('#fig-page .box[data-struct="page"][data-stage="final"]');
    expect(await finals.count()).toBe(1);
    expect(await finals.getAttribute("data-size")).toBe("8");
    expect(await finals.getAttribute("data-field")).toBe("memdesc");
    const h = async (sel: string) => Number(await page.locator(`${sel} rect`).first().getAttribute("height"));
    const flagsToday = '#fig-page .box[data-stage="today"][data-field="flags"]';
    expect(await h('#fig-page .box[data-stage="final"]')).toBe(await h(flagsToday));
    // 64 bytes today: the outline of today's column is 8 times the final box.
    const outline = Number(await page.locator("#fig-page-today .outline").getAttribute("height"));
    expect(outline).toBe(8 * (await h(flagsToday)));
    await page.close();
  });

  it("every member of every layout is drawn, and every member of today's struct page is traced", async () => {
    const { page } = await openPage("structs.html");
    for (const k of LAYOUT_STRUCTS) {
      for (const s of STAGES) {
        // Stages with an identical descriptor share one column, so count the members of one drawn column.
        const drawn = await page
          .locator(`#fig-${k} .box[data-struct="${k}"][data-stage]`)
          .evaluateAll((gs, stage) => {
            const cols = new Map<string, string[]>();
            for (const g of gs) {
              const col = g.closest(".struct")?.id ?? "";
              if (!col.split("-").includes(stage as string)) continue;
              cols.set(col, [...(cols.get(col) ?? []), g.getAttribute("data-field") ?? ""]);
            }
            return [...cols.values()];
          }, s);
        expect(drawn.length, `struct ${k} at ${s}: one column`).toBe(1);
        expect(drawn[0]!.slice().sort(), `struct ${k} at ${s}`).toEqual(
          LAYOUTS[s][k].fields.map((f) => f.name).sort(),
        );
      }
    }
    const traced = await page
      .locator("#fig-page .trace")
      .evaluateAll((gs) => gs.map((g) => g.getAttribute("data-field")));
    expect(traced.slice().sort()).toEqual(LAYOUTS.today.page.fields.map((f) => f.name).sort());
    for (const f of traced)
      expect(await page.locator(`#fig-trace-${f} [data-stage]`).count()).toBe(STAGES.length - 1);
    await page.close();
  });

  it("every box in every struct figure says its name, offset and size as text", async () => {
    const { page } = await openPage("structs.html");
    const bad = await page.$$eval(".box[data-field]", (gs) =>
      gs
        .map((g) => {
          // A long name may wrap over lines at its underscores: compare without white space.
          const text = [...g.querySelectorAll("text")].map((t) => t.textContent ?? "").join(" ");
          const flat = text.replace(/\s+/g, "");
          const name = g.getAttribute("data-field") ?? "";
          const ok =
            flat.includes(name) &&
            text.includes(`+${g.getAttribute("data-offset")}`) &&
            text.includes(`${g.getAttribute("data-size")} B`);
          return ok ? null : `${g.id}: "${text}"`;
        })
        .filter((x) => x !== null),
    );
    expect(bad).toEqual([]);
    expect(await page.locator(".box[data-field]").count()).toBeGreaterThan(100);
    await page.close();
  });

  it("the trace follows the plan (checked by hand against Memdescs/Path)", async () => {
    const { page } = await openPage("structs.html");
    const cell = (field: string, stage: string) =>
      page.locator(`#fig-trace-${field} [data-stage="${stage}"]`).textContent();
    // Path's 32-byte page keeps flags, buddy_list, pcp_list, private, _mapcount, _refcount.
    expect(await cell("flags", "interim32")).toContain("struct page flags +0");
    expect(await cell("_refcount", "interim32")).toContain("struct page _refcount +24");
    // The folio takes over mapping; zsmalloc's zpdesc keeps movable_ops on it (ZPDESC_MATCH).
    expect(await cell("mapping", "final")).toBe("folio.mapping, zpdesc.movable_ops");
    // compound_info becomes the memdesc word.
    expect(await cell("compound_info", "interim32")).toBe("struct page memdesc +8");
    expect(await cell("compound_info", "final")).toBe("struct page memdesc +0");
    // page_pool's members have no modelled descriptor.
    expect(await cell("pp_magic", "final")).toBe("gone");
    await page.close();
  });

  // Values and the versions they are read under; the expected text is the real CLI's output.
  const CASES: readonly (readonly string[])[] = [
    ["0xffff888100000027"],
    ["0x7020"],
    ["0x1"],
    ["0xffff888100000029", "--table", "wiki-page"],
    ["0x0000000000000011", "--table", "path-interim"],
    ["0x3"],
    ["0xf2000000", "--as", "page_type"],
    ["0xf4000000", "--as", "page_type", "--kernel", "6.12"],
    ["0xbfff1234", "--as", "page_type", "--kernel", "6.11"],
    ["0xfffff7ff", "--as", "page_type", "--kernel", "6.9"],
    ["0xfffff7ff", "--as", "page_type", "--kernel", "6.6.30"],
    ["0xfffff7ff", "--as", "page_type", "--kernel", "6.6.29"],
    ["0xf9000000", "--as", "page_type"],
    ["0xf5000012", "--as", "page_type", "--kernel", "6.9"],
    ["0x00000003", "--as", "page_type", "--kernel", "6.6"],
    ["0x1000000000000044", "--as", "flags"],
    ["0x0", "--as", "flags"],
    ["0x802410028", "--as", "kpageflags"],
    ["0x400", "--as", "kpageflags", "--kernel", "6.1"],
    ["0x8000", "--as", "kpageflags", "--kernel", "6.6"],
    ["0x802410028", "--as", "kpageflags", "--json"],
    ["zzz", "--as", "flags"],
    ["0x1", "--as", "page_type", "--kernel", "banana"],
  ];

  it("the decoder prints what `memdesc decode` prints (four kinds, several kernels, errors, JSON)", async () => {
    const cli = async (args: readonly string[]) => {
      try {
        const r = await run(process.execPath, ["--import", "tsx", "src/cli/main.ts", "decode", ...args], {
          cwd: root,
          env: { ...process.env, NO_COLOR: "1" },
        });
        return r.stdout.trimEnd();
      } catch (e) {
        const err = e as { code?: number; stderr?: string };
        expect(err.code, `memdesc decode ${args.join(" ")}`).toBe(2);
        return (err.stderr ?? "").trimEnd();
      }
    };
    const expected: string[] = [];
    for (let i = 0; i < CASES.length; i += 5)
      expected.push(...(await Promise.all(CASES.slice(i, i + 5).map(cli))));
    const { page, problems } = await openPage("decoder.html");
    for (const [i, args] of CASES.entries()) {
      const opt = (name: string) => {
        const j = args.indexOf(name);
        return j >= 0 ? args[j + 1]! : undefined;
      };
      await page.selectOption("#decode-as", opt("--as") ?? "memdesc");
      await page.selectOption("#decode-table", opt("--table") ?? "wiki-source");
      await page.fill("#decode-kernel", opt("--kernel") ?? "");
      await page.setChecked("#decode-json", args.includes("--json"));
      await page.fill("#decode-value", args[0]!);
      expect(expected[i], `memdesc decode ${args.join(" ")} printed nothing`).not.toBe("");
      const shown = (await page.locator("#decode-out").textContent()) ?? "";
      expect(shown, `memdesc decode ${args.join(" ")}`).toBe(expected[i]);
    }
    expect(problems).toEqual([]);
    await page.close();
  }, 300_000);

  it("the decoder reads a word from the link (decoder.html#as=…&value=…&kernel=…)", async () => {
    const { page } = await openPage("decoder.html", "#as=page_type&value=0xbfff1234&kernel=6.11");
    const text = await page.locator("#decode-out").textContent();
    expect(text).toContain("page_type 0xbfff1234  (kernel 6.11: era 6.11, inverted bit masks)");
    await page.close();
  });

  it("screenshots of the main figures and pages at fixed viewports (test-artifacts/site/)", async () => {
    // Each figure as the standalone SVG the README embeds, at 100% zoom in an 1800×1200 viewport.
    const figures = [
      "page",
      "folio",
      "ptdesc",
      "slab",
      "zpdesc",
      "memdesc-word",
      "page-type",
      "page-flags",
      "census",
    ];
    for (const f of figures) {
      const { page, problems } = await openPage(`figures/${f}.svg`);
      await page.setViewportSize({ width: 1800, height: 1200 });
      const png = join(artifacts, `figure-${f}.png`);
      await page.screenshot({ path: png });
      expect(existsSync(png)).toBe(true);
      expect(problems).toEqual([]);
      await page.close();
    }
    // The pages as a reader first sees them, 1400×900.
    for (const [file, hash] of [
      ["structs.html", ""],
      ["words.html", ""],
      ["decoder.html", "#as=kpageflags&value=0x802410028"],
      ["rules.html", "#md002"],
    ] as const) {
      const { page } = await openPage(file, hash);
      await page.screenshot({ path: join(artifacts, `page-${file.replace(".html", "")}.png`) });
      await page.close();
    }
  }, 180_000);
});
