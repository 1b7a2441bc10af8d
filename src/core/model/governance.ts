import type { AuthorityFile } from "./authority.js";
import type { DeploymentsFile } from "./deployments.js";
import type { IncidentsFile } from "./incidents.js";
import type { NotifyFile } from "./notify.js";
import type { OncallFile } from "./oncall.js";
import type { OwnersRule } from "./owners.js";
import type { RolesFile } from "./roles.js";
import type { ServicesFile } from "./services.js";
import type { KillSwitchStateFile, LogFile, PhaseStateFile } from "./state.js";

/**
 * A team's whole operating model, as loaded and validated from governance/.
 * Everything in src/core takes this (plus facts and a time) and returns decisions.
 */
export interface Governance {
  roles: RolesFile;
  oncall?: OncallFile;
  incidents?: IncidentsFile;
  authority?: AuthorityFile;
  services?: ServicesFile;
  notify?: NotifyFile;
  deployments?: DeploymentsFile;
  owners: OwnersRule[];
  state: {
    phase?: PhaseStateFile;
    killswitch?: KillSwitchStateFile;
    log?: LogFile;
  };
}
