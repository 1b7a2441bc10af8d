/**
 * The warnings a lead wants, over a window of time (default the next 8 weeks): nobody on call,
 * one person in two tiers at once, reminders that miss the incident's owner, roles held only by
 * teams, ladder steps with nobody to page, nobody available (everyone who could answer a tier is
 * unavailable), an override putting an unavailable person on call. `charter drill warnings` prints
 * them; `charter validate` prints them as warnings (exit 0; `::warning` annotations in Actions).
 */
import type { Governance } from "../../model/governance.js";
import { segments, type DrillWindow } from "../window.js";
import { nobodyOnCallWarnings } from "./nobody-on-call.js";
import { nobodyToPageWarnings } from "./nobody-to-page.js";
import { reminderWarnings } from "./reminders.js";
import { teamOnlyWarnings } from "./team-only.js";
import { twoTierWarnings } from "./two-tiers.js";
import type { DrillWarning } from "./types.js";
import { unavailabilityWarnings } from "./unavailable.js";

export type { DrillWarning, WarningKind } from "./types.js";

export function drillWarnings(g: Governance, window: DrillWindow): DrillWarning[] {
  const parts = segments(g, window);
  return [
    ...nobodyOnCallWarnings(g, window, parts),
    ...unavailabilityWarnings(g, window, parts),
    ...twoTierWarnings(g, window, parts),
    ...nobodyToPageWarnings(g, window, parts),
    ...reminderWarnings(g, window, parts),
    ...teamOnlyWarnings(g),
  ];
}
