/// <reference lib="dom" />
/**
 * The reference site's decoder (site/decoder.html), bundled by
 * scripts/gen-site.ts into site/decoder.js as one classic IIFE script. It
 * calls decodeWord — the function `memdesc decode` calls — so the page shows
 * the CLI's text: the lines on success, `memdesc: MESSAGE` for bad input
 * (what the CLI writes to stderr), the same JSON with --json.
 */
import { decodeWord } from "../census/explain.js";
import { MemdescInputError } from "../model/errors.js";
import { DECODE_KINDS, type DecodeKind } from "../model/explain.js";
import { DEFAULT_MEMDESC_TABLE } from "../model/memdesc-word.js";

const $ = <E extends HTMLElement>(id: string) => document.getElementById(id) as E;

function run(): void {
  const as = $<HTMLSelectElement>("decode-as").value as DecodeKind;
  const value = $<HTMLInputElement>("decode-value").value.trim();
  const table = $<HTMLSelectElement>("decode-table").value;
  const kernel = $<HTMLInputElement>("decode-kernel").value.trim();
  const json = $<HTMLInputElement>("decode-json").checked;
  const out = $<HTMLPreElement>("decode-out");
  const args = [
    "memdesc decode",
    value || "VALUE",
    ...(as === "memdesc" ? [] : ["--as", as]),
    ...(as === "memdesc" && table !== DEFAULT_MEMDESC_TABLE.name ? ["--table", table] : []),
    ...(kernel && (as === "page_type" || as === "kpageflags") ? ["--kernel", kernel] : []),
    ...(json ? ["--json"] : []),
  ];
  $("decode-cmd").textContent = args.join(" ");
  const state = new URLSearchParams({
    as,
    value,
    ...(kernel ? { kernel } : {}),
    ...(table !== DEFAULT_MEMDESC_TABLE.name ? { table } : {}),
  });
  history.replaceState(null, "", `#${state.toString()}`);
  try {
    const d = decodeWord(as, value, { table, kernel: kernel || undefined });
    out.textContent = json
      ? JSON.stringify({ as: d.as, value: d.value, ...d.json }, null, 2)
      : d.lines.join("\n");
    out.className = "";
  } catch (e) {
    if (!(e instanceof MemdescInputError)) throw e;
    out.textContent = `memdesc: ${e.message}`;
    out.className = "error";
  }
}

function fromHash(): void {
  const p = new URLSearchParams(location.hash.slice(1));
  const as = p.get("as");
  if (as && (DECODE_KINDS as readonly string[]).includes(as)) $<HTMLSelectElement>("decode-as").value = as;
  const value = p.get("value");
  if (value !== null) $<HTMLInputElement>("decode-value").value = value;
  const table = p.get("table");
  if (table !== null) $<HTMLSelectElement>("decode-table").value = table;
  const kernel = p.get("kernel");
  if (kernel !== null) $<HTMLInputElement>("decode-kernel").value = kernel;
}

function main(): void {
  const form = $<HTMLFormElement>("decoder");
  if (!form) return;
  fromHash();
  form.addEventListener("input", run);
  form.addEventListener("change", run);
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    run();
  });
  for (const b of document.querySelectorAll<HTMLButtonElement>(".examples button")) {
    b.addEventListener("click", () => {
      $<HTMLSelectElement>("decode-as").value = b.dataset.as ?? "memdesc";
      $<HTMLInputElement>("decode-value").value = b.dataset.value ?? "";
      $<HTMLInputElement>("decode-kernel").value = b.dataset.kernel ?? "";
      run();
    });
  }
  run();
}

main();
