/**
 * census.html: the shipped sample's map and memmap-cost chart — the SVG and
 * the text report `memdesc census --snapshot samples/census --svg FILE`
 * writes, produced by running the real CLI — and how to make one for your own
 * machine.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { esc, page, type SitePage } from "./html.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

export default function censusPage(): SitePage[] {
  const tmp = mkdtempSync(join(tmpdir(), "memdesc-site-"));
  let svg: string;
  let text: string;
  try {
    const out = join(tmp, "census.svg");
    text = execFileSync(
      process.execPath,
      [
        "--import",
        "tsx",
        join(root, "src/cli/main.ts"),
        "census",
        "--snapshot",
        "samples/census",
        "--svg",
        out,
      ],
      { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } },
    );
    svg = readFileSync(out, "utf8");
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  // The report names the temporary SVG it wrote; the page names the file it ships.
  text = text.replace(/^.*memdesc-site-[^\n]*\n?/gm, "");
  const inline = svg.replace(/^<\?xml[^>]*>\s*/, "").replace("<svg ", '<svg id="fig-census" ');
  const body = `<h1>The census</h1>
<p>What memdescs would a real machine need, and what would its memmap cost at each stage of the shrink? This is the
sample snapshot shipped in <code>samples/census/</code> (a 24 GiB Firecracker VM; see its README), read by
<code>memdesc census</code>. Left: physical memory, each cell coloured by the kind holding most of its page frames.
Right: the memmap cost per stage.</p>
<figure class="fig" id="census-figure">${inline}</figure>
<h2 id="census-report">The text report</h2>
<pre>$ memdesc census --snapshot samples/census --svg census.svg
${esc(text.trimEnd())}</pre>
<h2 id="census-howto">Make one for your own machine</h2>
<ol>
<li>Live, as root (reading <code>/proc/kpageflags</code> needs CAP_SYS_ADMIN):
<pre>sudo npx memdesc census --svg census.svg</pre></li>
<li>Or save a snapshot on the machine and analyse it anywhere:
<pre>sudo npx memdesc snapshot -o my-machine --note "what the machine was doing"
npx memdesc census --snapshot my-machine --svg census.svg</pre></li>
<li>Add <code>--json</code> for the whole census as data, <code>--summary</code> for page-types' summary of the same data,
<code>--descriptor folio=96</code> to try other descriptor sizes. The manual is <code>docs/census.md</code>.</li>
</ol>`;
  return [page({ path: "census.html", title: "Census", body }), { path: "figures/census.svg", content: svg }];
}
