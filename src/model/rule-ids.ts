/**
 * The rule IDs, below everything that describes a rule: the catalogue
 * (rules.ts) and the findings' sentences (findings.ts) both key their tables
 * by them, and rules.ts re-exports them.
 */

export const RULE_IDS = [
  "MD001",
  "MD002",
  "MD003",
  "MD004",
  "MD005",
  "MD006",
  "MD007",
  "MD008",
  "MD009",
  "MD010",
  "MD011",
  "MD012",
  "MD013",
  "MD014",
  "MD015",
  "MD016",
  "MD017",
  "MD018",
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** Find the rule ID at the start of a message such as "MD002 __free_pages: …" (for messages from outside, e.g. a thrown error). */
export function ruleIdIn(message: string): RuleId | null {
  const m = /\bMD\d{3}\b/.exec(message);
  return m && (RULE_IDS as readonly string[]).includes(m[0]) ? (m[0] as RuleId) : null;
}
