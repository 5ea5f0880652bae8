/**
 * Slab and zsmalloc pages, as their owners allocate them: enough to create
 * memory of those kinds so conversions (page_slab, page_zpdesc) and page
 * types can be exercised. mm/slub.c allocate_slab()/alloc_slab_page() take
 * the pages as a compound folio and set PGTY_slab; __free_slab() clears it and
 * frees the pages. mm/zpdesc.h alloc_zpdesc()/free_zpdesc() wrap an order-0
 * page for zsmalloc, which marks it with __SetPageZsmalloc. kmalloc()/kfree() and
 * kmem_cache_create()/kmem_cache_alloc()/kmem_cache_free() make slab pages and large
 * kmalloc blocks the page-level rules see.
 */
import type { Meta, Slab, WithFact, Zpdesc } from "../../model/handles.js";
import { pageFlagBit } from "../../model/page-flags.js";
import { get_order } from "./arch/x86.js";
import type { Live } from "./checks.js";
import { type AnySlab, type AnyZpdesc, checkKind } from "./descriptors.js";
import { __GFP_COMP, type GfpMask, gfpEval } from "./gfp.js";
import { kobject, PAGE_SHIFT, PAGE_SIZE, pfnOf, pfnToVirt, virtToPfn } from "./objects.js";
import { checkLive } from "./page.js";
import { machine } from "./port.js";

const PG_private = pageFlagBit("PG_private");

/** NUMA_NO_NODE (include/linux/numa.h). */
export const NUMA_NO_NODE = -1;
/**
 * include/linux/slab.h (linux-mm tree @acf29683; SLUB "directly allocates requests fitting in to an
 * order-1 page"): KMALLOC_SHIFT_HIGH = PAGE_SHIFT + 1 = 13 with 4 KiB pages.
 */
export const KMALLOC_SHIFT_HIGH = PAGE_SHIFT + 1;
/** KMALLOC_MAX_CACHE_SIZE = 1 << KMALLOC_SHIFT_HIGH: larger kmalloc() goes to the page allocator. */
export const KMALLOC_MAX_CACHE_SIZE = 2 ** KMALLOC_SHIFT_HIGH;

/** struct kmem_cache_order_objects (mm/slub.c): `x = order << OO_SHIFT | objects`, OO_SHIFT 16. */
export interface kmem_cache_order_objects {
  readonly x: number;
}
const OO_SHIFT = 16;
/**
 * oo_make(order, size) (mm/slub.c): the order and how many objects of `size` fit.
 *
 * @c static inline struct kmem_cache_order_objects oo_make(unsigned int order, unsigned int size)
 * @kernel mm/slub.c
 */
export function oo_make(order: number, size: number): kmem_cache_order_objects {
  return { x: order * 2 ** OO_SHIFT + Math.floor((PAGE_SIZE * 2 ** order) / size) };
}
/**
 * oo_order(x) (mm/slub.c): `x.x >> OO_SHIFT`, the slab order.
 *
 * @c static inline unsigned int oo_order(struct kmem_cache_order_objects x)
 * @kernel mm/slub.c
 */
export const oo_order = (oo: kmem_cache_order_objects): number => Math.floor(oo.x / 2 ** OO_SHIFT);
/**
 * oo_objects(x) (mm/slub.c): `x.x & OO_MASK`, the objects per slab.
 *
 * @c static inline unsigned int oo_objects(struct kmem_cache_order_objects x)
 * @kernel mm/slub.c
 */
export const oo_objects = (oo: kmem_cache_order_objects): number => oo.x % 2 ** OO_SHIFT;

/**
 * struct kmem_cache, as far as the page-level rules need it: its object size, the order of
 * its slabs and their objects. Not modelled: per-CPU slabs, partial lists and min_partial (an
 * empty slab is freed at once), freelist pointers, SLUB debugging, RCU-freed caches.
 */
export interface kmem_cache {
  readonly name: string;
  readonly object_size: number;
  readonly size: number;
  readonly oo: kmem_cache_order_objects;
  readonly allocflags: number;
  readonly ctor: ((obj: bigint) => void) | null;
}

interface SlabState {
  readonly cache: kmem_cache;
  readonly used: Set<number>;
}
const slabs = new WeakMap<object, Map<number, SlabState>>();
function slabMap(): Map<number, SlabState> {
  const m = machine();
  let s = slabs.get(m);
  if (!s) {
    s = new Map();
    slabs.set(m, s);
  }
  return s;
}

