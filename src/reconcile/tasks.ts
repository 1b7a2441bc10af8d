import { incidentSweepTask } from "./incidents.js";
import { killSwitchApprovalTask } from "./killswitch.js";
import { urgentOverrideTask } from "./swaps.js";
import { signoffTimersTask } from "../handlers/signoff-timers.js";
import type { SweepTask } from "./task.js";

/** Every reconcile task, run in order on each sweep of a repository. Each area adds its own here. */
export const sweepTasks: SweepTask[] = [killSwitchApprovalTask, incidentSweepTask, signoffTimersTask, urgentOverrideTask];
