export { buildReport, type Report, type ReportOptions, type SeverityRow, type PersonRow, type EpisodeRow } from "./build.js";
export type { ReportFacts, RequestPullFact, ReviewFact } from "./facts.js";
export { DEFAULT_WORKING_HOURS, parseWorkingHours, formatWorkingHours, afterHoursMs, isAfterHours, type WorkingHours } from "./hours.js";
export { reportCsv, reportMarkdown } from "./render.js";
export { stat, type Stat } from "./stats.js";
