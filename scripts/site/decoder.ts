/**
 * decoder.html: paste a word, pick what it is and the table or kernel, read
 * what `memdesc decode` prints. The text comes from src/site/decoder.ts →
 * src/census/explain.ts → src/model/explain.ts, the same functions the CLI
 * calls, bundled into site/decoder.js (a classic script: file:// safe).
 */
import { DECODE_KINDS } from "../../src/model/explain.js";
import { formatKernel, NEWEST_KERNEL } from "../../src/model/kernel.js";
import { KPF_SEMANTICS } from "../../src/model/kpageflags.js";
import { DEFAULT_MEMDESC_TABLE, MEMDESC_TABLES } from "../../src/model/memdesc-word.js";
import { PAGE_TYPE_ERAS } from "../../src/model/page-type.js";
import { esc, page, type SitePage } from "./html.js";

/** Worked examples: [as, value, kernel or table]. */
const EXAMPLES: readonly (readonly [string, string, string])[] = [
  ["memdesc", "0xffff888100000027", ""],
  ["memdesc", "0x7020", ""],
  ["page_type", "0xf2000000", ""],
  ["page_type", "0xbfff1234", "6.11"],
  ["flags", "0x1000000000000044", ""],
  ["kpageflags", "0x802410028", ""],
];

export default function decoderPage(): SitePage[] {
  const versions = [
    ...new Set([
      ...PAGE_TYPE_ERAS.flatMap((e) => [formatKernel(e.from), formatKernel(e.to)]),
      ...KPF_SEMANTICS.map((s) => formatKernel(s.from)),
    ]),
  ];
  const body = `<h1>Decoder</h1>
<p>Paste a word from a crash dump, <code>dump_page()</code> output or <code>/proc/kpageflags</code>. The explanation is
computed in this page by the model's own code (the functions <code>memdesc decode</code> calls, bundled), so it is the text the CLI prints:
<code id="decode-cmd">memdesc decode</code></p>
<form class="decoder" id="decoder" autocomplete="off">
<label for="decode-as">the word is</label>
<select id="decode-as" name="as">${DECODE_KINDS.map((k) => `<option value="${k}">${k}</option>`).join("")}</select>
<label for="decode-value">value (0x… hex, decimal, 0o… or 0b…)</label>
<input id="decode-value" name="value" value="0xffff888100000027" spellcheck="false">
<label for="decode-table">memdesc type table</label>
<select id="decode-table" name="table">${MEMDESC_TABLES.map((t) => `<option value="${esc(t.name)}"${t === DEFAULT_MEMDESC_TABLE ? " selected" : ""}>${esc(t.name)} — ${esc(t.title)}</option>`).join("")}</select>
<label for="decode-kernel">kernel (page_type, kpageflags; empty: ${formatKernel(NEWEST_KERNEL)})</label>
<input id="decode-kernel" name="kernel" list="kernels" placeholder="${formatKernel(NEWEST_KERNEL)}" spellcheck="false">
<datalist id="kernels">${versions.map((v) => `<option value="${v}">`).join("")}</datalist>
<label for="decode-json">as JSON (--json)</label>
<input type="checkbox" id="decode-json" name="json">
</form>
<pre id="decode-out" aria-live="polite">(the decoder needs JavaScript)</pre>
<p class="examples">Examples: ${EXAMPLES.map(([as, v, k]) => `<button type="button" data-as="${as}" data-value="${v}" data-kernel="${k}">${as} ${v}${k ? ` (${k})` : ""}</button>`).join("")}</p>
<p>Link to a decoded word: <code>decoder.html#as=page_type&amp;value=0xf2000000&amp;kernel=6.12</code>.
What the bits mean: <a href="words.html">the words, drawn</a>.</p>`;
  return [page({ path: "decoder.html", title: "Decoder", body, scripts: ["decoder.js"] })];
}