/**
 * kmem_cache_create(name, size, align, flags, ctor) (include/linux/slab.h). The slab order is
 * the smallest that holds 8 objects, at most 3 (SLUB's calculate_order() weighs waste and
 * slub_max_order; not modelled); `__GFP_COMP` is in its allocflags when the order is > 0,
 * as calculate_sizes() does.
 *
 * @c #define kmem_cache_create(__name, __object_size, __args, ...)
 * @c static inline struct kmem_cache *__kmem_cache_create(const char *name, unsigned int size, unsigned int align, slab_flags_t flags, void (*ctor)(void *))
 * @kernel include/linux/slab.h
 */
export function kmem_cache_create(
  name: string,
  size: number,
  align: number,
  _flags: number,
  ctor: ((obj: bigint) => void) | null,
): kmem_cache {
  const a = Math.max(8, align || 8);
  const objsize = Math.ceil(size / a) * a;
  let order = 0;
  while (order < 3 && PAGE_SIZE * 2 ** order < 8 * objsize) order++;
  while (PAGE_SIZE * 2 ** order < objsize) order++;
  return {
    name,
    object_size: size,
    size: objsize,
    oo: oo_make(order, objsize),
    allocflags: order > 0 ? __GFP_COMP : 0,
    ctor,
  };
}

/**
 * alloc_slab_page(flags, node, oo, allow_spin) (mm/slub.c): `alloc_frozen_pages(flags, order)`
 * (or `__alloc_frozen_pages()` on a node), then `__SetPageSlab()`: PGTY_slab on the head, a slab
 * memdesc. The caller (allocate_slab) puts `__GFP_COMP` in `flags` for order > 0
 * (s->allocflags); without it an order > 0 slab is a non-compound block, which the machine
 * reports. With `allow_spin` false the kernel calls `alloc_frozen_pages_nolock(0, node, order)`,
 * which ignores `flags` ("__GFP_COMP is implied"): so does the model. Not modelled: the pages
 * are frozen (refcount 0) in the kernel; here they hold the allocation's reference, which
 * __free_slab() drops.
 *
 * @c static inline struct slab *alloc_slab_page(gfp_t flags, int node, struct kmem_cache_order_objects oo, bool allow_spin)
 * @kernel mm/slub.c
 */
export function alloc_slab_page<const G extends string | number>(
  flags: GfpMask<G>,
  node: number,
  oo: kmem_cache_order_objects,
  allow_spin: boolean,
): Slab<Meta<"slab", number, boolean, "none"> & { readonly typeSet: { readonly slab: true } }> | null {
  const m = machine();
  void node;
  const order = oo_order(oo);
  const gfp = allow_spin ? gfpEval(flags) : gfpEval(__GFP_COMP);
  const pfn = m.allocPages("alloc_slab_page", gfp, order, "alloc_slab_page");
  if (pfn < 0) return null;
  m.setMemdescKind("alloc_slab_page", pfn, "slab");
  m.setPageType("alloc_slab_page", pfn, "slab");
  return kobject("slab", pfn) as unknown as Slab<
    Meta<"slab", number, boolean, "none"> & { readonly typeSet: { readonly slab: true } }
  >;
}

/**
 * __free_slab(s, slab, allow_spin) (mm/slub.c): clear PGTY_slab (__ClearPageSlab) and free the
 * slab's pages — free_frozen_pages(), or free_frozen_pages_nolock() when `allow_spin` is false;
 * the model frees the same way for both (locking is not modelled).
 *
 * @c static void __free_slab(struct kmem_cache *s, struct slab *slab, bool allow_spin)
 * @kernel mm/slub.c
 */
export function __free_slab<const S extends AnySlab>(
  _s: kmem_cache | null,
  slab: S & Live<S, "__free_slab", "free">,
  allow_spin: boolean,
): asserts slab is S & Live<S, "__free_slab", "free"> & WithFact<"freed"> {
  const m = machine();
  void allow_spin;
  const pfn = pfnOf(slab);
  checkKind("__free_slab", pfn, "slab");
  slabMap().delete(pfn);
  m.clearPageType("__free_slab", pfn, "slab");
  m.setMemdescKind("__free_slab", pfn, "misc");
  m.freeCompoundOrder("__free_slab", pfn);
}

