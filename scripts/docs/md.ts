/** Markdown helpers for the doc generators (not a generator itself: exports no default). */
export function table(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const esc = (c: string | number) => String(c).replace(/\|/g, "\\|").replace(/\n/g, " ");
  return [
    `| ${head.map(esc).join(" | ")} |`,
    `| ${head.map(() => "---").join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(esc).join(" | ")} |`),
  ].join("\n");
}
export const hex = (n: number, width = 2) => `0x${n.toString(16).padStart(width, "0")}`;
