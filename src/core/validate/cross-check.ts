import type { Governance } from "../model/governance.js";
import { activationProblems } from "./checks/activation.js";
import { activityProblems } from "./checks/activities.js";
import { breakGlassProblems } from "./checks/breakglass.js";
import { durationProblems } from "./checks/durations.js";
import { gateProblems } from "./checks/gates.js";
import { incidentProblems } from "./checks/incidents.js";
import { notifyProblems } from "./checks/notify.js";
import { oncallProblems } from "./checks/oncall.js";
import { unknownRoleProblems, unknownTierProblems } from "./checks/references.js";
import { roleReferences } from "./checks/refs.js";
import { resumeProblems } from "./checks/resume.js";
import { unsatisfiableProblems } from "./checks/satisfiable.js";
import { serviceProblems } from "./checks/services.js";
import { stateProblems } from "./checks/state.js";
import { templateProblems } from "./checks/templates.js";
import { unavailabilityProblems } from "./checks/unavailability.js";
import type { Problem } from "./problem.js";

/**
 * Checks across files that no schema can express. Each check lives in checks/<idea>.ts and returns
 * Problems located by YAML path (or OWNERS line); all of them run, so every mistake is reported at once.
 * Runs only on files that passed their schemas.
 */
export function crossCheck(g: Governance): Problem[] {
  const refs = roleReferences(g);
  return [
    ...unknownRoleProblems(g, refs),
    ...unknownTierProblems(g, refs),
    ...unsatisfiableProblems(g, refs),
    ...oncallProblems(g),
    ...unavailabilityProblems(g),
    ...durationProblems(g),
    ...gateProblems(g),
    ...breakGlassProblems(g),
    ...activityProblems(g),
    ...incidentProblems(g),
    ...templateProblems(g),
    ...activationProblems(g),
    ...resumeProblems(g),
    ...stateProblems(g),
    ...serviceProblems(g),
    ...notifyProblems(g),
  ];
}

/** Every role id used anywhere must exist in roles.yml. */
export function unknownRoleReferences(g: Governance): Problem[] {
  return unknownRoleProblems(g);
}
