/**
 * memdesc/sim: the simulated machine and the kernel-named API that proposed
 * kernel changes are written against (`import { alloc_pages, … } from "memdesc/sim"`).
 */
export * from "./kernel/index.js";
