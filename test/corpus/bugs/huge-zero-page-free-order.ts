// kernel: mm/huge_memory.c get_huge_zero_page(), shrink_huge_zero_page_scan() before "mm: free
// compound page with correct order" (Yu Zhao, 2014; lore message-id
// 1413400805-15547-1-git-send-email-yuzhao@google.com)
// Fixes: 97ae17497e99 ("thp: implement refcounting for huge zero page")
// The huge zero page is an order-HPAGE_PMD_ORDER compound page (GFP_TRANSHUGE has __GFP_COMP).
// The CPU that loses the cmpxchg() race for huge_zero_page, and the shrinker that drops the last
// reference, both gave it back with __free_page(zero_page): order 0 for an order-9 compound block
// ("Not doing so will cause tail pages leaked"); the fix is __free_pages(zero_page,
// compound_order(zero_page)). With CONFIG_DEBUG_VM, __free_pages_prepare()'s
// VM_BUG_ON_PAGE(compound && compound_order(page) != order) stops each free (decision 0031), so
// both blocks stay allocated. zero_page is passed to cmpxchg() before the free, so the compiler
// cannot be sure it is the only handle: the findings are the run-time ones.
import {
  __free_page,
  __GFP_MOVABLE,
  __GFP_ZERO,
  alloc_pages,
  GFP_TRANSHUGE,
  type Page,
  PMD_ORDER,
} from "memdesc/sim";

const HPAGE_PMD_ORDER = PMD_ORDER;

let huge_zero_page: Page | null = null;
let huge_zero_refcount = 0;

/** cmpxchg(&huge_zero_page, NULL, page): the old value. */
function cmpxchg_huge_zero_page(page: Page): Page | null {
  const old = huge_zero_page;
  if (old === null) huge_zero_page = page;
  return old;
}

function get_huge_zero_page(other_cpu_wins: boolean) {
  for (;;) {
    // retry: if (likely(atomic_inc_not_zero(&huge_zero_refcount))) return READ_ONCE(huge_zero_page);
    if (huge_zero_refcount > 0 && huge_zero_page) {
      huge_zero_refcount++;
      return huge_zero_page;
    }
    const zero_page = alloc_pages((GFP_TRANSHUGE | __GFP_ZERO) & ~__GFP_MOVABLE, HPAGE_PMD_ORDER);
    if (!zero_page) return null;
    if (other_cpu_wins) {
      // Another CPU installs its own huge zero page between our alloc_pages() and cmpxchg().
      const theirs = alloc_pages((GFP_TRANSHUGE | __GFP_ZERO) & ~__GFP_MOVABLE, HPAGE_PMD_ORDER);
      if (theirs) {
        huge_zero_page = theirs;
        huge_zero_refcount = 2; // what the winning get_huge_zero_page() sets
      }
      other_cpu_wins = false;
    }
    if (cmpxchg_huge_zero_page(zero_page)) {
      __free_page(zero_page);
      continue; // goto retry: the refcount path now finds the winner's page
    }
    /* We take additional reference here. It will be put back by shrinker */
    huge_zero_refcount = 2;
    return zero_page;
  }
}

function shrink_huge_zero_page_scan() {
  if (huge_zero_refcount === 1) {
    huge_zero_refcount = 0;
    const zero_page = huge_zero_page;
    huge_zero_page = null;
    if (!zero_page) throw new Error("BUG_ON(zero_page == NULL)");
    __free_page(zero_page);
  }
}

export function scenario_lost_race_then_shrink() {
  // expect-run MD002 — __free_page() of an order-9 compound page, twice (race loser, shrinker)
  // expect-run MD018 — VM_BUG_ON_PAGE stops both frees: both blocks are never given back
  huge_zero_page = null;
  huge_zero_refcount = 0;
  // The winner's page is installed with refcount 1 (the shrinker's), as get_huge_zero_page() leaves it.
  if (!get_huge_zero_page(true)) return;
  huge_zero_refcount = 1; // put_huge_zero_page() by every user
  shrink_huge_zero_page_scan();
}
