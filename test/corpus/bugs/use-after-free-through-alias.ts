// kernel: fs/pipe.c anon_pipe_buf_release() and pipe_write() — the bug of the kind "a use after
// free through an alias": the page is released through the buffer's page pointer while the
// writer still holds the address it copied into (page_address(page)) and takes a reference
// through virt_to_page() of that address.
// tree: linux-mm/linux-mm (December 2026); the bug is injected.
import { alloc_page, GFP_KERNEL, get_page, page_address, put_page, virt_to_page } from "memdesc/sim";

export function scenario_reference_after_release() {
  // expect-run MD015
  const page = alloc_page(GFP_KERNEL);
  if (!page) return;
  const addr = page_address(page);
  put_page(page); // anon_pipe_buf_release(): the last reference
  get_page(virt_to_page(addr)); // the writer's stale address
}
