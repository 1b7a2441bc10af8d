/** Incidents as issues: the pure core (no GitHub, no clock). See docs/incidents.md. */
export * from "./args.js";
export * from "./authority.js";
export * from "./due.js";
export * from "./form.js";
export * from "./ladder.js";
export * from "./marker.js";
export * from "./messages.js";
export * from "./oncall-report.js";
export * from "./page.js";
export * from "./pass.js";
export * from "./people.js";
export * from "./severity.js";
export * from "./state.js";
export * from "./template.js";
export * from "./timeline.js";
export * from "./time.js";
export * from "./transitions.js";
