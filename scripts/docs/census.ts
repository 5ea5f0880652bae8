/**
 * docs/census-reference.md: the census's tables as the code holds them — the
 * KPF bits with page-types' letters, the kpageflags semantics per kernel era,
 * the census kinds with their rules and memdesc kinds, and the default
 * descriptor sizes.
 */
import { CENSUS_KIND_INFO, CENSUS_KINDS, defaultDescriptorSizes } from "../../src/census/index.js";
import {
  formatKernel,
  KPF_BITS,
  KPF_SEMANTICS,
  MEMDESC_KINDS,
  STAGE_INFO,
  STAGES,
} from "../../src/model/index.js";
import type { DocGenerator } from "../gen-docs.js";
import { table } from "./md.js";

const generate: DocGenerator = () => {
  const sizes = defaultDescriptorSizes();
  const content = [
    "# Census reference",
    "",
    "The tables behind `memdesc census` (manual: docs/census.md; decisions: docs/decisions/0100-census-classification.md).",
    "",
    "## KPF bits (src/model/kpageflags.ts)",
    "",
    "Letters and long names are page-types' (`tools/mm/page-types.c`); scope `uapi` is",
    "include/uapi/linux/kernel-page-flags.h, `kernel` include/linux/kernel-page-flags.h,",
    "`page-types` a pseudo-bit page-types adds itself.",
    "",
    table(
      ["bit", "name", "letter", "long name", "scope", "note"],
      KPF_BITS.map((b) => [b.bit, b.name, b.letter ?? "—", b.longName, b.scope, b.note]),
    ),
    "",
    "## kpageflags semantics per kernel era",
    "",
    table(
      ["era", "from", "buddy on every page", "tail has folio flags", "tail has page type", "source"],
      KPF_SEMANTICS.map((s) => [
        s.name,
        formatKernel(s.from),
        s.buddyOnEveryPage ? "yes" : "no",
        s.tailHasFolioFlags ? "yes" : "no",
        s.tailHasPageTypes ? "yes" : "no",
        s.source,
      ]),
    ),
    "",
    "## Census kinds, in rule order (src/census/kinds.ts)",
    "",
    table(
      ["kind", "rule", "memdesc kind", "accounting", "description"],
      CENSUS_KINDS.map((k) => {
        const i = CENSUS_KIND_INFO[k];
        return [k, i.ruleText, i.memdesc ?? "—", i.accounting, i.description];
      }),
    ),
    "",
    "## Stages and default descriptor sizes",
    "",
    table(
      ["stage", "bytes per page", "separate descriptors"],
      STAGES.map((s) => [s, STAGE_INFO[s].pageBytes, STAGE_INFO[s].separateDescriptors ? "yes" : "no"]),
    ),
    "",
    table(
      ["memdesc kind", "descriptor bytes", "source"],
      Object.values(MEMDESC_KINDS).map((k) => [k.kind, sizes[k.kind], k.sizeSource]),
    ),
  ].join("\n");
  return [{ path: "docs/census-reference.md", content }];
};
export default generate;
