/**
 * The kernel configuration `#if`/`#ifdef`/`IS_ENABLED()` are evaluated
 * against: a documented default (x86_64 with what the simulated machine
 * assumes), then a `--kconfig FILE` (.config syntax), then `--config
 * CONFIG_X=y|n|m` options, later ones winning. The default is listed in
 * docs/c-frontend.md.
 */
import { inputError } from "../model/errors.js";

/** A configuration: option → "y" | "m" | a value ("4", "\"str\""). Absent = not set (n). */
export type KernelConfig = ReadonlyMap<string, string>;

/**
 * x86_64 as the simulated machine is: 4 KiB pages, PMD order 9 (THP), sparse
 * vmemmap, memory hot-remove (arch/x86/mm/init_64.c remove_pagetable()),
 * the IOMMU SVA hook, CONFIG_DEBUG_VM on (the scenarios' default), and
 * CONFIG_ASYNC_KERNEL_PGTABLE_FREE off (the machine's default; --config
 * turns it on).
 */
export const DEFAULT_CONFIG: Readonly<Record<string, string>> = {
  CONFIG_X86: "y",
  CONFIG_X86_64: "y",
  CONFIG_64BIT: "y",
  CONFIG_MMU: "y",
  CONFIG_PGTABLE_LEVELS: "4",
  CONFIG_SPARSEMEM: "y",
  CONFIG_SPARSEMEM_VMEMMAP: "y",
  CONFIG_TRANSPARENT_HUGEPAGE: "y",
  CONFIG_HUGETLB_PAGE: "y",
  CONFIG_MEMORY_HOTPLUG: "y",
  CONFIG_MEMORY_HOTREMOVE: "y",
  CONFIG_SPLIT_PTE_PTLOCKS: "y",
  CONFIG_SPLIT_PMD_PTLOCKS: "y",
  CONFIG_DEBUG_VM: "y",
  CONFIG_IOMMU_SVA: "y",
  CONFIG_SMP: "y",
  CONFIG_NUMA: "y",
  CONFIG_ZONE_DMA: "y",
  CONFIG_ZONE_DMA32: "y",
  CONFIG_MMU_GATHER_TABLE_FREE: "y",
  CONFIG_MMU_GATHER_RCU_TABLE_FREE: "y",
};

const OPTION = /^(CONFIG_[A-Za-z0-9_]+)=(.*)$/;
const NOT_SET = /^# (CONFIG_[A-Za-z0-9_]+) is not set$/;

function set(cfg: Map<string, string>, name: string, value: string): void {
  if (value === "n") cfg.delete(name);
  else cfg.set(name, value);
}

/** Parse one `--config CONFIG_X=y|n|m|value` option (bad input: exit 2). */
export function parseConfigOption(text: string): [string, string] {
  const m = OPTION.exec(text.trim());
  if (!m) inputError(`--config ${text}: expected CONFIG_NAME=y, =n, =m or =value`);
  return [m[1]!, m[2]!];
}

/** Parse a .config file's text; `where` names it in error messages. */
export function parseKconfig(text: string, where: string): [string, string][] {
  const out: [string, string][] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    const unset = NOT_SET.exec(line);
    if (unset) {
      out.push([unset[1]!, "n"]);
      return;
    }
    if (line.startsWith("#")) return;
    const m = OPTION.exec(line);
    if (!m) inputError(`${where}:${i + 1}: not a .config line: ${line.slice(0, 60)}`);
    out.push([m[1]!, m[2]!]);
  });
  return out;
}

/** The default, then each override in order. */
export function makeConfig(overrides: readonly (readonly [string, string])[] = []): KernelConfig {
  const cfg = new Map(Object.entries(DEFAULT_CONFIG));
  for (const [k, v] of overrides) set(cfg, k, v);
  return cfg;
}
