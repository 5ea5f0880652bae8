/** index.html: what the site is, the struct page figure, and where everything is. */
import { LAYOUTS, RULE_IDS, STAGES } from "../../src/model/index.js";
import { esc, page, type SitePage } from "./html.js";

export default function indexPage(): SitePage[] {
  const body = `<h1>memdesc: the shrink of struct page, as a design reference</h1>
<p>Linux is shrinking <code>struct page</code> from ${LAYOUTS.today.page.size} bytes to one ${LAYOUTS.final.page.size}-byte word, the
<em>memdesc</em>: ${STAGES.map((s) => `${esc(s)} ${LAYOUTS[s].page.size} B`).join(" → ")}. Which field of today's struct page lives where
at each stage, which descriptor takes it over, what the bits of each word mean — drawn from memdesc's tables, so the pictures
cannot drift from the model.</p>
<ul>
<li><a href="structs.html">The shrink, drawn</a>: struct page, folio, ptdesc, slab and zpdesc at every stage, byte by byte, with the kernel's <code>*_MATCH</code> overlay asserts.</li>
<li><a href="words.html">The words, drawn</a>: the memdesc word per type table, <code>page_type</code> per kernel era, the page flags word.</li>
<li><a href="decoder.html">Decoder</a>: paste a memdesc word, <code>page_type</code>, flags or kpageflags word and read what <code>memdesc decode</code> prints.</li>
<li><a href="rules.html">Rules</a>: the ${RULE_IDS.length} memdesc rules with their kernel source, compile-time and run-time forms and the checker's output on each example.</li>
<li><a href="census.html">Census</a>: a real machine's physical memory by memdesc kind, and its memmap cost per stage.</li>
</ul>
<p>Deep links: <code>structs.html#page-today-_mapcount</code> (a member at a stage), <code>structs.html#trace-mapping</code>
(where today's member goes), <code>structs.html#match-folio-1-flags-_flags_1</code> (an overlay assert),
<code>words.html#memdesc-wiki-source-7</code>, <code>words.html#page-type-era-6.11</code>, <code>words.html#flag-pg_head</code>,
<code>words.html#kpf-kpf_buddy</code>, <code>rules.html#md002</code>.</p>
<p>Offline: every page works opened from disk; nothing is fetched. Regenerate with <code>npm run site</code>.</p>`;
  return [page({ path: "index.html", title: "Overview", body })];
}
