// kernel: kernel/trace/ring_buffer.c ring_buffer_alloc_read_page(), ring_buffer_free_read_page(),
// rb_free_cpu_buffer() before "ring-buffer: Fix memory leak of free page" (Steven Rostedt, Dec
// 2023, Cc: stable; lore message-id 20231210221250.7b9cc83c@rorschach.local.home)
// Fixes: 73a757e63114 ("ring-buffer: Return reader page back into existing ring buffer")
// A page the reader is done with is kept as the per-CPU spare (cpu_buffer->free_page) instead of
// being freed, and handed out again by the next ring_buffer_alloc_read_page(); freeing the
// per-CPU buffer then forgot the spare: the fix adds
// `free_page((unsigned long)cpu_buffer->free_page);` to rb_free_cpu_buffer(). Not modelled: the
// buffer pages themselves (freed correctly by free_buffer_page()), the locking, the per-CPU
// allocation of the spare's data page on a node (alloc_pages_node(cpu_to_node(cpu), …, 0)).
import {
  __GFP_NORETRY,
  alloc_pages_node,
  cpu_to_node,
  free_page,
  GFP_KERNEL,
  page_address,
} from "memdesc/sim";

interface ring_buffer_per_cpu {
  cpu: number;
  free_page: number | null;
}

function ring_buffer_alloc_read_page(cpu_buffer: ring_buffer_per_cpu) {
  let bpage = cpu_buffer.free_page;
  cpu_buffer.free_page = null;
  if (bpage) return bpage;

  const page = alloc_pages_node(cpu_to_node(cpu_buffer.cpu), GFP_KERNEL | __GFP_NORETRY, 0);
  if (!page) return null;
  bpage = page_address(page);
  return bpage;
}

function ring_buffer_free_read_page(cpu_buffer: ring_buffer_per_cpu, bpage: number) {
  if (!cpu_buffer.free_page) {
    cpu_buffer.free_page = bpage;
    return;
  }
  free_page(bpage);
}

function rb_free_cpu_buffer(cpu_buffer: ring_buffer_per_cpu) {
  // free_buffer_page(cpu_buffer->reader_page); ... each page of cpu_buffer->pages ...
  void cpu_buffer; // the fix: free_page((unsigned long)cpu_buffer->free_page);
  // kfree(cpu_buffer);
}

export function scenario_splice_read_then_free_buffer() {
  // expect-run MD018 — the spare reader page is never given back
  const cpu_buffer: ring_buffer_per_cpu = { cpu: 0, free_page: null };
  // tracing_buffers_read(): a reader page is taken and, when the read is done, returned
  const bpage = ring_buffer_alloc_read_page(cpu_buffer);
  if (!bpage) return;
  ring_buffer_free_read_page(cpu_buffer, bpage);
  // ring_buffer_free() -> rb_free_cpu_buffer()
  rb_free_cpu_buffer(cpu_buffer);
}
