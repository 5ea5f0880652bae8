/**
 * Every finding's `see:` line links the rule in docs/rules.md and on the site, and the kernel
 * function in docs/api.md (issue 15, last item; anchors per docs/decisions/0700-site-plain-html.md
 * and scripts/docs/api.ts). The anchors must exist: the test reads the generated files.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { opDocLink, ruleDocLink, ruleSiteLink, seeLine } from "../../src/check/render.js";
import { RULE_IDS } from "../../src/model/rules.js";

const root = resolve(__dirname, "../..");
const read = (p: string) => readFileSync(resolve(root, p), "utf8");

/** The ids a generated file defines: HTML id="…" attributes and Markdown headings as GitHub slugs them. */
function anchors(file: string): Set<string> {
  const text = read(file);
  const out = new Set<string>();
  for (const m of text.matchAll(/\bid="([^"]+)"/g)) out.add(m[1]!);
  for (const m of text.matchAll(/^#{1,6} (.+)$/gm))
    out.add(
      m[1]!
        .trim()
        .toLowerCase()
        .replace(/[^\w\- ]/g, "")
        .replace(/ /g, "-"),
    );
  return out;
}

function target(link: string): { file: string; anchor: string } {
  const [file, anchor] = link.split("#");
  return { file: file!, anchor: anchor! };
}

describe("see: links", () => {
  it("spell the rule in docs/, the rule on the site and the function in docs/api.md", () => {
    expect(seeLine("MD002", "__free_pages")).toBe(
      "see: docs/rules.md#md002-free-order  site/rules.html#md002  docs/api.md#__free_pages",
    );
    expect(seeLine("MD007", "page->lru")).toBe("see: docs/rules.md#md007-field-stage  site/rules.html#md007");
    expect(opDocLink("pagetable_pte_ctor")).toBe("docs/api.md#pagetable_pte_ctor");
    expect(opDocLink("ALIGN")).toBe("docs/api.md#align");
    expect(opDocLink("__SetPageOffline")).toBe("docs/api.md#srcsimkernelpage-typets");
    expect(opDocLink("no_such_function")).toBeNull();
    expect(opDocLink(null)).toBeNull();
  });

  const rulesMd = anchors("docs/rules.md");
  const rulesHtml = anchors("site/rules.html");
  for (const id of RULE_IDS)
    it(`${id}: its docs/rules.md and site/rules.html anchors exist`, () => {
      const d = target(ruleDocLink(id));
      const s = target(ruleSiteLink(id));
      expect(d.file).toBe("docs/rules.md");
      expect(s.file).toBe("site/rules.html");
      expect(rulesMd.has(d.anchor), d.anchor).toBe(true);
      expect(rulesHtml.has(s.anchor), s.anchor).toBe(true);
    });

  it("every kernel function a finding can name has its docs/api.md anchor", () => {
    const api = anchors("docs/api.md");
    // The ops the rules' examples report (site/rules.html embeds real checker output) and the free paths.
    const ops = [
      ...new Set(
        [...read("site/rules.html").matchAll(/ MD\d{3} {2}(?:[a-z0-9,]+ {2})?([A-Za-z_]\w*): /g)].map(
          (m) => m[1]!,
        ),
      ),
      "__free_pages",
      "free_pages",
      "free_page",
      "__free_page",
      "put_page",
      "folio_put",
      "pagetable_free",
      "__pagetable_free",
      "pagetable_dtor_free",
      "free_pages_exact",
      "split_page",
    ];
    expect(ops.length).toBeGreaterThan(20);
    const missing = ops.filter((op) => {
      const link = opDocLink(op);
      return link === null || !api.has(target(link).anchor);
    });
    expect(missing).toEqual([]);
  });
});
