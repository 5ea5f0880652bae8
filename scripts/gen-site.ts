/**
 * Generates the reference site in site/ from the model's tables (like
 * scripts/gen-docs.ts does docs/): plain HTML, one stylesheet, the figures as
 * inline SVG (and as files under site/figures/ for the README), and the
 * decoder — src/site/decoder.ts, which calls the same explanation code as
 * `memdesc decode` — bundled by esbuild as one classic IIFE script, so the
 * site works opened from disk (file://) with nothing fetched.
 *   npm run site          write site/
 *   npm run site:check    exit 1 if site/ is stale (CI runs this)
 * Decision: docs/decisions/0700-site-plain-html.md.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { SITE_MARKER, type SiteGenerator, type SitePage } from "./site/html.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const siteDir = join(root, "site");
const dir = join(root, "scripts", "site");
const check = process.argv.includes("--check");
const GENERATORS = ["index.ts", "structs.ts", "words.ts", "decoder.ts", "rules.ts", "census.ts", "style.ts"];

async function bundleDecoder(): Promise<SitePage> {
  const r = await build({
    entryPoints: [join(root, "src", "site", "decoder.ts")],
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    write: false,
    absWorkingDir: root,
    legalComments: "none",
    charset: "utf8",
    banner: { js: `/* ${SITE_MARKER} Bundle of src/site/decoder.ts and the model it imports. */` },
  });
  const text = r.outputFiles[0]?.text;
  if (text === undefined) throw new Error("esbuild produced no output");
  return { path: "decoder.js", content: text };
}

const pages: SitePage[] = [];
for (const file of GENERATORS) {
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default: SiteGenerator };
  pages.push(...(await mod.default()));
}
pages.push(await bundleDecoder());

const wanted = new Set(pages.map((p) => p.path));
const listed = (d: string): string[] =>
  existsSync(d)
    ? readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? listed(join(d, e.name)) : [relative(siteDir, join(d, e.name))],
      )
    : [];
const extra = listed(siteDir).filter((p) => !wanted.has(p));
const stale: string[] = [];
for (const p of pages) {
  const abs = join(siteDir, p.path);
  const current = existsSync(abs) ? readFileSync(abs, "utf8") : null;
  if (current === p.content) continue;
  if (check) stale.push(p.path);
  else {
    mkdirSync(dirname(abs), { recursive: true });
    // Complete or absent: write a temporary file, then rename it into place.
    writeFileSync(`${abs}.tmp`, p.content);
    renameSync(`${abs}.tmp`, abs);
    process.stdout.write(`wrote site/${p.path}\n`);
  }
}
if (extra.length > 0) {
  // Never delete: say which files in site/ no generator writes.
  process.stderr.write(`site/ has files no generator writes: ${extra.join(", ")} (remove them by hand)\n`);
  if (check) process.exit(1);
}
if (check && stale.length > 0) {
  process.stderr.write(`the site is stale: ${stale.join(", ")} (run: npm run site)\n`);
  process.exit(1);
}
if (check) process.stdout.write(`the site is current (${pages.length} files)\n`);
