/**
 * Every citation names something a reader can open: a kernel path with a
 * commit or a release, a URL, or a mailing-list message id. Nothing cites the
 * project's private notes (kernel-facts.md, /work/shared), which readers do
 * not have.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  ALTERNATIVE_PAGE_LAYOUTS,
  KPF_SEMANTICS,
  KPF_THP_RULES,
  LAYOUT_STRUCTS,
  LAYOUTS,
  MEMDESC_KINDS,
  MEMDESC_TABLES,
  PAGE_FLAG_ERAS,
  PAGE_TYPE_ERAS,
  RULES,
  STAGE_INFO,
  STAGES,
} from "../../src/model/index.js";

const ROOT = join(import.meta.dirname, "..", "..");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|md)$/.test(name) ? [p] : [];
  });
}

const URL_OR_DOMAIN = /https?:\/\/\S+|\b[\w-]+(\.[\w-]+)*\.(org|com|net|dev|io)\/\S*/;
const MESSAGE_ID = /\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b/;
const KERNEL_PATH = /\b(include|mm|fs|kernel|arch|tools|lib|drivers|Documentation)\/[\w./-]+/;
const COMMIT_OR_RELEASE = /\b[0-9a-f]{8,40}\b|@[0-9a-f]{7,40}\b|\bv?\d+\.\d+(\.\d+)?\b|-rc\d/;

/** Whether a citation names something a reader can open (or says it is the model's own). */
function openable(source: string): boolean {
  if (URL_OR_DOMAIN.test(source) || MESSAGE_ID.test(source)) return true;
  if (KERNEL_PATH.test(source) && COMMIT_OR_RELEASE.test(source)) return true;
  // A kernel commit cited by id and subject.
  if (/\b[0-9a-f]{12}\b/.test(source)) return true;
  return /the model's own/.test(source);
}

const LINK = new RegExp(`${URL_OR_DOMAIN.source}|${MESSAGE_ID.source}`);

/**
 * Mentions of a site or a mail that a reader cannot open as written: the
 * kernelnewbies wiki or spinics without their full https:// URL, and
 * Wilcox's mails (linux-mm, the iommu/sva thread) with no URL or message id
 * within the next 200 characters.
 */
function bareSiteMentions(text: string): string[] {
  const out: string[] = [];
  const at = (i: number) => text.slice(i, i + 60).replace(/\s+/g, " ");
  for (const m of text.matchAll(/(https:\/\/)?kernelnewbies(\.org\/)?/gi))
    if (!m[1] || !m[2]) out.push(at(m.index));
  for (const m of text.matchAll(/(https:\/\/www\.)?spinics(\.net\/lists\/)?/gi))
    if (!m[1] || !m[2]) out.push(at(m.index));
  for (const m of text.matchAll(/Wilcox, (linux-mm|iommu\/sva thread)/g))
    if (!LINK.test(text.slice(m.index, m.index + 200))) out.push(at(m.index));
  return out;
}

