/**
 * The page flags word: `enum pageflags` with each flag's compound policy, its
 * aliases, the ptdesc flags, and the masks the page allocator checks — for
 * the newest tree (`PAGE_FLAGS`, include/linux/page-flags.h linux-mm/linux-mm
 * @03e0599d; `enum pt_flags` include/linux/mm.h @009857a2) and, versioned,
 * for every kernel from 6.6 (`PAGE_FLAG_ERAS`, below).
 *
 * The flags after PG_dropbehind (PG_unevictable in older kernels) depend on
 * configuration; bits are laid out for `PAGE_FLAGS_CONFIG`, an x86-64 build
 * with CONFIG_MMU, CONFIG_MEMORY_FAILURE, CONFIG_PAGE_IDLE_FLAG and
 * CONFIG_X86_PAT (which gives PG_uncached before its removal and PG_arch_2
 * after it), without arm64's CONFIG_ARM64_MTE. The bit numbers differ between
 * releases: read an older kernel's raw flags with its era (`pageFlagEra`).
 */

import { formatKernel, type KernelVersion, kernelInRange } from "./kernel.js";

/**
 * Compound-page policies from page-flags.h:
 * - PF_ANY: relevant for small, head and tail pages.
 * - PF_HEAD: operations apply to the head page of a compound page.
 * - PF_NO_TAIL: modifications on small or head pages only; tests may use tails.
 * - PF_NO_COMPOUND: not relevant for compound pages (VM_BUG_ON_PGFLAGS if compound).
 * - PF_SECOND: stored in the first tail page.
 */
export type PageFlagPolicy = "PF_ANY" | "PF_HEAD" | "PF_NO_TAIL" | "PF_NO_COMPOUND" | "PF_SECOND";

export const PAGE_FLAG_POLICIES: Readonly<Record<PageFlagPolicy, string>> = {
  PF_ANY: "the page flag is relevant for small, head and tail pages",
  PF_HEAD: "for compound pages all operations related to the flag apply to the head page",
  PF_NO_TAIL: "modifications must be done on small or head pages; checks may be done on tail pages too",
  PF_NO_COMPOUND: "the flag is not relevant for compound pages",
  PF_SECOND: "the flag is stored in the first tail page",
};

export interface PageFlagInfo {
  readonly bit: number;
  readonly name: string;
  /**
   * The compound policy. Flags declared only through FOLIO_FLAG(name,
   * FOLIO_HEAD_PAGE) have no Page* accessor; they live in the head page, so
   * their policy is PF_HEAD with `folioOnly` set.
   */
  readonly policy: PageFlagPolicy | null;
  readonly folioOnly: boolean;
  /** The config option the flag depends on, when it is conditional. */
  readonly config: string | null;
  readonly comment: string;
}

const f = <const Name extends string>(
  bit: number,
  name: Name,
  policy: PageFlagPolicy | null,
  comment: string,
  opts: { folioOnly?: boolean; config?: string } = {},
): PageFlagInfo & { readonly name: Name } => ({
  bit,
  name,
  policy,
  folioOnly: opts.folioOnly ?? false,
  config: opts.config ?? null,
  comment,
});