/**
 * kmem_cache_alloc(s, gfpflags): an object of a slab of `s`, a new slab (allocate_slab():
 * `gfpflags | s->allocflags`) when none has room. Objects are byte addresses, so they are
 * exact `bigint`s (decision 0041); NULL is `null`.
 *
 * @c #define kmem_cache_alloc(...)
 * @c void *kmem_cache_alloc_noprof(struct kmem_cache *cachep, gfp_t flags) __assume_slab_alignment __malloc
 * @kernel include/linux/slab.h
 * @example
 * ```c
 * foo_cache = kmem_cache_create("foo", sizeof(struct foo), 0, 0, NULL);
 * f = kmem_cache_alloc(foo_cache, GFP_KERNEL);
 * if (!f)
 *         return -ENOMEM;
 * kmem_cache_free(foo_cache, f);
 * ```
 * ```ts
 * import { ENOMEM, GFP_KERNEL, kmem_cache_alloc, kmem_cache_create, kmem_cache_free } from "memdesc/sim";
 *
 * const foo_cache = kmem_cache_create("foo", 96, 0, 0, null); // sizeof(struct foo) == 96
 *
 * export function foo_get(): number {
 *   const f = kmem_cache_alloc(foo_cache, GFP_KERNEL);
 *   if (!f) return -ENOMEM;
 *   kmem_cache_free(foo_cache, f);
 *   return 0;
 * }
 * ```
 */
export function kmem_cache_alloc<const G extends string | number>(
  s: kmem_cache,
  gfpflags: GfpMask<G>,
): bigint | null {
  return cacheAlloc("kmem_cache_alloc", s, gfpflags);
}
/**
 * The allocation half of kmem_cache_alloc() and kmalloc(), named for the function the caller
 * called. An object is taken from a slab the cache still holds; if that slab's page went back
 * to the page allocator behind the cache's back (free_page() of an object), the object is in
 * freed memory: MD015, and the cache hands it out anyway, as SLUB would.
 */
function cacheAlloc(op: string, s: kmem_cache, gfpflags: string | number): bigint | null {
  const map = slabMap();
  const n = oo_objects(s.oo);
  for (const [pfn, st] of map) {
    if (st.cache !== s || st.used.size >= n) continue;
    for (let i = 0; i < n; i++)
      if (!st.used.has(i)) {
        checkLive(op, pfn);
        return take(pfn, st, i);
      }
  }
  const slab = alloc_slab_page(gfpEval(gfpflags) | s.allocflags, NUMA_NO_NODE, s.oo, true);
  if (!slab) return null;
  const st: SlabState = { cache: s, used: new Set() };
  map.set(pfnOf(slab), st);
  return take(pfnOf(slab), st, 0);
}
function take(pfn: number, st: SlabState, i: number): bigint {
  st.used.add(i);
  const obj = BigInt(pfnToVirt(pfn)) + BigInt(i * st.cache.size);
  st.cache.ctor?.(obj);
  return obj;
}

function slabOf(op: string, x: bigint | number): { pfn: number; st: SlabState | undefined; index: number } {
  const m = machine();
  const va = BigInt(x);
  const page = virtToPfn(Number(va & ~BigInt(PAGE_SIZE - 1)), m.nrPages);
  if (page < 0)
    throw new RangeError(`${op}: 0x${va.toString(16)} is not a direct-map address of this machine`);
  const pfn = m.compoundHead(page);
  const st = slabMap().get(pfn);
  const index = st ? Number(va - BigInt(pfnToVirt(pfn))) / st.cache.size : -1;
  return { pfn, st, index };
}

/**
 * kmem_cache_free(s, x): give the object back; a slab with no objects left is freed (discard_slab).
 *
 * @c void kmem_cache_free(struct kmem_cache *s, void *objp)
 * @kernel include/linux/slab.h
 */
export function kmem_cache_free(s: kmem_cache, x: bigint | number): void {
  const { pfn, st, index } = slabOf("kmem_cache_free", x);
  if (!st || st.cache !== s || !Number.isInteger(index) || !st.used.has(index)) {
    throw new Error(
      `kmem_cache_free: ${x} is not an allocated object of cache ${s.name} (SLUB would report it: free_consistency_checks)`,
    );
  }
  st.used.delete(index);
  if (st.used.size === 0) __free_slab(s, kobject("slab", pfn) as unknown as AnySlab, true);
}

