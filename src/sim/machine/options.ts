/**
 * Machine options: the size of the memory map and the kernel configuration
 * that changes behaviour.
 */
import {
  COMPOUND_INFO_CONFIG,
  type CompoundInfoConfig,
  DEFAULT_MEMDESC_TABLE,
  formatKernel,
  type KernelVersion,
  kernelHasCompoundInfoMask,
  kernelInRange,
  type MemdescTable,
  NEWEST_KERNEL,
  OLDEST_KERNEL,
  type PageFlagEra,
  type PageTypeEra,
  pageFlagEra,
  pageTypeEra,
} from "../../model/index.js";
import { MAX_MACHINE_PAGES } from "./constants.js";
import { defaultPcpConfig, type PcpConfig } from "./zone.js";

export interface MachineOptions {
  /** Number of 4 KiB pages; a 16 GiB machine is 4_194_304. */
  readonly pages: number;
  /**
   * CONFIG_DEBUG_VM, default on. Turns on what the kernel checks only when
   * check_pages_enabled (the static key is on by default with
   * CONFIG_DEBUG_VM, see is_check_pages_enabled()) or under VM_BUG_ON:
   * the free-time and allocation-time page checks (bad_page, MD016), the
   * PAGE_TYPE_OPS VM_BUG_ONs (MD003, MD004), put_page_testzero()'s refcount
   * check. The machine's own integrity checks (double free, use after free,
   * wrong order) run either way: see docs/sim-machine.md.
   */
  readonly debugVm?: boolean;
  /** CONFIG_ASYNC_KERNEL_PGTABLE_FREE (def_bool n; x86 selects it with IOMMU_SVA). Read by the kernel-named layer. */
  readonly asyncKernelPgtableFree?: boolean;
  /** An IOMMU with SVA bound to the kernel address space: allocations report MD017 on stale pages. */
  readonly iommuSva?: boolean;
  /** "throw" (default): a MachineViolationError per failing operation; "collect": record and go on. */
  readonly onViolation?: "throw" | "collect";
  /** Keep an allocation-site label per allocation (4 more bytes per page). */
  readonly trackAllocSites?: boolean;
  /**
   * The kernel whose encodings the today view and dump_page() use (default:
   * the newest, 7.3): the page_type word and the flags word's bits and
   * names (`flags: 0x…(name|…)` as that kernel's mmflags.h prints them).
   * The machine's behaviour follows the newest tree whatever this says.
   */
  readonly kernel?: KernelVersion;
  /** The memdesc type table for the 8-byte words (default: wiki-source). */
  readonly memdescTable?: MemdescTable;
  /** pcp batch and high (default from zone_batchsize()); false: no pcp lists (boot pageset). */
  readonly pcp?: PcpConfig | false;
  /** CONFIG_HUGETLB_PAGE (default on): the third tail page's mapping is then not checked at free. */
  readonly hugetlbPage?: boolean;
  /**
   * CONFIG_HUGETLB_PAGE_OPTIMIZE_VMEMMAP (HVO; default: as hugetlbPage, since
   * fs/Kconfig, linux-mm/linux-mm @3154b30f2465, has it `def_bool
   * HUGETLB_PAGE`, x86-64 having ARCH_SUPPORTS_VMEMMAP_REMAP and
   * SPARSEMEM_VMEMMAP). With it and the 64-byte
   * struct page a tail's compound_info holds the mask
   * `GENMASK(63, order + 6) | 1`, without it `head | 1`
   * (include/linux/page-flags.h v7.3.4 compound_info_has_mask(),
   * set_compound_head()). Kernels before the mask form
   * (COMPOUND_INFO_MASK_FROM, 7.1; v6.12.117 has no compound_info_has_mask())
   * write `head | 1` either way. It depends on HUGETLB_PAGE: `true` with
   * `hugetlbPage: false` is an error.
   */
  readonly hugetlbVmemmapOptimize?: boolean;
  /** The process name bad_page() reports (default "memdesc"). */
  readonly comm?: string;
}

export interface MachineConfig {
  readonly pages: number;
  readonly debugVm: boolean;
  readonly asyncKernelPgtableFree: boolean;
  readonly iommuSva: boolean;
  readonly onViolation: "throw" | "collect";
  readonly trackAllocSites: boolean;
  readonly kernel: KernelVersion;
  readonly pageTypeEra: PageTypeEra;
  /** The page flags era of `kernel`: the flags word's bits and dump_page()'s names. */
  readonly pageFlagEra: PageFlagEra;
  readonly memdescTable: MemdescTable;
  readonly pcp: PcpConfig | null;
  readonly hugetlbPage: boolean;
  readonly hugetlbVmemmapOptimize: boolean;
  /** What a tail's compound_info holds: HVO and sizeof(struct page). */
  readonly compoundInfo: CompoundInfoConfig;
  readonly comm: string;
}

export function resolveOptions(o: MachineOptions): MachineConfig {
  if (!Number.isInteger(o.pages) || o.pages < 1 || o.pages > MAX_MACHINE_PAGES) {
    throw new RangeError(`machine size ${o.pages} is not a page count in 1..${MAX_MACHINE_PAGES}`);
  }
  const kernel = o.kernel ?? NEWEST_KERNEL;
  // kernelInRange compares the stable release too (6.6.29 < 6.6.30) and lets every stable
  // release of the newest series in (7.3.2 is 7.3), as `--kernel` does (src/model/kernel.ts).
  if (!kernelInRange(kernel, OLDEST_KERNEL, NEWEST_KERNEL)) {
    throw new RangeError(
      `kernel ${formatKernel(kernel)} is outside ${formatKernel(OLDEST_KERNEL)}..${formatKernel(NEWEST_KERNEL)}`,
    );
  }
  let pcp: PcpConfig | null = o.pcp === false ? null : (o.pcp ?? defaultPcpConfig(o.pages));
  if (pcp && (!Number.isInteger(pcp.batch) || pcp.batch < 1 || !Number.isInteger(pcp.high) || pcp.high < 1)) {
    throw new RangeError(`pcp batch ${pcp.batch} / high ${pcp.high} must be positive integers`);
  }
  if (pcp) pcp = { batch: pcp.batch, high: pcp.high };
  const hugetlbPage = o.hugetlbPage ?? true;
  const hvo = o.hugetlbVmemmapOptimize ?? hugetlbPage;
  if (hvo && !hugetlbPage) {
    throw new RangeError(
      "hugetlbVmemmapOptimize needs hugetlbPage: CONFIG_HUGETLB_PAGE_OPTIMIZE_VMEMMAP depends on CONFIG_HUGETLB_PAGE",
    );
  }
  return {
    pages: o.pages,
    debugVm: o.debugVm ?? true,
    asyncKernelPgtableFree: o.asyncKernelPgtableFree ?? false,
    iommuSva: o.iommuSva ?? false,
    onViolation: o.onViolation ?? "throw",
    trackAllocSites: o.trackAllocSites ?? false,
    kernel,
    pageTypeEra: pageTypeEra(kernel),
    pageFlagEra: pageFlagEra(kernel),
    memdescTable: o.memdescTable ?? DEFAULT_MEMDESC_TABLE,
    pcp,
    hugetlbPage,
    hugetlbVmemmapOptimize: hvo,
    compoundInfo: {
      ...COMPOUND_INFO_CONFIG,
      optimizeVmemmap: hvo,
      maskEncoding: kernelHasCompoundInfoMask(kernel),
    },
    comm: o.comm ?? "memdesc",
  };
}