describe("citations", () => {
  it("no file in src/ or docs/ cites the private notes", () => {
    const offenders = [
      ...files(join(ROOT, "src")),
      ...files(join(ROOT, "docs")),
      ...files(join(ROOT, "scripts")),
    ]
      .filter((p) => /kernel-facts\.md|\/work\/shared/.test(readFileSync(p, "utf8")))
      .map((p) => p.slice(ROOT.length + 1));
    expect(offenders).toEqual([]);
  });

  it("names no site without its link: kernelnewbies, spinics and Wilcox's mails are cited by URL or message id", () => {
    expect(bareSiteMentions("see kernelnewbies Memdescs")).toHaveLength(1);
    expect(bareSiteMentions("kernelnewbies.org/MatthewWilcox/Memdescs")).toHaveLength(1);
    expect(bareSiteMentions("(spinics msg369183)")).toHaveLength(1);
    expect(bareSiteMentions("Wilcox, iommu/sva thread, 26 Aug 2025")).toHaveLength(1);
    expect(bareSiteMentions("https://kernelnewbies.org/MatthewWilcox/Memdescs/Path?action=raw")).toEqual([]);
    expect(bareSiteMentions("https://www.spinics.net/lists/linux-mm/msg369183.html")).toEqual([]);
    expect(
      bareSiteMentions("Wilcox, linux-mm, Jan 2025, message Z37pxbkHPbLYnDKn@casper.infradead.org"),
    ).toEqual([]);
    const offenders = [
      ...files(join(ROOT, "src")),
      ...files(join(ROOT, "docs")),
      ...files(join(ROOT, "scripts")),
    ].flatMap((p) =>
      bareSiteMentions(readFileSync(p, "utf8")).map((m) => `${p.slice(ROOT.length + 1)}: ${m}`),
    );
    expect(offenders).toEqual([]);
  });

  it("the test's own rule: accepts what a reader can open, rejects what they cannot", () => {
    expect(openable("include/linux/page-flags.h (v6.6)")).toBe(true);
    expect(openable("mm/slab.h (linux-mm/linux-mm @129c35f1a42e)")).toBe(true);
    expect(openable("message 20240809114854.3745464-5-kirill.shutemov@linux.intel.com")).toBe(true);
    expect(openable("https://kernelnewbies.org/MatthewWilcox/Memdescs?action=Save")).toBe(true);
    expect(openable("kernel-facts.md §1.2")).toBe(false);
    expect(openable("include/linux/mm.h")).toBe(false);
    // A kernel path without the tree it was read from, and a bare site name, cannot be opened.
    expect(openable("mm/page_alloc.c __free_pages_prepare()")).toBe(false);
    expect(openable("tools/testing/radix-tree ledger (nr_allocated must return to zero)")).toBe(false);
    expect(openable("message Z9hVE-SzM-IuS-6B@casper.infradead.org")).toBe(true);
  });

  it("every table's source is openable, the rules catalogue and the page flags eras included", () => {
    const sources: [string, string][] = [
      ...PAGE_TYPE_ERAS.map((e) => [`page_type era ${e.id}`, e.source] as [string, string]),
      ...PAGE_TYPE_ERAS.flatMap((e) =>
        Object.entries(e.unsettled ?? {}).map(
          ([n, why]) => [`unsettled ${e.id} ${n}`, why] as [string, string],
        ),
      ),
      ...STAGES.flatMap((s) =>
        LAYOUT_STRUCTS.map((k) => [`layout ${s} ${k}`, LAYOUTS[s][k].source] as [string, string]),
      ),
      ...ALTERNATIVE_PAGE_LAYOUTS.map((a) => [`alternative ${a.id}`, a.layout.source] as [string, string]),
      ...MEMDESC_TABLES.map((t) => [`memdesc table ${t.name}`, t.source] as [string, string]),
      ...KPF_SEMANTICS.map((k) => [`kpageflags ${k.name}`, k.source] as [string, string]),
      ...KPF_THP_RULES.map((r) => [`KPF_THP ${r.rule}`, r.source] as [string, string]),
      ...Object.entries(RULES).map(([id, r]) => [`rule ${id}`, r.source] as [string, string]),
      ...PAGE_FLAG_ERAS.map((e) => [`page flags era ${e.id}`, e.source] as [string, string]),
      ...STAGES.map((s) => [`stage ${s}`, STAGE_INFO[s].source] as [string, string]),
      ...Object.values(MEMDESC_KINDS).map((k) => [`kind ${k.kind}`, k.sizeSource] as [string, string]),
    ];
    const bad = sources.filter(([, s]) => !openable(s)).map(([what, s]) => `${what}: ${s}`);
    expect(bad).toEqual([]);
  });

  it("the interim 32-byte struct page cites Wilcox's PageMovable mail; the folio's order cites FolioAlloc", () => {
    // Message Z9hVE-SzM-IuS-6B@casper.infradead.org (linux-mm, 17 Mar 2025) has _refcount outside the
    // list union; Path ?action=raw has it inside, and lists no folio order. FolioAlloc's folio_alloc()
    // sets folio->order (decision 0303).
    expect(LAYOUTS.interim32.page.source).toContain("Z9hVE-SzM-IuS-6B@casper.infradead.org");
    const order = LAYOUTS.interim32.folio.fields.find((f) => f.name === "order");
    expect(order?.note).toContain("https://kernelnewbies.org/MatthewWilcox/FolioAlloc?action=raw");
    expect(LAYOUTS.interim32.folio.source).toContain(
      "https://kernelnewbies.org/MatthewWilcox/FolioAlloc?action=raw",
    );
  });
});
