import type { Governance } from "../model/governance.js";
import { activationProblems } from "./checks/activation.js";
import { activityProblems } from "./checks/activities.js";
import { breakGlassProblems } from "./checks/breakglass.js";
import { deploymentProblems } from "./checks/deployments.js";
import { durationProblems } from "./checks/durations.js";
import { currentPhaseProblems, gateProblems } from "./checks/gates.js";
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
import { memoByObject } from "../memo.js";
import type { Problem } from "./problem.js";

/**
 * Checks across files that no schema can express. Each check lives in checks/<idea>.ts and returns
 * Problems located by YAML path (or OWNERS line); all of them run, so every mistake is reported at once.
 * Runs only on files that passed their schemas.
 */
export function crossCheck(g: Governance): Problem[] {
  return [...configCrossCheck(g), ...stateCrossCheck(g)];
}

const NO_STATE: Governance["state"] = Object.freeze({}) as Governance["state"];

/**
 * The checks of the configuration (every file but state/): a function of roles.yml, oncall.yml,
 * incidents.yml, authority.yml, services.yml, notify.yml, deployments.yml and OWNERS alone (they
 * are given no state, by construction), so a loader may reuse the result while those files are
 * unchanged and only state/ moved (src/load/load.ts).
 */
export function configCrossCheck(g: Governance): Problem[] {
  const c: Governance = { ...g, state: NO_STATE };
  const refs = roleReferences(c);
  return [...unknownRoleProblems(c, refs), ...unknownTierProblems(c, refs), ...unsatisfiableProblems(c, refs), ...CONFIG_CHECKS.flatMap((check) => check(c))];
}

/** A check that reads one file's model alone, run once per parsed model (memoByObject): a push that changes another file does not run it again. */
function oncePerModel(model: (g: Governance) => object | undefined, check: (g: Governance) => readonly Problem[]): (g: Governance) => readonly Problem[] {
  const memo = memoByObject<object, readonly Problem[]>();
  return (g) => {
    const key = model(g);
    return key ? memo(key, () => check(g)) : check(g);
  };
}
/** The on-call checks read only oncall.yml (walking every hand-off across DST is most of a load's cost). */
const oncallProblemsOnce = oncePerModel((g) => g.oncall, oncallProblems);
/** The resume rules' coverage reads only authority.yml's kill_switch (every pause the rules tell apart). */
const resumeProblemsOnce = oncePerModel((g) => g.authority, resumeProblems);

/** The configuration's checks that need no role references, in the order their problems are listed. */
const CONFIG_CHECKS: readonly ((g: Governance) => readonly Problem[])[] = [
  oncallProblemsOnce,
  unavailabilityProblems,
  durationProblems,
  gateProblems,
  breakGlassProblems,
  activityProblems,
  incidentProblems,
  templateProblems,
  activationProblems,
  resumeProblemsOnce,
  serviceProblems,
  notifyProblems,
  deploymentProblems,
];

/** The checks of the state files against the configuration: the current phase, the switches, the log. */
export function stateCrossCheck(g: Governance): Problem[] {
  return [...currentPhaseProblems(g), ...stateProblems(g)];
}

/** Every role id used anywhere must exist in roles.yml. */
export function unknownRoleReferences(g: Governance): Problem[] {
  return unknownRoleProblems(g);
}