/** `enum pageflags`, newest tree, one entry per bit (policies from the PAGEFLAG/FOLIO_FLAG lines). */
export const PAGE_FLAGS = [
  f(0, "PG_locked", "PF_NO_TAIL", "Page is locked. Don't touch."),
  f(1, "PG_writeback", "PF_NO_TAIL", "Page is under writeback"),
  f(2, "PG_referenced", "PF_HEAD", "reclaim: referenced (FOLIO_FLAG(referenced, FOLIO_HEAD_PAGE))", {
    folioOnly: true,
  }),
  f(3, "PG_uptodate", "PF_NO_TAIL", "contents are up to date (ClearPageUptodate is PF_NO_TAIL)"),
  f(4, "PG_dirty", "PF_HEAD", "PAGEFLAG(Dirty, dirty, PF_HEAD)"),
  f(5, "PG_lru", "PF_HEAD", "on an LRU list; PAGEFLAG(LRU, lru, PF_HEAD)"),
  f(6, "PG_head", "PF_ANY", "head of a compound page; must be in bit 6"),
  f(7, "PG_waiters", "PF_HEAD", "page has waiters; must be bit 7, same byte as PG_locked", {
    folioOnly: true,
  }),
  f(8, "PG_active", "PF_HEAD", "on the active LRU", { folioOnly: true }),
  f(9, "PG_workingset", "PF_HEAD", "PAGEFLAG(Workingset, workingset, PF_HEAD)"),
  // No PAGEFLAG line of its own in this tree (6.6 had PAGEFLAG(OwnerPriv1, owner_priv_1, PF_ANY));
  // only its aliases are declared: Checked, Pinned, Foreign, XenRemapped PF_NO_COMPOUND,
  // VmemmapSelfHosted PF_ANY, swapcache through the folio.
  f(
    10,
    "PG_owner_priv_1",
    null,
    "owner use; no accessor of its own (aliases PG_swapcache, PG_checked, PG_pinned …)",
  ),
  f(11, "PG_owner_2", "PF_HEAD", "owner use; aliases PG_anon_exclusive, PG_mappedtodisk", {
    folioOnly: true,
  }),
  f(12, "PG_arch_1", null, "architecture specific; no generic accessor in page-flags.h"),
  f(13, "PG_reserved", "PF_NO_COMPOUND", "special page; PAGEFLAG(Reserved, reserved, PF_NO_COMPOUND)"),
  f(14, "PG_private", "PF_ANY", "has fs-private data; PAGEFLAG(Private, private, PF_ANY)"),
  f(15, "PG_private_2", "PF_HEAD", "fs aux data; alias PG_fscache", { folioOnly: true }),
  f(
    16,
    "PG_reclaim",
    "PF_NO_TAIL",
    "to be reclaimed asap; aliases PG_readahead, PG_partially_mapped (2nd page)",
  ),
  f(17, "PG_swapbacked", "PF_HEAD", "backed by RAM or swap", { folioOnly: true }),
  f(18, "PG_unevictable", "PF_HEAD", "unevictable", { folioOnly: true }),
  f(19, "PG_dropbehind", "PF_HEAD", "drop pages on IO completion", { folioOnly: true }),
  f(20, "PG_mlocked", "PF_HEAD", "vma mlocked", { folioOnly: true, config: "CONFIG_MMU" }),
  f(21, "PG_hwpoison", "PF_ANY", "hardware poisoned page. Don't touch", { config: "CONFIG_MEMORY_FAILURE" }),
  f(22, "PG_young", "PF_HEAD", "page idle tracking", {
    folioOnly: true,
    config: "CONFIG_PAGE_IDLE_FLAG && 64BIT",
  }),
  f(23, "PG_idle", "PF_HEAD", "page idle tracking", {
    folioOnly: true,
    config: "CONFIG_PAGE_IDLE_FLAG && 64BIT",
  }),
  // x86's X86_PAT selects ARCH_USES_PG_ARCH_2 since "x86: Remove PG_uncached" (message
  // 20240821193445.2294269-11-willy@infradead.org): PAT keeps the memory type in PG_arch_1 and PG_arch_2.
  f(24, "PG_arch_2", null, "architecture specific (x86 PAT memory type); no generic accessor", {
    config: "CONFIG_ARCH_USES_PG_ARCH_2",
  }),
] as const satisfies readonly PageFlagInfo[];

/** The name of a bit of `enum pageflags` (aliases excluded). */
export type PageFlagName = (typeof PAGE_FLAGS)[number]["name"];

/** Each flag's mask, `1 << PG_x`, by name: the one home of the masks code tests flag words with. */
export const PAGE_FLAG_MASK = Object.fromEntries(PAGE_FLAGS.map((p) => [p.name, 2 ** p.bit])) as Readonly<
  Record<PageFlagName, number>
>;

/** NR_PAGEFLAGS of the newest tree under PAGE_FLAGS_CONFIG. */
export const NR_PAGEFLAGS = PAGE_FLAGS.length;

/** The aliases of `enum pageflags` (name → the flag whose bit it shares). */
export const PAGE_FLAG_ALIASES: Readonly<
  Record<string, { readonly of: string; readonly policy: PageFlagPolicy | null; readonly note: string }>
> = {
  PG_readahead: { of: "PG_reclaim", policy: "PF_HEAD", note: "reads only; PG_reclaim is for writes" },
  PG_swapcache: {
    of: "PG_owner_priv_1",
    policy: "PF_HEAD",
    note: "swap page: swp_entry_t in private; needs PG_swapbacked",
  },
  PG_checked: { of: "PG_owner_priv_1", policy: "PF_NO_COMPOUND", note: "used by some filesystems" },
  PG_anon_exclusive: {
    of: "PG_owner_2",
    policy: "PF_ANY",
    note: "anonymous memory; may be set on tail pages of PTE-mapped THP",
  },
  PG_mappedtodisk: { of: "PG_owner_2", policy: "PF_HEAD", note: "all buffer heads in the folio are mapped" },
  PG_fscache: { of: "PG_private_2", policy: "PF_HEAD", note: "page backed by cache" },
  PG_pinned: {
    of: "PG_owner_priv_1",
    policy: "PF_NO_COMPOUND",
    note: "Xen: pinned as a read-only page table",
  },
  PG_savepinned: { of: "PG_dirty", policy: "PF_NO_COMPOUND", note: "Xen: pinned as part of domain save" },
  PG_foreign: {
    of: "PG_owner_priv_1",
    policy: "PF_NO_COMPOUND",
    note: "Xen: grant mapping of a foreign domain's page",
  },
  PG_xen_remapped: { of: "PG_owner_priv_1", policy: "PF_NO_COMPOUND", note: "Xen: remapped by swiotlb-xen" },
  PG_movable_ops_isolated: {
    of: "PG_reclaim",
    policy: "PF_NO_TAIL",
    note: "CONFIG_MIGRATION: movable_ops page isolated for migration",
  },
  PG_movable_ops: {
    of: "PG_uptodate",
    policy: "PF_NO_TAIL",
    note: "CONFIG_MIGRATION: a movable_ops page (selected typed pages only)",
  },
  PG_reported: {
    of: "PG_uptodate",
    policy: "PF_NO_COMPOUND",
    note: "only valid for buddy pages: free page reporting",
  },
  PG_vmemmap_self_hosted: {
    of: "PG_owner_priv_1",
    policy: "PF_ANY",
    note: "CONFIG_MEMORY_HOTPLUG: self-hosted memmap pages",
  },
  PG_has_hwpoisoned: {
    of: "PG_active",
    policy: "PF_SECOND",
    note: "second page of a compound page: a subpage is hwpoisoned",
  },
  PG_large_rmappable: {
    of: "PG_workingset",
    policy: "PF_SECOND",
    note: "second page of a compound page: anon or file-backed large folio",
  },
  PG_partially_mapped: {
    of: "PG_reclaim",
    policy: "PF_SECOND",
    note: "second page of a compound page: partially mapped",
  },
};

