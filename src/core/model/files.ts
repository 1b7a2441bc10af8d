import type { z } from "zod";
import { AuthorityFile } from "./authority.js";
import { DeploymentsFile } from "./deployments.js";
import { IncidentsFile } from "./incidents.js";
import { NotifyFile } from "./notify.js";
import { OncallFile } from "./oncall.js";
import { RolesFile } from "./roles.js";
import { ServicesFile } from "./services.js";
import { KillSwitchStateFile, LogFile, PhaseStateFile } from "./state.js";
import type { YamlFileName } from "./file-names.js";

export { GOVERNANCE_DIR, GOVERNANCE_FILE_NAMES, OWNERS_FILE, YAML_FILE_NAMES, type YamlFileName } from "./file-names.js";

/**
 * The YAML files of a governance directory, their schemas and the JSON Schema file each is
 * published as: in the order of YAML_FILE_NAMES (src/core/model/file-names.ts), every name once
 * (the type checks it).
 */
export const YAML_FILES = {
  "roles.yml": { schema: RolesFile, required: true, jsonSchema: "roles.schema.json" },
  "oncall.yml": { schema: OncallFile, required: false, jsonSchema: "oncall.schema.json" },
  "incidents.yml": { schema: IncidentsFile, required: false, jsonSchema: "incidents.schema.json" },
  "authority.yml": { schema: AuthorityFile, required: false, jsonSchema: "authority.schema.json" },
  "services.yml": { schema: ServicesFile, required: false, jsonSchema: "services.schema.json" },
  "notify.yml": { schema: NotifyFile, required: false, jsonSchema: "notify.schema.json" },
  "deployments.yml": { schema: DeploymentsFile, required: false, jsonSchema: "deployments.schema.json" },
  "state/phase.yml": { schema: PhaseStateFile, required: false, jsonSchema: "state-phase.schema.json" },
  "state/killswitch.yml": { schema: KillSwitchStateFile, required: false, jsonSchema: "state-killswitch.schema.json" },
  "state/log.yml": { schema: LogFile, required: false, jsonSchema: "state-log.schema.json" },
} as const satisfies Record<YamlFileName, { schema: z.ZodType; required: boolean; jsonSchema: string }>;
