/**
 * memdesc/model: the data of the memdesc world — the 8-byte memdesc word and
 * its type tables, page_type encodings by kernel version, page flags with
 * their compound policies, KPF bits, struct layouts per stage, memdesc kinds
 * and the rules catalogue — plus the compile-time handle types built from it.
 * Imports nothing else of memdesc.
 */

export * from "./compound-info.js";
export * from "./errors.js";
export * from "./flags-layout.js";
export * from "./handles.js";
export * from "./kernel.js";
export * from "./kinds.js";
export * from "./kpageflags.js";
export * from "./layouts/index.js";
export * from "./memdesc-word.js";
export * from "./page-flags.js";
export * from "./page-type.js";
export * from "./rules.js";
export * from "./stage.js";
export * from "./word.js";
