/**
 * The page flags word: `enum pageflags` of the newest tree with each flag's
 * compound policy, its aliases, the ptdesc flags, and the masks the page
 * allocator checks. Source: include/linux/page-flags.h (linux-mm/linux-mm
 * @03e0599d) and include/linux/mm.h (`enum pt_flags`, @009857a2).
 *
 * Flag numbers after PG_dropbehind depend on configuration; the table follows
 * an x86-64 build with CONFIG_MMU, CONFIG_MEMORY_FAILURE and
 * CONFIG_PAGE_IDLE_FLAG, and without CONFIG_ARCH_USES_PG_ARCH_2/3 (arm64
 * options). The bit numbers differ between releases: never use this table
 * for an older kernel's raw flags.
 */

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

const f = (
  bit: number,
  name: string,
  policy: PageFlagPolicy | null,
  comment: string,
  opts: { folioOnly?: boolean; config?: string } = {},
): PageFlagInfo => ({
  bit,
  name,
  policy,
  folioOnly: opts.folioOnly ?? false,
  config: opts.config ?? null,
  comment,
});

/** `enum pageflags`, newest tree, one entry per bit (policies from the PAGEFLAG/FOLIO_FLAG lines). */
export const PAGE_FLAGS: readonly PageFlagInfo[] = [
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
];

/** NR_PAGEFLAGS for the configuration above. */
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
