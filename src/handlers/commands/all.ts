import { killSwitchCommand } from "../killswitch.js";
import { advanceCommand, rollbackCommand } from "../phase-commands.js";
import { explainSignoffCommand } from "../signoff-commands.js";
import { breakGlassCommand } from "../signoff-breakglass.js";
import { overrideCommand, swapCommand } from "../swap-commands.js";
import { incidentCommandSpecs } from "./incidents.js";
import type { CommandSpec } from "./spec.js";

/**
 * Every comment command Charter answers. Each area adds its commands here (one import, one entry);
 * the dispatcher authorises, runs and answers them.
 */
export const commandSpecs: CommandSpec[] = [killSwitchCommand, rollbackCommand, advanceCommand, explainSignoffCommand, breakGlassCommand, swapCommand, overrideCommand, ...incidentCommandSpecs];
