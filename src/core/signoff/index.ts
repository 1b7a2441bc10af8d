/** The sign-off core: which gates apply to a pull request, their evaluation, and its renderings. */
export * from "./facts.js";
export * from "./gate.js";
export * from "./body.js";
export * from "./state-change.js";
export * from "./select.js";
export * from "./reviews.js";
export * from "./matching.js";
export * from "./holders.js";
export * from "./freeze.js";
export * from "./evaluate.js";
export * from "./words.js";
export * from "./check.js";
export * from "./explain.js";
export * from "./raci.js";
