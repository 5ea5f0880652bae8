/**
 * The kernel files the `@c` prototypes of docs/api.md were checked against, by hand, one
 * `read_file` of the stored tree per file: repository, path and the commit the stored copy is
 * at. linux-mm/linux-mm is the newest tree (mm-unstable, with the series under review: its
 * pgalloc.h and tlb.h say `hw_pte_t`, its slab.h takes a `kmalloc_token_t`); a file it does not
 * hold, or a name it no longer has, was checked in torvalds/linux, or — where torvalds/linux's
 * stored copy is too old to have the name — in another stored tree, named with its reason. A
 * `@kernel` tag names a key
 * of this table: `path` (linux-mm/linux-mm) or `repo:path`. `text:path` marks a prototype
 * whose text was found in a kernel tree's diff but whose current file is not stored here.
 *
 * Adding an entry means reading the file: the commit is the one `read_file` reported.
 */
export interface KernelSource {
  readonly repo: string;
  readonly path: string;
  /** Full commit of the stored copy that was read; null for `text:` entries. */
  readonly commit: string | null;
}

const S = (repo: string, path: string, commit: string | null): KernelSource => ({ repo, path, commit });
const MM = "linux-mm/linux-mm";
const T = "torvalds/linux";

export const KERNEL_SOURCES: Readonly<Record<string, KernelSource>> = {
  "include/asm-generic/pgalloc.h": S(
    MM,
    "include/asm-generic/pgalloc.h",
    "1df1ca75bc017a2851be148aec246e1a8d97bd3c",
  ),
  "include/asm-generic/tlb.h": S(MM, "include/asm-generic/tlb.h", "0a1e70b48f45def8b2a4a7536b4b72df7177e329"),
  "include/asm-generic/memory_model.h": S(
    MM,
    "include/asm-generic/memory_model.h",
    "feee1e11969756eb2e8e35192cf1e342632135ba",
  ),
  "arch/x86/include/asm/pgalloc.h": S(
    MM,
    "arch/x86/include/asm/pgalloc.h",
    "5aaa2bcaece3163516c4c23b82f391a11a6ed35a",
  ),
  "arch/x86/include/asm/pgtable.h": S(
    MM,
    "arch/x86/include/asm/pgtable.h",
    "0cdb7da433ec244c15b1170eda7d883798eb5113",
  ),
  "arch/x86/include/asm/page.h": S(
    MM,
    "arch/x86/include/asm/page.h",
    "ecbb4f580cecb8530eb42e6640ae9772f2554c3a",
  ),
  "arch/x86/mm/pgtable.c": S(MM, "arch/x86/mm/pgtable.c", "0b5da90e93a17e8ec8f4fd1663fe2432841b4bd0"),
  "arch/x86/mm/init.c": S(MM, "arch/x86/mm/init.c", "622ca6c866a6d0685fdfa4ab5ae39d33603e7959"),
  "arch/x86/mm/init_64.c": S(MM, "arch/x86/mm/init_64.c", "09eaec1259f1d76e825e47647e8b49d75327f34e"),
  "include/linux/iommu.h": S(MM, "include/linux/iommu.h", "8027490afa17c3a0207cb9cb61153279309bad74"),
  "include/linux/mm.h": S(MM, "include/linux/mm.h", "009857a22860ec279c1d75b4546a54dcac4c1384"),
  "include/linux/mm_types.h": S(MM, "include/linux/mm_types.h", "0199209e47e064512580102d613bffeff390b214"),
  "include/linux/gfp.h": S(MM, "include/linux/gfp.h", "00cd9c45cc45e0d0ca21a02b342a46791e1210d4"),
  "include/linux/page-flags.h": S(
    MM,
    "include/linux/page-flags.h",
    "03e0599da9e1ebc97bcf5342490c72271236af98",
  ),
  "include/linux/page_ref.h": S(MM, "include/linux/page_ref.h", "03e0599da9e1ebc97bcf5342490c72271236af98"),
  "include/linux/pgtable.h": S(MM, "include/linux/pgtable.h", "01b111fb3dca50a8575f27df1e1baaefc3fc2c2d"),
  "include/linux/slab.h": S(MM, "include/linux/slab.h", "0a45fea90ea8232838023bb5b9eb39f693e465f0"),
  "include/linux/sched/mm.h": S(MM, "include/linux/sched/mm.h", "1191303f1d851b86b441abaf987a759bfb258549"),
  "include/linux/topology.h": S(MM, "include/linux/topology.h", "01fcd92674ad32790a5404c81813a578e88d5d8d"),
  "include/linux/workqueue.h": S(MM, "include/linux/workqueue.h", "cd255e58ae14bb5c3e5354757cad6e5b4efad937"),
  "include/linux/rcupdate.h": S(MM, "include/linux/rcupdate.h", "1403410a7b3e25e0489e8acf559f081a6942353a"),
  "mm/internal.h": S(MM, "mm/internal.h", "009857a22860ec279c1d75b4546a54dcac4c1384"),
  "mm/page_alloc.c": S(MM, "mm/page_alloc.c", "00cb34b034a5158493eb764a7e08ab0edd091dd6"),
  "mm/mmu_gather.c": S(MM, "mm/mmu_gather.c", "0796b489ebe26df7a50e9dcb33e7430b8f5f685f"),
  "mm/slab.h": S(MM, "mm/slab.h", "129c35f1a42eba79ed19b8178245c7567b3ea3b9"),
  "mm/slub.c": S(MM, "mm/slub.c", "0349fd012b6862c8ed5b85bfe03f9421e2837d7d"),
  "mm/sparse-vmemmap.c": S(MM, "mm/sparse-vmemmap.c", "028871b824fdb49075ca7519e00e0d2c32c6ec44"),
  "mm/zpdesc.h": S(MM, "mm/zpdesc.h", "5a9d2b558f05c94acd2bdbc5501955ae58740aff"),
  "mm/zsmalloc.c": S(MM, "mm/zsmalloc.c", "1333a27565519f0c98db96f1284a2bb8e44b1640"),
  "torvalds/linux:include/linux/list.h": S(
    T,
    "include/linux/list.h",
    "48a710760e10a4f36e11233a21860796ba204b1e",
  ),
  "torvalds/linux:include/linux/align.h": S(
    T,
    "include/linux/align.h",
    "91908587bc0e1a2c4df56ea9a3d71931ca0eb9de",
  ),
  "torvalds/linux:include/linux/pfn.h": S(
    T,
    "include/linux/pfn.h",
    "95c1f6f4f5d05bcf57e20f3c839512b2c5a0131a",
  ),
  "torvalds/linux:arch/x86/include/asm/io.h": S(
    T,
    "arch/x86/include/asm/io.h",
    "0069455bcbf9ea73ffe4553ed6d2b4e4cad703de",
  ),
  "torvalds/linux:mm/bootmem_info.c": S(T, "mm/bootmem_info.c", "0386aaa6e9c826bc494169a914e01a86befe6edf"),
  // struct ioptdesc and its casts: linux-mm stores drivers/iommu/iommu-pages.c (@515ae5147abe,
  // which sets iopt->incoherent) but not the header, and torvalds/linux's stored header
  // (@06c375053cef) predates struct ioptdesc. This copy has the same `incoherent` union; the
  // three cast prototypes read the same in every stored copy that has the struct.
  "samikhawaja/linux:drivers/iommu/iommu-pages.h": S(
    "samikhawaja/linux",
    "drivers/iommu/iommu-pages.h",
    "0e9005115926b2f1eea144a6d283f041da8d49ca",
  ),
  // page_ref_add_unless()/folio_ref_add_unless(): linux-mm's page_ref.h (@03e0599d) replaced them
  // with page_ref_add_unless_zero(page, nr); torvalds/linux still has them.
  "torvalds/linux:include/linux/page_ref.h": S(
    T,
    "include/linux/page_ref.h",
    "0c8ea05e9b3d8e5287e2a968f2a2e744dfd31b99",
  ),
  // The stored getorder.h (torvalds @9cbc1cb8) predates `__always_inline`; the current text is in
  // the patch "asm-generic: make get_order() __always_inline" and in later trees' diffs.
  "text:include/asm-generic/getorder.h": S("linux", "include/asm-generic/getorder.h", null),
  // Only an old rcutree.h is stored; `void rcu_barrier(void);` is in the v6.12
  // slab/for-6.12/rcu_barriers merge's diff of include/linux/rcutree.h.
  "text:include/linux/rcutree.h": S("linux", "include/linux/rcutree.h", null),
};

/** The `@kernel` tag of a TSDoc, or null. */
export function kernelTagOf(doc: string): string | null {
  return /^@kernel (\S+)\s*$/m.exec(doc)?.[1] ?? null;
}
