/**
 * memdesc/check: type-check proposed kernel refactors against the memdesc
 * API at any stage, and the JSON report's schema.
 */
export { type CheckOptions, checkFiles } from "./check.js";
export { type CheckDiagnostic, compileAgainstStages } from "./compile.js";
export { renderCheckReport, ruleDocLink, summaryLine } from "./render.js";
export {
  CheckDiagnosticSchema,
  CheckFileSchema,
  type CheckReport,
  CheckReportSchema,
  CheckSummarySchema,
  RunViolationSchema,
  type ScenarioResult,
  ScenarioResultSchema,
} from "./report.js";