/** Bit number of a flag or alias; throws on an unknown name (a bug, not input). */
export function pageFlagBit(name: string): number {
  const direct = PAGE_FLAGS.find((p) => p.name === name);
  if (direct) return direct.bit;
  const alias = PAGE_FLAG_ALIASES[name];
  if (alias) return pageFlagBit(alias.of);
  throw new Error(`unknown page flag ${name}`);
}

const bit = (name: string) => 1 << pageFlagBit(name);

/**
 * `enum pt_flags` (include/linux/mm.h @009857a2): ptdesc flags live in the
 * ptdesc's `pt_flags` word and reuse page flag bits. PT_kernel marks a kernel
 * page table (added by Dave Hansen's "mm: Add a ptdesc flag to mark kernel page
 * tables", the 2025 IOTLB series); PT_reserved marks a boot-time table.
 */
export const PT_FLAGS = {
  PT_kernel: pageFlagBit("PG_referenced"),
  PT_reserved: pageFlagBit("PG_reserved"),
} as const;

/**
 * PAGE_FLAGS_CHECK_AT_FREE (page-flags.h): a page being freed must have none
 * of these. LRU_GEN_MASK (MGLRU generation bits in the upper part of the
 * flags word) is outside the modelled flag bits and left out.
 */
export const PAGE_FLAGS_CHECK_AT_FREE: number =
  bit("PG_lru") |
  bit("PG_locked") |
  bit("PG_private") |
  bit("PG_private_2") |
  bit("PG_writeback") |
  bit("PG_reserved") |
  bit("PG_active") |
  bit("PG_unevictable") |
  bit("PG_mlocked");

/** PAGEFLAGS_MASK = (1UL << NR_PAGEFLAGS) - 1. */
export const PAGEFLAGS_MASK: number = (2 ** NR_PAGEFLAGS - 1) >>> 0;

/**
 * PAGE_FLAGS_CHECK_AT_PREP = (PAGEFLAGS_MASK & ~__PG_HWPOISON) | LRU_GEN_MASK |
 * LRU_REFS_MASK: every modelled flag except PG_hwpoison, which must survive
 * the alloc/free cycle so the page is not reused.
 */
export const PAGE_FLAGS_CHECK_AT_PREP: number = (PAGEFLAGS_MASK & ~bit("PG_hwpoison")) >>> 0;

/** PAGE_FLAGS_SECOND: the folio order (low byte of page[1].flags) and the PF_SECOND flags. */
export const PAGE_FLAGS_SECOND: number =
  (0xff | bit("PG_has_hwpoisoned") | bit("PG_large_rmappable") | bit("PG_partially_mapped")) >>> 0;

/** Names of the flags set in a flags word, lowest bit first (no aliases). */
export function pageFlagNames(flags: bigint | number): string[] {
  const v = BigInt(flags);
  return PAGE_FLAGS.filter((p) => (v >> BigInt(p.bit)) & 1n).map((p) => p.name);
}

// ---------------------------------------------------------------------------
// Versioned page flags: one `enum pageflags` per era, 6.6 to the newest.
// ---------------------------------------------------------------------------

/**
 * The configuration the flag layout follows. The Kconfig symbols page-flags.h
 * tests are derived from these (KCONFIG below), as the architectures' Kconfig
 * files select them.
 */
export interface PageFlagsConfig {
  /** CONFIG_MMU: PG_mlocked. */
  readonly mmu: boolean;
  /** CONFIG_MEMORY_FAILURE: PG_hwpoison. */
  readonly memoryFailure: boolean;
  /** CONFIG_PAGE_IDLE_FLAG && CONFIG_64BIT: PG_young, PG_idle. */
  readonly pageIdleFlag64: boolean;
  /** CONFIG_X86_PAT (x86, def_bool y): ARCH_USES_PG_UNCACHED before its removal, ARCH_USES_PG_ARCH_2 after. */
  readonly x86Pat: boolean;
  /** CONFIG_ARM64_MTE: ARCH_USES_PG_ARCH_X before the split, ARCH_USES_PG_ARCH_2 and _3 after. */
  readonly arm64Mte: boolean;
}

/** The model's configuration: an x86-64 distribution build (the model's choice, not a kernel fact). */
export const PAGE_FLAGS_CONFIG: PageFlagsConfig = {
  mmu: true,
  memoryFailure: true,
  pageIdleFlag64: true,
  x86Pat: true,
  arm64Mte: false,
};

