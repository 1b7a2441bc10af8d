import type { ErrorObject } from "ajv";
import type { YamlFileName } from "../core/model/file-names.js";
import * as generated from "./validators.generated.js";

/**
 * The JSON Schema validator of each governance file, compiled at build time (ajv's standalone
 * code in validators.generated.ts, written by `npm run schema` and checked by `npm run
 * schema:check`), with the options it was always compiled with: every error (allErrors), each
 * error carrying its schema and parent schema (verbose, for `x-message`), strict mode off. No ajv,
 * no schema compilation, no zod-to-JSON-Schema conversion at run time.
 */
export type FileValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

const v = (f: unknown) => f as FileValidator;

export const VALIDATORS: Record<YamlFileName, FileValidator> = {
  "roles.yml": v(generated.validateRolesYml),
  "oncall.yml": v(generated.validateOncallYml),
  "incidents.yml": v(generated.validateIncidentsYml),
  "authority.yml": v(generated.validateAuthorityYml),
  "services.yml": v(generated.validateServicesYml),
  "notify.yml": v(generated.validateNotifyYml),
  "deployments.yml": v(generated.validateDeploymentsYml),
  "state/phase.yml": v(generated.validateStatePhaseYml),
  "state/killswitch.yml": v(generated.validateStateKillswitchYml),
  "state/log.yml": v(generated.validateStateLogYml),
};
