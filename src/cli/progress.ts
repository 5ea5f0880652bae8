/**
 * The live census's progress bar on a terminal. A module of its own so that
 * `memdesc census` imports cli-progress (and its string-width helpers) only
 * when stderr is a terminal: a piped census (`--json > file`) does not load it.
 */
import { SingleBar } from "cli-progress";

export type { SingleBar };

/** A started bar over `total` page frames, drawn on stderr and cleared when stopped. */
export function censusProgressBar(total: number): SingleBar {
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: "reading /proc/kpageflags [{bar}] {percentage}% | {value}/{total} page frames",
      hideCursor: true,
      clearOnComplete: true,
    },
    { format: "", barCompleteChar: "█", barIncompleteChar: "░" },
  );
  bar.start(total, 0);
  return bar;
}