/**
 * The #ifdef conditions of enum pageflags across the eras, and how the
 * architectures' Kconfig selects them. From "x86: Remove PG_uncached"
 * (message 20240821193445.2294269-11-willy@infradead.org), which shows both
 * sides: arch/x86/Kconfig `config ARCH_USES_PG_UNCACHED def_bool y depends on
 * X86_PAT` became `X86_PAT select ARCH_USES_PG_ARCH_2`, and arm64's
 * `ARM64_MTE select ARCH_USES_PG_ARCH_X` became `select ARCH_USES_PG_ARCH_2`
 * and `select ARCH_USES_PG_ARCH_3`.
 */
export const KCONFIG = {
  CONFIG_MMU: (c: PageFlagsConfig) => c.mmu,
  CONFIG_MEMORY_FAILURE: (c: PageFlagsConfig) => c.memoryFailure,
  "CONFIG_PAGE_IDLE_FLAG && 64BIT": (c: PageFlagsConfig) => c.pageIdleFlag64,
  CONFIG_ARCH_USES_PG_UNCACHED: (c: PageFlagsConfig) => c.x86Pat,
  CONFIG_ARCH_USES_PG_ARCH_X: (c: PageFlagsConfig) => c.arm64Mte,
  CONFIG_ARCH_USES_PG_ARCH_2: (c: PageFlagsConfig) => c.x86Pat || c.arm64Mte,
  CONFIG_ARCH_USES_PG_ARCH_3: (c: PageFlagsConfig) => c.arm64Mte,
} as const;
export type PageFlagCondition = keyof typeof KCONFIG;

/** One line of an era's enum pageflags, before bits are numbered. */
export interface EraFlag {
  readonly name: string;
  readonly policy: PageFlagPolicy | null;
  readonly folioOnly: boolean;
  readonly config: PageFlagCondition | null;
  readonly comment: string;
}

export interface PageFlagAlias {
  readonly of: string;
  readonly policy: PageFlagPolicy | null;
  readonly note: string;
}

export interface PageFlagEra {
  readonly id: string;
  readonly from: KernelVersion;
  /** Inclusive; without a patch, every stable release of that series. */
  readonly to: KernelVersion;
  /** enum pageflags in order; bits are numbered over the lines the configuration keeps. */
  readonly flags: readonly EraFlag[];
  readonly aliases: Readonly<Record<string, PageFlagAlias>>;
  /** The flags of PAGE_FLAGS_CHECK_AT_FREE in this era. */
  readonly checkAtFree: readonly string[];
  /** __def_pageflag_names in order, without the PG_ prefix: what %pGp and dump_page() print. */
  readonly dumpNames: readonly string[];
  /** The kernel source the era was read from (commit, release or message id). */
  readonly source: string;
  /**
   * What the sources could not settle for this era (a release boundary
   * inferred from a posting date, a policy line not read in this era's
   * text); the decoder prints it.
   */
  readonly unsettled?: string;
}

const ef = (
  name: string,
  policy: PageFlagPolicy | null,
  comment: string,
  opts: { folioOnly?: boolean; config?: PageFlagCondition } = {},
): EraFlag => ({ name, policy, folioOnly: opts.folioOnly ?? false, config: opts.config ?? null, comment });

/** The newest tree's line for a flag, as an era line (the eras share most lines with it). */
const newest = (name: PageFlagName): EraFlag => {
  const f = PAGE_FLAGS.find((x) => x.name === name)!;
  return {
    name: f.name,
    policy: f.policy,
    folioOnly: f.folioOnly,
    config: f.config as PageFlagCondition | null,
    comment: f.comment,
  };
};

/** The newest tree's aliases, less the ones an older era does not have. */
const aliasesExcept = (...names: string[]): Record<string, PageFlagAlias> =>
  Object.fromEntries(Object.entries(PAGE_FLAG_ALIASES).filter(([n]) => !names.includes(n)));

/**
 * 6.6 to 6.9: enum pageflags after "mm: Rearrange page flags" (PG_writeback
 * in bit 1, PG_head in bit 6, PG_waiters in bit 7; message
 * 20230816151201.3655946-10-willy@infradead.org, merged for 6.6 with the
 * series that made PG_hugetlb an alias of PG_active, which the 6.6.y and 6.8.y
 * backports of d99e3140a4d3 remove: messages
 * 20240429133142.2985003-1-willy@infradead.org and 20240430103109.516145359@linuxfoundation.org).
 */
