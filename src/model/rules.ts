/**
 * The rules catalogue. Every memdesc rule has an ID, a kernel source, a
 * compile-time form (a type whose compiler message carries the ID and a
 * sentence) where the compiler can decide, a run-time form (a check in the
 * simulator, with the kernel's own words where the kernel has them), and a
 * doc entry (docs/rules.md is generated from this table).
 *
 * Where the compiler cannot decide — an order that is not a literal, a free
 * on one branch only — the run-time check is the backstop, and `compileTime.limits`
 * says so.
 */

import { FINDINGS, type FindingSpec } from "./findings.js";
import { RULE_IDS, type RuleId } from "./rule-ids.js";

// The IDs live below both this catalogue and findings.ts, which declares each rule's sentence.
export { RULE_IDS, type RuleId, ruleIdIn } from "./rule-ids.js";

export interface RuleCompileTime {
  /** The TypeScript diagnostic code the violation produces (2345 argument, 2339 missing property, …). */
  readonly tsCode: number;
  /** How the type system sees the violation. */
  readonly how: string;
  /** What the compiler cannot see; the run-time check covers it. */
  readonly limits: string;
}

export interface RuleRunTime {
  /** Where the simulator checks it. */
  readonly how: string;
  /** The kernel's report for it: a bad_page() reason, a VM_BUG_ON condition, or null if the kernel is silent. */
  readonly kernelReport: string | null;
}

export interface Rule {
  readonly id: RuleId;
  readonly slug: string;
  readonly title: string;
  /** Kernel files and commits the rule comes from. */
  readonly source: string;
  /** What goes wrong in the kernel, and how to fix it, in kernel terms. */
  readonly explanation: string;
  readonly fix: string;
  readonly compileTime: RuleCompileTime | null;
  readonly runTime: RuleRunTime | null;
  /** The fields of a finding of this rule and the one sentence they render to (see FINDINGS). */
  readonly finding: FindingSpec;
}

