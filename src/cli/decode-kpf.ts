/** `memdesc decode --as kpageflags`: needs the KPF table (src/model/kpageflags.ts). */
import type { KernelVersion } from "../model/kernel.js";
import type { Decoded } from "./decode.js";

export function decodeKpageflagsWord(_value: bigint, _kernel: KernelVersion): Decoded {
  throw new Error("kpageflags decoding arrives with the KPF table");
}