const ENUM_6_6: readonly EraFlag[] = [
  newest("PG_locked"),
  newest("PG_writeback"),
  newest("PG_referenced"),
  newest("PG_uptodate"),
  newest("PG_dirty"),
  newest("PG_lru"),
  newest("PG_head"),
  newest("PG_waiters"),
  newest("PG_active"),
  newest("PG_workingset"),
  ef("PG_error", "PF_NO_TAIL", "I/O error; PAGEFLAG(Error, error, PF_NO_TAIL)"),
  ef("PG_slab", "PF_NO_TAIL", "slab page; __PAGEFLAG(Slab, slab, PF_NO_TAIL)"),
  ef("PG_owner_priv_1", "PF_ANY", "owner use; PAGEFLAG(OwnerPriv1, owner_priv_1, PF_ANY)"),
  newest("PG_arch_1"),
  newest("PG_reserved"),
  newest("PG_private"),
  ef("PG_private_2", "PF_ANY", "fs aux data; PAGEFLAG(Private2, private_2, PF_ANY)"),
  ef(
    "PG_mappedtodisk",
    "PF_NO_TAIL",
    "has blocks allocated on-disk; alias PG_anon_exclusive; PAGEFLAG(MappedToDisk, mappedtodisk, PF_NO_TAIL) in v6.1.187 and v6.12.117",
  ),
  newest("PG_reclaim"),
  newest("PG_swapbacked"),
  newest("PG_unevictable"),
  newest("PG_mlocked"),
  ef(
    "PG_uncached",
    "PF_NO_COMPOUND",
    "mapped uncached (x86 PAT); PAGEFLAG(Uncached, uncached, PF_NO_COMPOUND)",
    {
      config: "CONFIG_ARCH_USES_PG_UNCACHED",
    },
  ),
  newest("PG_hwpoison"),
  newest("PG_young"),
  newest("PG_idle"),
  ef("PG_arch_2", null, "architecture specific (arm64 MTE); no generic accessor", {
    config: "CONFIG_ARCH_USES_PG_ARCH_X",
  }),
  ef("PG_arch_3", null, "architecture specific (arm64 MTE); no generic accessor", {
    config: "CONFIG_ARCH_USES_PG_ARCH_X",
  }),
];

const ALIASES_6_6: Readonly<Record<string, PageFlagAlias>> = {
  ...aliasesExcept(
    "PG_movable_ops_isolated",
    "PG_movable_ops",
    "PG_partially_mapped",
    "PG_has_hwpoisoned",
    "PG_anon_exclusive",
    "PG_mappedtodisk",
  ),
  PG_anon_exclusive: {
    of: "PG_mappedtodisk",
    policy: "PF_ANY",
    note: "anonymous memory; may be set on tail pages of PTE-mapped THP",
  },
  PG_has_hwpoisoned: {
    of: "PG_error",
    policy: "PF_SECOND",
    note: "second page of a compound page: a subpage is hwpoisoned",
  },
  PG_isolated: {
    of: "PG_reclaim",
    policy: "PF_ANY",
    note: "non-lru isolated movable page; PAGEFLAG(Isolated, isolated, PF_ANY)",
  },
};

const HUGETLB_ALIAS: Readonly<Record<string, PageFlagAlias>> = {
  PG_hugetlb: {
    of: "PG_active",
    policy: "PF_SECOND",
    note: "hugetlb folio (second page); removed by d99e3140a4d3, which made hugetlb a page type",
  },
};

const CHECK_AT_FREE_6_6 = [
  "PG_lru",
  "PG_locked",
  "PG_private",
  "PG_private_2",
  "PG_writeback",
  "PG_reserved",
  "PG_slab",
  "PG_active",
  "PG_unevictable",
  "PG_mlocked",
];
const CHECK_AT_FREE_NEWEST = CHECK_AT_FREE_6_6.filter((n) => n !== "PG_slab");

/** 6.10–6.11: 46df8e73a4a3 "mm: free up PG_slab" removed PG_slab (slab became a page type). */
const ENUM_6_10 = ENUM_6_6.filter((f) => f.name !== "PG_slab");

/**
 * 6.12–6.13: the "page flags" series of 21 Aug 2024 (message
 * 20240821193445.2294269-1-willy@infradead.org): PG_error gone (PG_has_hwpoisoned
 * moved to PG_active), PAGEFLAG(OwnerPriv1) gone (only the aliases keep
 * accessors), "mm: Rename PG_mappedtodisk to PG_owner_2" (…-10-willy@…: a new
 * PG_owner_2 after PG_owner_priv_1, PG_mappedtodisk an alias), "x86: Remove
 * PG_uncached" (…-11-willy@…: x86 PAT uses PG_arch_2; ARCH_USES_PG_ARCH_X split).
 * PG_partially_mapped = PG_reclaim came in the same cycle (Usama Arif, August 2024).
 */
const ENUM_6_12: readonly EraFlag[] = [
  ...ENUM_6_10.slice(
    0,
    ENUM_6_10.findIndex((f) => f.name === "PG_error"),
  ),
  newest("PG_owner_priv_1"),
  newest("PG_owner_2"),
  newest("PG_arch_1"),
  newest("PG_reserved"),
  newest("PG_private"),
  // v6.12.117 already has FOLIO_FLAG(private_2, FOLIO_HEAD_PAGE), as the newest tree.
  newest("PG_private_2"),
  newest("PG_reclaim"),
  newest("PG_swapbacked"),
  newest("PG_unevictable"),
  newest("PG_mlocked"),
  newest("PG_hwpoison"),
  newest("PG_young"),
  newest("PG_idle"),
  newest("PG_arch_2"),
  ef("PG_arch_3", null, "architecture specific (arm64 MTE); no generic accessor", {
    config: "CONFIG_ARCH_USES_PG_ARCH_3",
  }),
];
const ALIASES_6_12: Readonly<Record<string, PageFlagAlias>> = {
  ...aliasesExcept("PG_movable_ops_isolated", "PG_movable_ops"),
  // v6.12.117: PAGEFLAG(MappedToDisk, mappedtodisk, PF_NO_TAIL); v7.2.13 has FOLIO_FLAG(mappedtodisk, FOLIO_HEAD_PAGE).
  PG_mappedtodisk: {
    of: "PG_owner_2",
    policy: "PF_NO_TAIL",
    note: "all buffer heads in the folio are mapped; PAGEFLAG(MappedToDisk, mappedtodisk, PF_NO_TAIL)",
  },
  PG_isolated: ALIASES_6_6.PG_isolated!,
};

