/**
 * docs/case-studies/iommu-sva.md: the three designs of the 2025 thread with the
 * checker's real output (compile at today and final, then --run), for the
 * TypeScript design and for its C twin.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { makeConfig } from "../../src/c/config.js";
import { cFrontEnd } from "../../src/c/frontend.js";
import { runTranslated } from "../../src/c/run.js";
import { checkFiles } from "../../src/check/check.js";
import { renderCheckReport } from "../../src/check/render.js";
import { runScenarios } from "../../src/check/run.js";
import type { DocPage } from "../gen-docs.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

const DESIGNS = [
  {
    file: "0-before-the-series.ts",
    title: "0 — before the series",
    text: "The hazard: a kernel PTE table freed by `pte_free_kernel()` is handed to a new owner while the IOMMU may still walk it.",
  },
  {
    file: "1-three-lists.ts",
    title: "1 — three lists (Lu Baolu's draft, 23 Aug 2025)",
    text: 'Baolu\'s posted "mm: Conditionally defer freeing of kernel page table pages": three deferred lists (ptdescs with a destructor; order-0 pages queued as `page_ptdesc(page)->pt_list`; higher-order blocks in kzalloc()ed `struct async_free_data`) drained by one worker that picks the free function per list and does not yet tell the IOMMU. No `page->lru`, so every stage compiles the same; at run time the direct-map table is cast to a ptdesc it is not, and a table reused after the worker ran is stale.',
  },
  {
    file: "2-one-list.ts",
    title: "2 — one list (Dave Hansen's consolidation, 26–27 Aug 2025)",
    text: "One list through `ptdesc->pt_list`, the destructor run by whoever queues, higher-order blocks made `__GFP_COMP` so the worker only calls `__free_pages(page, compound_order(page))`. Survives every stage; queues plain pages as ptdescs.",
  },
  {
    file: "3-merged.ts",
    title: "3 — merged (v7, Oct 2025)",
    text: "`PT_kernel` at allocation, `pagetable_free()` → `pagetable_free_kernel()`, a `CONFIG_ASYNC_KERNEL_PGTABLE_FREE` worker that invalidates the IOMMU first. Clean on the mm side; x86's `free_pagetable()` passes a non-compound vmemmap block through `pagetable_free()`.",
  },
] as const;

export default async function caseStudy(): Promise<DocPage[]> {
  const sections: string[] = [];
  for (const d of DESIGNS) {
    const path = resolve(root, "examples/iommu-sva", d.file);
    const report = await checkFiles({
      paths: [path],
      stages: ["today", "final"],
      run: runScenarios,
      cwd: root,
    });
    // The C twin, checked as `memdesc check FILE.c --run` does (src/cli/check.ts).
    const cFile = d.file.replace(/\.ts$/, ".c");
    const cPath = resolve(root, "examples/iommu-sva", cFile);
    const fe = cFrontEnd(makeConfig(), root);
    const cReport = await checkFiles({
      paths: [cPath],
      stages: ["today", "final"],
      frontEnd: fe,
      run: (f) => runTranslated(f, fe.translationOf(f)!, (t) => runScenarios(t)),
      cwd: root,
    });
    sections.push(`## ${d.title}

${d.text} Source: [\`examples/iommu-sva/${d.file}\`](../../examples/iommu-sva/${d.file}).

\`\`\`
$ memdesc check examples/iommu-sva/${d.file} --run
${renderCheckReport(report).trimEnd()}
\`\`\`

In kernel C: [\`examples/iommu-sva/${cFile}\`](../../examples/iommu-sva/${cFile}) —
the same rules at the same stages, at the C lines.

\`\`\`
$ memdesc check examples/iommu-sva/${cFile} --run
${renderCheckReport(cReport).trimEnd()}
\`\`\``);
  }
  return [
    {
      path: "docs/case-studies/iommu-sva.md",
      content: `# Case study: kernel page tables, the IOMMU and the 8-byte struct page

The thread "[PATCH v3 1/1] iommu/sva: Invalidate KVA range on kernel TLB flush" (Aug 2025) began as
an IOMMU fix and turned into a lesson in memory descriptors: Dave Hansen counted three kinds of
kernel page-table memory (a ptdesc with a destructor, an order-0 \`struct page\`, a higher-order
non-compound \`struct page\`), Matthew Wilcox answered that \`struct page\` is shrinking to 8 bytes and
that "non-compound allocations are bad news". The series that was merged (Lu Baolu, v7, 22 Oct 2025;
mm-stable 16 Nov 2025) marks kernel page tables with \`PT_kernel\` and frees them through a worker that
invalidates the IOMMU first.

Below, each design as \`memdesc check --run\` sees it at the \`today\` and \`final\` stages. The verdicts,
the reasoning behind each, and all four stages are in
[examples/iommu-sva/README.md](../../examples/iommu-sva/README.md); \`test/check/iommu-sva.test.ts\`
asserts them. Each design is also written in kernel C (\`memdesc check\` reads C directly:
[docs/c-frontend.md](../c-frontend.md)), with the same verdicts at its own lines
(\`test/c/iommu-sva.test.ts\`). Rules: [docs/rules.md](../rules.md).

${sections.join("\n\n")}
`,
    },
  ];
}