const KMALLOC_SIZES = [8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192];
const kmallocCaches = new WeakMap<object, Map<number, kmem_cache>>();
function kmallocCache(size: number): kmem_cache {
  const m = machine();
  let caches = kmallocCaches.get(m);
  if (!caches) {
    caches = new Map();
    kmallocCaches.set(m, caches);
  }
  const cls = KMALLOC_SIZES.find((c) => c >= size) ?? KMALLOC_MAX_CACHE_SIZE;
  let c = caches.get(cls);
  if (!c) {
    c = kmem_cache_create(`kmalloc-${cls < 1024 ? cls : `${cls / 1024}k`}`, cls, cls, 0, null);
    caches.set(cls, c);
  }
  return c;
}

/**
 * kmalloc_node(size, flags, node) (include/linux/slab.h, mm/slub.c): up to
 * KMALLOC_MAX_CACHE_SIZE from a kmalloc-<size> cache (an exact `bigint` address); above it
 * ___kmalloc_large_node(): `alloc_pages_node(node, flags | __GFP_COMP, get_order(size))`, the
 * folio marked PGTY_large_kmalloc (__folio_set_large_kmalloc), its direct-map address (a
 * number: page aligned, exact). Not modelled: kmalloc's memcg and KASAN hooks, ZERO_SIZE_PTR.
 *
 * @c #define kmalloc_node(...)
 * @c static __always_inline __alloc_size(1) void *_kmalloc_node_noprof(size_t size, gfp_t flags, int node, kmalloc_token_t token)
 * @kernel include/linux/slab.h
 */
export function kmalloc_node<const G extends string | number>(
  size: number,
  flags: GfpMask<G>,
  node: number,
): bigint | number | null {
  if (size > KMALLOC_MAX_CACHE_SIZE) {
    const m = machine();
    void node;
    const pfn = m.allocPages("kmalloc", gfpEval(flags) | __GFP_COMP, get_order(size), "kmalloc");
    if (pfn < 0) return null;
    m.setPageType("kmalloc", pfn, "large_kmalloc");
    return pfnToVirt(pfn);
  }
  return cacheAlloc("kmalloc", kmallocCache(size), flags as string | number);
}

/**
 * kmalloc(size, flags) = kmalloc_node(size, flags, NUMA_NO_NODE). In the newest tree the
 * `kmalloc_noprof(...)` macro appends a `kmalloc_token_t` (an empty struct unless
 * CONFIG_KMALLOC_PARTITION_CACHES); callers still write `kmalloc(size, flags)`, as here.
 *
 * @c #define kmalloc(...)
 * @c static __always_inline __alloc_size(1) void *_kmalloc_noprof(size_t size, gfp_t flags, kmalloc_token_t token)
 * @kernel include/linux/slab.h
 * @example
 * ```c
 * // gfp & ~__GFP_ZERO: the caller fills the object itself
 * struct foo *p = kmalloc(sizeof(*p), gfp & ~__GFP_ZERO);
 * if (!p)
 *         return -ENOMEM;
 * kfree(p);
 * buf = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);	// > KMALLOC_MAX_CACHE_SIZE: the page allocator
 * kfree(buf);
 * ```
 * ```ts
 * import { __GFP_ZERO, ENOMEM, GFP_KERNEL, type gfp_t, kfree, kmalloc, PAGE_SIZE } from "memdesc/sim";
 *
 * export function foo_alloc(gfp: gfp_t): number {
 *   const p = kmalloc(64, gfp & ~__GFP_ZERO); // sizeof(struct foo) == 64
 *   if (!p) return -ENOMEM;
 *   kfree(p);
 *   const buf = kmalloc(3 * PAGE_SIZE, GFP_KERNEL); // a compound block with PGTY_large_kmalloc
 *   kfree(buf);
 *   return 0;
 * }
 * ```
 */
export function kmalloc<const G extends string | number>(
  size: number,
  flags: GfpMask<G>,
): bigint | number | null {
  return kmalloc_node(size, flags, NUMA_NO_NODE);
}

/**
 * kfree(x) (mm/slub.c): NULL is a no-op; an object of a slab goes back to its cache; anything
 * else is a large kmalloc — free_large_kmalloc(): __folio_clear_large_kmalloc() (MD004 at run
 * time when the page is not PGTY_large_kmalloc) and the folio's pages freed.
 *
 * @c void kfree(const void *objp)
 * @kernel include/linux/slab.h
 */
export function kfree(x: bigint | number | null): void {
  if (x === null || x === 0 || x === 0n) return;
  const { pfn, st } = slabOf("kfree", x);
  if (st) {
    kmem_cache_free(st.cache, x);
    return;
  }
  const m = machine();
  m.clearPageType("kfree", pfn, "large_kmalloc");
  m.freeCompoundOrder("kfree", pfn);
}