/** 6.14 onwards: Jens Axboe's "mm: add PG_dropbehind folio flag" (RWF_DONTCACHE) after PG_unevictable. */
const ENUM_6_14: readonly EraFlag[] = [
  ...ENUM_6_12.slice(0, ENUM_6_12.findIndex((f) => f.name === "PG_unevictable") + 1),
  newest("PG_dropbehind"),
  ...ENUM_6_12.slice(ENUM_6_12.findIndex((f) => f.name === "PG_mlocked")),
];

/** The newest tree: PAGE_FLAGS plus PG_arch_3 under its condition. */
const ENUM_NEWEST: readonly EraFlag[] = [...PAGE_FLAGS.map((f) => newest(f.name)), ENUM_6_12.at(-1)!];

/**
 * __def_pageflag_names (include/trace/events/mmflags.h), the order %pGp and
 * dump_page() print flag names in: not bit order. A name is printed only when
 * its flag exists under the configuration (the IF_HAVE_PG_* guards test the
 * same conditions as enum pageflags' #ifdefs).
 *
 * 6.6–6.9: the list of "mmflags.h: use less error prone method to define
 * pageflag_names" (message 20230130042514.2418-2-42.hyeyoo@gmail.com, 6.3),
 * less IF_HAVE_PG_SKIP_KASAN_POISON, whose flag the 6.6 enum no longer has;
 * 6.10 drops slab with PG_slab (46df8e73a4a3); 6.12 read from v6.12.117
 * mmflags.h; 6.14 onwards read from v7.2.13 and v7.3.4 mmflags.h.
 */
const NAMES_6_6 = [
  "locked",
  "waiters",
  "error",
  "referenced",
  "uptodate",
  "dirty",
  "lru",
  "active",
  "workingset",
  "slab",
  "owner_priv_1",
  "arch_1",
  "reserved",
  "private",
  "private_2",
  "writeback",
  "head",
  "mappedtodisk",
  "reclaim",
  "swapbacked",
  "unevictable",
  "mlocked",
  "uncached",
  "hwpoison",
  "idle",
  "young",
  "arch_2",
  "arch_3",
] as const;
const NAMES_6_10 = NAMES_6_6.filter((n) => n !== "slab");
const NAMES_6_12 = [
  "locked",
  "waiters",
  "referenced",
  "uptodate",
  "dirty",
  "lru",
  "active",
  "workingset",
  "owner_priv_1",
  "owner_2",
  "arch_1",
  "reserved",
  "private",
  "private_2",
  "writeback",
  "head",
  "reclaim",
  "swapbacked",
  "unevictable",
  "mlocked",
  "hwpoison",
  "idle",
  "young",
  "arch_2",
  "arch_3",
] as const;
const NAMES_6_14 = [
  ...NAMES_6_12.slice(0, NAMES_6_12.indexOf("unevictable") + 1),
  "dropbehind",
  ...NAMES_6_12.slice(NAMES_6_12.indexOf("mlocked")),
];

const POLICIES_6_6_TO_6_11 =
  "the bits are read from the sources cited, the policies (PAGEFLAG/FOLIO_FLAG lines) are not: no 6.6–6.11 page-flags.h could be read (the stored trees and Debian's archive hold 6.1, 6.12, 7.2 and 7.3 only). The table uses v6.12.117's lines (FOLIO_FLAG for waiters, referenced, active, swapbacked, unevictable, mlocked, young, idle) and, for the flags 6.12 changed or dropped, v6.1.187's (PAGEFLAG(Private2, PF_ANY), PAGEFLAG(Error, PF_NO_TAIL), __PAGEFLAG(Slab, PF_NO_TAIL), PAGEFLAG(OwnerPriv1, PF_ANY), PAGEFLAG(MappedToDisk, PF_NO_TAIL), PAGEFLAG(Uncached, PF_NO_COMPOUND)); v6.1.187 still has PAGEFLAG(Waiters, PF_ONLY_HEAD), PAGEFLAG(Referenced/Active/Unevictable, PF_HEAD), PAGEFLAG(SwapBacked/Mlocked, PF_NO_TAIL) and PAGEFLAG(Young/Idle, PF_ANY), so which of 6.6–6.11 changed each of those lines is not settled";
const BOUNDARY_6_14 =
  "no 6.13–6.17 tree could be read; v6.12.117 has neither PG_dropbehind nor PG_movable_ops, v7.2.13 has both. The 6.14 start: cceba6f7e46c 'mm: add PG_dropbehind folio flag' is part of the RWF_DONTCACHE series, which the man-pages readv.2 (commit b97091bb62f3, co-authored by Jens Axboe) documents as 'since Linux 6.14'. The 6.17 start: 3d388584d599 'mm: convert \"movable\" flag in page->mapping to a page flag' was posted on 4 Jul 2025 (message 20250704102524.326966-21-david@redhat.com), after 6.16-rc1, so it is not in 6.16; that it is in 6.17 rather than later is not read. PG_mappedtodisk's line is PAGEFLAG(…, PF_NO_TAIL) in v6.12.117 and FOLIO_FLAG(mappedtodisk, FOLIO_HEAD_PAGE) in v7.2.13; the table keeps 6.12's for this era";

