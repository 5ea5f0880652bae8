/**
 * memdesc/census: reads /proc/kpageflags (live or saved, raw or gzip),
 * classifies every page frame into a census kind and its memdesc kind,
 * reconstructs allocations and free blocks, reproduces page-types' summary,
 * and models the memmap cost of each stage of the shrink of struct page.
 * Imports only memdesc/model.
 */
export * from "./census.js";
export * from "./free-blocks.js";
export * from "./kinds.js";
export * from "./page-types.js";
export * from "./procfs.js";
export * from "./read.js";
export * from "./report.js";
export * from "./savings.js";
export * from "./schema.js";
export * from "./svg.js";
export * from "./text.js";
export * from "./zip-counts.js";