/**
 * alloc_zpdesc(gfp, nid): an order-0 page for zsmalloc, as a struct zpdesc.
 *
 * @c static inline struct zpdesc *alloc_zpdesc(gfp_t gfp, const int nid)
 * @kernel mm/zsmalloc.c
 */
export function alloc_zpdesc<const G extends string | number>(
  gfp: GfpMask<G>,
  _nid: number,
): Zpdesc<Meta<"zpdesc", 0, false, "none">> | null {
  const m = machine();
  const pfn = m.allocPages("alloc_zpdesc", gfpEval(gfp), 0, "alloc_zpdesc");
  if (pfn < 0) return null;
  m.setMemdescKind("alloc_zpdesc", pfn, "zpdesc");
  return kobject("zpdesc", pfn) as unknown as Zpdesc<Meta<"zpdesc", 0, false, "none">>;
}

/**
 * free_zpdesc(zpdesc): give the page back (__free_page).
 *
 * @c static inline void free_zpdesc(struct zpdesc *zpdesc)
 * @kernel mm/zsmalloc.c
 */
export function free_zpdesc<const Z extends AnyZpdesc>(
  zpdesc: Z & Live<Z, "free_zpdesc", "free">,
): asserts zpdesc is Z & Live<Z, "free_zpdesc", "free"> & WithFact<"freed"> {
  const m = machine();
  const pfn = pfnOf(zpdesc);
  m.setMemdescKind("free_zpdesc", pfn, "misc");
  m.freePages("free_zpdesc", pfn, 0);
}

/**
 * __zpdesc_set_zsmalloc(zpdesc) (mm/zpdesc.h) = __SetPageZsmalloc(zpdesc_page(zpdesc)): the page
 * type zsmalloc keeps until the page goes back to the buddy allocator (reset_zpdesc() leaves it:
 * "PageZsmalloc is sticky until the page is freed to the buddy"). MD003 on a typed page.
 *
 * @c static inline void __zpdesc_set_zsmalloc(struct zpdesc *zpdesc)
 * @kernel mm/zpdesc.h
 */
export function __zpdesc_set_zsmalloc<const Z extends AnyZpdesc>(
  zpdesc: Z & Live<Z, "__zpdesc_set_zsmalloc">,
): void {
  const pfn = pfnOf(zpdesc);
  checkLive("__zpdesc_set_zsmalloc", pfn);
  machine().setPageType("__zpdesc_set_zsmalloc", pfn, "zsmalloc");
}

/**
 * zpdesc_set_first(zpdesc) (mm/zsmalloc.c) = SetPagePrivate(zpdesc_page(zpdesc)): PG_private marks
 * the first zpdesc of a zspage. PG_private is in PAGE_FLAGS_CHECK_AT_FREE: reset_zpdesc() clears it
 * (ClearPagePrivate()) before the page is freed, or the free is a bad page (MD016).
 *
 * @c static inline void zpdesc_set_first(struct zpdesc *zpdesc)
 * @kernel mm/zsmalloc.c
 */
export function zpdesc_set_first<const Z extends AnyZpdesc>(zpdesc: Z & Live<Z, "zpdesc_set_first">): void {
  const pfn = pfnOf(zpdesc);
  checkLive("zpdesc_set_first", pfn);
  machine().setFlag("zpdesc_set_first", pfn, PG_private);
}

/**
 * zpdesc_put(zpdesc) (mm/zpdesc.h) = folio_put(zpdesc_folio(zpdesc)): drop a reference; the last
 * one frees the order-0 page (the memdesc goes back to a plain page first, as free_zpdesc()).
 *
 * @c static inline void zpdesc_put(struct zpdesc *zpdesc)
 * @kernel mm/zpdesc.h
 */
export function zpdesc_put<const Z extends AnyZpdesc>(
  zpdesc: Z & Live<Z, "zpdesc_put", "free">,
): asserts zpdesc is Z & Live<Z, "zpdesc_put", "free"> & WithFact<"freed"> {
  const m = machine();
  const pfn = pfnOf(zpdesc);
  checkLive("zpdesc_put", pfn);
  if (m.pageRefCount(pfn) === 1) m.setMemdescKind("zpdesc_put", pfn, "misc");
  m.putPage("zpdesc_put", pfn);
}