/** enum pageflags by kernel version, oldest first. */
export const PAGE_FLAG_ERAS: readonly PageFlagEra[] = [
  {
    id: "6.6.0-6.6.29",
    from: { major: 6, minor: 6 },
    to: { major: 6, minor: 6, patch: 29 },
    flags: ENUM_6_6,
    aliases: { ...ALIASES_6_6, ...HUGETLB_ALIAS },
    checkAtFree: CHECK_AT_FREE_6_6,
    dumpNames: NAMES_6_6,
    source:
      "include/linux/page-flags.h (v6.6) after 'mm: Rearrange page flags' (message 20230816151201.3655946-10-willy@infradead.org); PG_hugetlb = PG_active until the 6.6.30 backport of d99e3140a4d3",
    unsettled: POLICIES_6_6_TO_6_11,
  },
  {
    id: "6.6.30-6.6.y",
    from: { major: 6, minor: 6, patch: 30 },
    to: { major: 6, minor: 6 },
    flags: ENUM_6_6,
    aliases: ALIASES_6_6,
    checkAtFree: CHECK_AT_FREE_6_6,
    dumpNames: NAMES_6_6,
    source:
      "include/linux/page-flags.h (v6.6.30): 2431b5f2650d, the backport of d99e3140a4d3 (message 20240429133142.2985003-1-willy@infradead.org), removed PG_hugetlb = PG_active",
    unsettled: POLICIES_6_6_TO_6_11,
  },
  {
    id: "6.7-6.8.8",
    from: { major: 6, minor: 7 },
    to: { major: 6, minor: 8, patch: 8 },
    flags: ENUM_6_6,
    aliases: { ...ALIASES_6_6, ...HUGETLB_ALIAS },
    checkAtFree: CHECK_AT_FREE_6_6,
    dumpNames: NAMES_6_6,
    source:
      "include/linux/page-flags.h (v6.8): the 6.8.y backport of d99e3140a4d3 (message 20240430103109.516145359@linuxfoundation.org) shows PG_has_hwpoisoned = PG_error, PG_hugetlb = PG_active, PG_large_rmappable = PG_workingset and PAGEFLAG(Isolated, isolated, PF_ANY)",
    unsettled: POLICIES_6_6_TO_6_11,
  },
  {
    id: "6.8.9-6.9",
    from: { major: 6, minor: 8, patch: 9 },
    to: { major: 6, minor: 9 },
    flags: ENUM_6_6,
    aliases: ALIASES_6_6,
    checkAtFree: CHECK_AT_FREE_6_6,
    dumpNames: NAMES_6_6,
    source:
      "include/linux/page-flags.h after d99e3140a4d3 'mm: turn folio_test_hugetlb into a PageType' (6.9; 9fdcc5b6359d in 6.8.9): no PG_hugetlb alias",
    unsettled: POLICIES_6_6_TO_6_11,
  },
  {
    id: "6.10-6.11",
    from: { major: 6, minor: 10 },
    to: { major: 6, minor: 11 },
    flags: ENUM_6_10,
    aliases: ALIASES_6_6,
    checkAtFree: CHECK_AT_FREE_NEWEST,
    dumpNames: NAMES_6_10,
    source:
      "include/linux/page-flags.h after 46df8e73a4a3 'mm: free up PG_slab' (6.10): PG_slab removed, the flags above it move down one bit",
    unsettled: POLICIES_6_6_TO_6_11,
  },
  {
    id: "6.12-6.13",
    from: { major: 6, minor: 12 },
    to: { major: 6, minor: 13 },
    flags: ENUM_6_12,
    aliases: ALIASES_6_12,
    checkAtFree: CHECK_AT_FREE_NEWEST,
    dumpNames: NAMES_6_12,
    source:
      "include/linux/page-flags.h and include/trace/events/mmflags.h v6.12.117 (Debian linux-headers-6.12.117+deb13-common): enum pageflags, the PAGEFLAG/FOLIO_FLAG lines and __def_pageflag_names as the table has them; the changes came with the series of message 20240821193445.2294269-1-willy@infradead.org ('mm: Rename PG_mappedtodisk to PG_owner_2', 'x86: Remove PG_uncached') and PG_error's removal",
    unsettled:
      "6.13 is not read; 6.11 is excluded by the series' posting date (21 Aug 2024, after 6.11-rc1), not by a 6.11 tree",
  },
  {
    id: "6.14-6.16",
    from: { major: 6, minor: 14 },
    to: { major: 6, minor: 16 },
    flags: ENUM_6_14,
    aliases: ALIASES_6_12,
    checkAtFree: CHECK_AT_FREE_NEWEST,
    dumpNames: NAMES_6_14,
    source:
      "include/linux/page-flags.h (gregkh/linux @cb35cc251e12: PG_dropbehind, PG_isolated = PG_reclaim, FOLIO_FLAG(private_2)); PG_dropbehind from Jens Axboe's RWF_DONTCACHE series (6.14)",
    unsettled: BOUNDARY_6_14,
  },
  {
    id: "6.17-7.3",
    from: { major: 6, minor: 17 },
    to: { major: 7, minor: 3 },
    flags: ENUM_NEWEST,
    aliases: PAGE_FLAG_ALIASES,
    checkAtFree: CHECK_AT_FREE_NEWEST,
    dumpNames: NAMES_6_14,
    source:
      'include/linux/page-flags.h and include/trace/events/mmflags.h v7.2.13 and v7.3.4 (Debian linux-headers-7.2.13+deb14-common, linux-headers-7.3.4+deb13-common), the same lines as linux-mm/linux-mm include/linux/page-flags.h @03e0599d: PG_movable_ops_isolated = PG_reclaim, PG_movable_ops = PG_uptodate (CONFIG_MIGRATION); bit 14 is PG_private and mmflags.h prints it "private" in v7.3.4, so linux-mm mmflags.h @35e1f6b6411e\'s DEF_PAGEFLAG_NAME(folio) is in no release the model covers',
    unsettled: "6.17–7.1 are not read (the era starts where PG_movable_ops came in, see 6.14-6.16)",
  },
];

