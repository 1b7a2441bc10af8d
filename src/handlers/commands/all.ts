import type { CommandSpec } from "./spec.js";

/**
 * Every comment command Charter answers. Each area adds its commands here (one import, one entry);
 * the dispatcher authorises, runs and answers them.
 */
export const commandSpecs: CommandSpec[] = [];