export const RULES: Readonly<Record<RuleId, Rule>> = withFindings({
  MD001: {
    id: "MD001",
    slug: "memdesc-type",
    title: "a memdesc word's type number is one the chosen table assigns",
    source:
      "https://kernelnewbies.org/MatthewWilcox/Memdescs (bits 0–3 of the memdesc are the type; 16 values)",
    explanation:
      "The low 4 bits of the 8-byte memdesc say what the other 60 bits are. A type number the table leaves unassigned has no meaning: the kernel would not know whether the payload is a descriptor pointer or inline data.",
    fix: "Use a type the table assigns, or select the table the word was built for (--table).",
    compileTime: {
      tsCode: 2345,
      how: "memdesc_word(type, …) takes a MemdescTypeNumber of the default table; an unassigned literal is not assignable.",
      limits: "A type number computed at run time is checked by decodeMemdesc().",
    },
    runTime: {
      how: "decodeMemdesc() and `memdesc decode --as memdesc` reject the word.",
      kernelReport: null,
    },
  },
  MD002: {
    id: "MD002",
    slug: "free-order",
    title: "a block is freed at the order it was allocated at",
    source:
      "mm/page_alloc.c (linux-mm/linux-mm @00cb34b034a5) __free_pages(), __free_pages_prepare(): VM_BUG_ON_PAGE(compound && compound_order(page) != order)",
    explanation:
      "__free_pages(page, order) trusts the caller's order. Freeing a smaller order leaks the rest of the block; a larger order hands pages that someone else owns to the buddy allocator. For compound pages the kernel catches a mismatch only with CONFIG_DEBUG_VM; for non-compound blocks nothing records the order at all.",
    fix: "Pass the order the block was allocated at, or allocate with __GFP_COMP and free with folio_put()/__pagetable_free(), which read the order from the page.",
    compileTime: {
      tsCode: 2345,
      how: "The handle's type carries the allocation order when it was a literal; __free_pages' order parameter then accepts only that literal.",
      limits:
        "An order that is not a literal at either end (a variable of type number) is checked at run time only; so is a smaller order on a block that another handle of the same memory (virt_to_page(), page_address(), nth_page(), a helper) may have split (decision 0020).",
    },
    runTime: {
      how: "The machine records each block's order at allocation and compares it at free.",
      kernelReport: "VM_BUG_ON_PAGE(compound && compound_order(page) != order) (compound blocks only)",
    },
  },
  MD003: {
    id: "MD003",
    slug: "page-type-set",
    title: "a page type is set only on an untyped page (one type at a time)",
    source:
      "include/linux/page-flags.h (linux-mm/linux-mm @03e0599da9e1) PAGE_TYPE_OPS: __SetPage##uname VM_BUG_ON_PAGE(page_type != UINT_MAX); 4ffca5a96678",
    explanation:
      "Since 6.12 a page has at most one type, kept in the top byte of page_type. __SetPageX on a page that already has another type would overwrite it; with CONFIG_DEBUG_VM the kernel BUGs, without it the first owner's type is silently lost.",
    fix: "Clear the old type (__ClearPageY) first, or give the memory its own memdesc instead of stacking types.",
    compileTime: {
      tsCode: 2345,
      how: "__SetPageX accepts only a handle whose type says it is untyped (page_type UINT_MAX).",
      limits: "A handle whose page type is not known statically (a page from a list) is checked at run time.",
    },
    runTime: {
      how: "__SetPageX checks page_type == UINT_MAX.",
      kernelReport: "VM_BUG_ON_PAGE(data_race(page->page_type) != UINT_MAX, page)",
    },
  },
  MD004: {
    id: "MD004",
    slug: "page-type-clear",
    title: "only the page type that is set is cleared",
    source:
      "include/linux/page-flags.h (linux-mm/linux-mm @03e0599da9e1) PAGE_TYPE_OPS: __ClearPage##uname VM_BUG_ON_PAGE(!Page##uname(page))",
    explanation:
      "__ClearPageX on a page of another type would wipe that owner's type and its low 24 bits of data. The kernel BUGs with CONFIG_DEBUG_VM; clearing an untyped page is a silent no-op.",
    fix: "Clear the type your code set; test it with PageX() first when the page may have been retyped.",
    compileTime: {
      tsCode: 2345,
      how: "__ClearPageX accepts only a handle typed with page type X or untyped.",
      limits: "Handles of unknown type are checked at run time.",
    },
    runTime: {
      how: "__ClearPageX checks the type byte.",
      kernelReport: "VM_BUG_ON_PAGE(!Page##uname(page), page)",
    },
  },
  MD005: {
    id: "MD005",
    slug: "owner-bits",
    title: "page_type owner fields stay in the low bits and do not overlap",
    source:
      "include/linux/page-flags.h @03e0599da9e1 ('the low 24 bits of pagetype may be used for your own purposes'); include/linux/mm_types.h @0199209e47e0 ('owners of typed folios may reuse the lower 16 bit'); mm/zpdesc.h @5a9d2b558f05 first_obj_offset",
    explanation:
      "The owner of a typed page may use the low 24 bits of page_type (16 for typed folios such as hugetlb). A field that reaches bit 24 corrupts the type byte; two fields that share bits corrupt each other.",
    fix: "Shrink or move the field; if the owner needs more than 24 bits, it needs its own memdesc.",
    compileTime: {
      tsCode: 2345,
      how: "define_page_type_owner_fields() computes each field's bit range in the type system and rejects ranges beyond the allowed bits or overlapping another field, naming the colliding bits.",
      limits: "Field definitions whose shift or width are not literals are checked at run time.",
    },
    runTime: { how: "define_page_type_owner_fields() checks the ranges when it runs.", kernelReport: null },
  },
  MD006: {
    id: "MD006",
    slug: "descriptor-kind",
    title: "a page is converted to a descriptor only if it is of that kind",
    source:
      "include/linux/mm_types.h @0199209e47e0 page_ptdesc()/ptdesc_page() _Generic casts; mm/slab.h @129c35f1a42e page_slab() checks PGTY_slab; mm/zpdesc.h @5a9d2b558f05 page_zpdesc()",
    explanation:
      "page_ptdesc(), page_zpdesc() and friends are plain casts today: any struct page converts, whether or not it is a page table. In the 8-byte world the memdesc word names the descriptor, and the wrong cast reads another descriptor's memory.",
    fix: "Convert only pages allocated as that kind (pagetable_alloc() for ptdescs, the slab allocator for slabs), or test the kind first (PageTable(), PageSlab()).",
    compileTime: {
      tsCode: 2345,
      how: "Handles carry their memdesc kind; page_ptdesc() accepts only pages whose kind is ptdesc (or unknown).",
      limits: "Pages of unknown kind (e.g. from virt_to_page on a computed address) are checked at run time.",
    },
    runTime: { how: "Each conversion checks the page's memdesc kind and page type.", kernelReport: null },
  },
  MD007: {
    id: "MD007",
    slug: "field-stage",
    title: "a field exists at the chosen stage",
    source:
      "include/linux/mm_types.h @0199209e47e0 (today's struct page); https://kernelnewbies.org/MatthewWilcox/Memdescs and Memdescs/Path (32-, 16- and 8-byte struct page)",
    explanation:
      "As struct page shrinks, its fields go: lru, mapping, index and private move into the descriptors; at the final stage struct page is only the memdesc word. Code that reaches into page->lru will not compile then.",
    fix: "Use the descriptor's field (folio->lru, ptdesc->pt_list) or keep the data in your own memdesc.",
    compileTime: {
      tsCode: 2339,
      how: "Handle types are built from the layout table of the selected stage; a field the stage lacks is not a property (TS2339 'Property … does not exist on type struct_page_final').",
      limits: "None: field access is decided at compile time.",
    },
    runTime: null,
  },
  MD008: {
    id: "MD008",
    slug: "noncompound-descriptor",
    title: "a non-compound high-order block cannot become a folio or a ptdesc",
    source:
      "mm/page_alloc.c @00cb34b034a5 prep_new_page(): prep_compound_page() only when order && (gfp & __GFP_COMP); include/linux/mm.h @009857a2 pagetable_alloc() ORs __GFP_COMP; Wilcox, iommu/sva thread, 26 Aug 2025, message aK3FsU1Dds4OG79o@casper.infradead.org: 'Non-compound allocations are bad news'",
    explanation:
      "Without __GFP_COMP nothing records that the 2^order pages belong together: the tail pages look like independent order-0 pages, page_folio() on a tail returns the tail itself, and folio_order() reads 0. A memdesc describes a whole allocation, so such a block has no descriptor to become.",
    fix: "Allocate with __GFP_COMP (or folio_alloc()/pagetable_alloc(), which add it).",
    compileTime: {
      tsCode: 2345,
      how: "alloc_pages' result type says compound exactly when the GFP mask carries __GFP_COMP; page_folio()/page_ptdesc() reject a non-compound handle of order > 0.",
      limits: "GFP masks or orders not visible to the compiler are checked at run time.",
    },
    runTime: {
      how: "page_folio()/page_ptdesc() on a page of a non-compound block of order > 0.",
      kernelReport: null,
    },
  },
  MD009: {
    id: "MD009",
    slug: "noncompound-compound-free",
    title: "a non-compound block is not freed through a path that frees compound_order() pages",
    source:
      "include/linux/mm.h __pagetable_free(): __free_pages(page, compound_order(page)) (linux-mm/linux-mm @009857a2); folio_put()",
    explanation:
      "__pagetable_free(), folio_put() and put_page() free compound_order(page) pages, which is 0 for a non-compound block: every page but the first leaks, and nothing reports it.",
    fix: "Make the allocation __GFP_COMP, or free it with __free_pages(page, order) / free_pages(addr, order).",
    compileTime: {
      tsCode: 2345,
      how: "pagetable_free(), __pagetable_free() and folio_put() accept only compound (or order-0) handles.",
      limits: "Handles whose compound-ness is unknown are checked at run time.",
    },
    runTime: {
      how: "The machine knows each block's allocation order; a compound_order() free of the head of a larger non-compound block is reported, and the leaked tails appear in the ledger.",
      kernelReport: null,
    },
  },
  MD010: {
    id: "MD010",
    slug: "split-page",
    title: "split_page() only on a non-compound block, never on a folio",
    source:
      "mm/page_alloc.c @00cb34b034a5 split_page(): VM_BUG_ON_PAGE(PageCompound(page)), VM_BUG_ON_PAGE(!page_count(page)); Wilcox, Feb 2026",
    explanation:
      "split_page() turns a non-compound order-N block into 2^N order-0 pages, each with its own refcount. A compound page's tails point at their head; splitting them that way corrupts the folio.",
    fix: "Allocate without __GFP_COMP if you intend to split, or use split_folio() for folios.",
    compileTime: {
      tsCode: 2345,
      how: "split_page() accepts only non-compound handles.",
      limits: "Handles of unknown compound-ness are checked at run time.",
    },
    runTime: {
      how: "split_page() checks PageCompound and the refcount.",
      kernelReport: "VM_BUG_ON_PAGE(PageCompound(page), page)",
    },
  },
  MD011: {
    id: "MD011",
    slug: "ptdesc-ctor",
    title: "a page table is constructed once, before it is used",
    source:
      "include/linux/mm.h @009857a2 pagetable_pte_ctor()/__pagetable_ctor(): __folio_set_pgtable(); include/asm-generic/pgalloc.h @1df1ca75bc01",
    explanation:
      "The constructor sets PGTY_table, initialises the split page-table lock and accounts NR_PAGETABLE. A table used before it is constructed has no lock; a second constructor leaks the first lock allocation (ptlock_init VM_BUGs on a non-NULL ptl).",
    fix: "Call pagetable_pte_ctor()/pagetable_pmd_ctor()/… exactly once after pagetable_alloc(), and check its result.",
    compileTime: {
      tsCode: 2345,
      how: "A ptdesc handle's type carries its lifecycle state (allocated → constructed → destructed); ctors accept only 'allocated', users of the table only 'constructed'.",
      limits: "State changes in another function or on one branch only are checked at run time.",
    },
    runTime: {
      how: "The machine tracks each ptdesc's lifecycle.",
      kernelReport: "VM_BUG_ON_PAGE(*(unsigned long *)&ptdesc->ptl, …) in ptlock_init",
    },
  },
  MD012: {
    id: "MD012",
    slug: "ptdesc-dtor",
    title: "a page table is destructed before a plain free",
    source:
      "include/linux/mm.h (linux-mm/linux-mm @009857a2) pagetable_dtor(), pagetable_dtor_free(), pagetable_free()",
    explanation:
      "pagetable_free() frees the memory but does not run the destructor: the split lock is leaked and NR_PAGETABLE stays raised. The page type is reset by the allocator, so the kernel says nothing.",
    fix: "Use pagetable_dtor_free(), or call pagetable_dtor() before pagetable_free().",
    compileTime: {
      tsCode: 2345,
      how: "pagetable_free() accepts a ptdesc in state 'allocated' (never constructed) or 'destructed', not 'constructed'.",
      limits: "State changes in another function are checked at run time.",
    },
    runTime: { how: "The machine checks the ptdesc's lifecycle state on free.", kernelReport: null },
  },
  MD013: {
    id: "MD013",
    slug: "kernel-pgtable-free",
    title: "a kernel page table is freed through the kernel-aware path",
    source:
      "include/linux/mm.h pagetable_free(): ptdesc_test_kernel() → pagetable_free_kernel(); mm/pgtable-generic.c @1df1ca75bc01 kernel_pgtable_work; upstream 5ba2f0a15564 'mm: introduce deferred freeing for kernel page tables'",
    explanation:
      "With IOMMU SVA the IOMMU walks the CPU's kernel page tables and caches intermediate entries. A kernel page table freed without the PT_kernel path (__free_pages, __pagetable_free, or a table never marked with ptdesc_set_kernel) is reused before iommu_sva_invalidate_kva_range() runs: the IOMMU can still walk — and write A/D bits into — the stale table.",
    fix: "Mark kernel page tables with ptdesc_set_kernel() at allocation and free them with pagetable_free()/pagetable_dtor_free(), never with __free_pages() or __pagetable_free().",
    compileTime: {
      tsCode: 2345,
      how: "Kernel and user page tables are different types from allocation on; __pagetable_free() and __free_pages() reject a kernel page table.",
      limits:
        "A kernel table freed through pagetable_free() without PT_kernel is a hazard only once it was installed, which the compiler cannot see (decision 0020): checked at run time. So are tables whose owner is not known statically.",
    },
    runTime: {
      how: "The machine knows which tables are kernel tables and whether the IOMMU was invalidated before reuse (see MD017).",
      kernelReport: null,
    },
  },
  MD014: {
    id: "MD014",
    slug: "double-free",
    title: "a page is freed once",
    source:
      "mm/page_alloc.c @00cb34b034a5 free_page_is_bad(): 'nonzero _refcount'; include/linux/mm.h @009857a2 put_page_testzero(): VM_BUG_ON_PAGE(page_ref_count(page) == 0)",
    explanation:
      "A second free of the same block puts it on the free lists twice (or frees somebody else's new allocation). The kernel sees it only if the page's state happens to look wrong.",
    fix: "Free each allocation exactly once; after freeing, drop the pointer.",
    compileTime: {
      tsCode: 2345,
      how: "Free functions are assertion functions: after __free_pages(page, …) the variable's type says freed, and a second free in the same function does not type-check.",
      limits:
        "A free in another function, or on one branch only, is checked at run time; so are put_page() and folio_put(), which drop one reference — after get_page() the same pointer may still hold another.",
    },
    runTime: {
      how: "The machine knows which blocks are free.",
      kernelReport: "VM_BUG_ON_PAGE(page_ref_count(page) == 0, page)",
    },
  },
  MD015: {
    id: "MD015",
    slug: "use-after-free",
    title: "a freed page is not used",
    source:
      "KASAN page_alloc reports; include/linux/mm.h @009857a2 get_page(): VM_BUG_ON_PAGE(page_ref_zero_or_close_to_overflow(page))",
    explanation: "After the free the page belongs to the buddy allocator or to its next owner.",
    fix: "Do not touch a page after freeing it; take a reference (get_page/folio_get) if you need it longer.",
    compileTime: {
      tsCode: 2345,
      how: "After a free the variable's type says freed; kernel functions that use a page reject it.",
      limits: "Uses in another function, or after a free on one branch only, are checked at run time.",
    },
    runTime: { how: "Every kernel API call checks that the page is allocated.", kernelReport: null },
  },
  MD016: {
    id: "MD016",
    slug: "bad-page-at-free",
    title: "a page reaches the allocator in the state __free_pages_prepare() expects",
    source:
      "mm/page_alloc.c (linux-mm/linux-mm @00cb34b034a5) __free_pages_prepare(), page_bad_reason(), free_tail_page_prepare(), bad_page()",
    explanation:
      "The page allocator checks each freed page: _mapcount -1, mapping NULL, _refcount 0, no PAGE_FLAGS_CHECK_AT_FREE flags, no memcg charge; tail pages of compound blocks must still point at their head. A failure is 'BUG: Bad page state' and the page is leaked. The head's page type is reset by the allocator, but a page type left on a tail page, or a page type leaked into _mapcount, is reported.",
    fix: "Undo what your code did to the page before freeing it: clear the flags it set, reset mapping, clear the type it set on tail pages.",
    compileTime: null,
    runTime: {
      how: "The machine runs the same checks on every freed page, with the same reason strings.",
      kernelReport:
        "bad_page(): nonzero mapcount / non-NULL mapping / nonzero _refcount / PAGE_FLAGS_CHECK_AT_FREE flag(s) set / …",
    },
  },
  MD017: {
    id: "MD017",
    slug: "stale-iotlb",
    title: "a freed kernel page table is not reused before the IOMMU is invalidated",
    source:
      "Lu Baolu, 'Fix stale IOTLB entries for kernel address space' v7 (2025-10-22); mm/pgtable-generic.c @1df1ca75bc01 kernel_pgtable_work_func(); CVE-2025-71089",
    explanation:
      "The hazard the 2025 series closed: with SVA the IOMMU may hold cached walks of a kernel page table; if the page is reallocated before iommu_sva_invalidate_kva_range(), the IOMMU reads or writes a page now owned by someone else.",
    fix: "Enable CONFIG_ASYNC_KERNEL_PGTABLE_FREE (x86 selects it with IOMMU_SVA) and free kernel tables through pagetable_free().",
    compileTime: null,
    runTime: {
      how: "With an SVA-bound IOMMU, the machine remembers freed kernel page-table pages until the next invalidation and reports an allocation that hands one out earlier.",
      kernelReport: null,
    },
  },
  MD018: {
    id: "MD018",
    slug: "leak",
    title: "every allocation is freed",
    source:
      "the model's own: a leak ledger in the spirit of tools/testing/radix-tree's nr_allocated check and page_owner",
    explanation:
      "Pages never freed are lost until reboot. Tail pages of a non-compound block are the easy ones to lose: nothing in them says who owns them.",
    fix: "Free what you allocate; make high-order allocations compound so one free returns the whole block.",
    compileTime: null,
    runTime: {
      how: "At the end of a run the ledger lists every allocation not freed, grouped by allocation, and calls out orphaned tail pages of non-compound blocks.",
      kernelReport: null,
    },
  },
});

export function rule(id: RuleId): Rule {
  return RULES[id];
}

function withFindings(
  rules: Readonly<Record<RuleId, Omit<Rule, "finding">>>,
): Readonly<Record<RuleId, Rule>> {
  return Object.fromEntries(RULE_IDS.map((id) => [id, { ...rules[id], finding: FINDINGS[id] }])) as Record<
    RuleId,
    Rule
  >;
}