export function pageFlagEra(v: KernelVersion): PageFlagEra {
  const era = PAGE_FLAG_ERAS.find((e) => kernelInRange(v, e.from, e.to));
  if (!era) throw new Error(`no page flags era covers kernel ${formatKernel(v)}`);
  return era;
}

/** An era's enum pageflags numbered under a configuration: the lines whose #ifdef holds, from bit 0. */
export function eraPageFlags(era: PageFlagEra, config: PageFlagsConfig = PAGE_FLAGS_CONFIG): PageFlagInfo[] {
  return era.flags
    .filter((f) => f.config === null || KCONFIG[f.config](config))
    .map((f, bit) => ({
      bit,
      name: f.name,
      policy: f.policy,
      folioOnly: f.folioOnly,
      config: f.config,
      comment: f.comment,
    }));
}

/** An era's PAGE_FLAGS_CHECK_AT_FREE under a configuration (PG_mlocked only with CONFIG_MMU). */
export function eraCheckAtFree(era: PageFlagEra, config: PageFlagsConfig = PAGE_FLAGS_CONFIG): number {
  const flags = eraPageFlags(era, config);
  return (
    era.checkAtFree.reduce((m, n) => {
      const f = flags.find((x) => x.name === n);
      return f ? m | (2 ** f.bit) : m;
    }, 0) >>> 0
  );
}

/**
 * __def_pageflag_names of an era under a configuration, as [bit, name] in
 * print order: the names %pGp prints, for the flags that exist.
 */
export function eraDumpNames(
  era: PageFlagEra,
  config: PageFlagsConfig = PAGE_FLAGS_CONFIG,
): readonly (readonly [number, string])[] {
  const bits = new Map(eraPageFlags(era, config).map((f) => [f.name, f.bit]));
  return era.dumpNames.flatMap((n) => {
    const b = bits.get(`PG_${n}`);
    return b === undefined ? [] : [[b, n] as const];
  });
}

/**
 * Flags renamed between eras: "mm: Rename PG_mappedtodisk to PG_owner_2"
 * (message 20240821193445.2294269-10-willy@infradead.org) kept the flag and
 * gave it a new name and place.
 */
const RENAMED: Readonly<Record<string, string>> = { PG_owner_2: "PG_mappedtodisk" };

/**
 * A flags word in the newest tree's numbering (PAGE_FLAGS, the simulator's
 * columns) rewritten in an era's numbering, flag by flag by name. A flag the
 * era does not have (PG_dropbehind before 6.14, say) cannot be set by that
 * kernel and is left out. `keepLowByte` keeps bits 0–7 as they are: page[1]
 * of a large folio holds the folio order there, not flags.
 */
export function flagsForEra(
  flags: number,
  era: PageFlagEra,
  config: PageFlagsConfig = PAGE_FLAGS_CONFIG,
  keepLowByte = false,
): number {
  const to = translation(era, config);
  let out = keepLowByte ? flags & 0xff : 0;
  for (const f of PAGE_FLAGS) {
    if (keepLowByte && f.bit < 8) continue;
    if (((flags >>> f.bit) & 1) === 0) continue;
    const b = to[f.bit]!;
    if (b >= 0) out |= 2 ** b;
  }
  return out >>> 0;
}

const TRANSLATIONS = new WeakMap<PageFlagEra, readonly number[]>();

/** newest bit → the era's bit (-1: the era has no such flag); cached for the model's configuration. */
function translation(era: PageFlagEra, config: PageFlagsConfig): readonly number[] {
  const cached = config === PAGE_FLAGS_CONFIG ? TRANSLATIONS.get(era) : undefined;
  if (cached) return cached;
  const to = new Map(eraPageFlags(era, config).map((f) => [f.name, f.bit]));
  const t = PAGE_FLAGS.map((f) => to.get(f.name) ?? to.get(RENAMED[f.name] ?? "") ?? -1);
  if (config === PAGE_FLAGS_CONFIG) TRANSLATIONS.set(era, t);
  return t;
}
