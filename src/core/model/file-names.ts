/**
 * The names of a governance directory's files, without their schemas (src/core/model/files.ts):
 * what start-up and the GitHub readers need, with no zod behind it.
 */
export const YAML_FILE_NAMES = [
  "roles.yml",
  "oncall.yml",
  "incidents.yml",
  "authority.yml",
  "services.yml",
  "notify.yml",
  "deployments.yml",
  "state/phase.yml",
  "state/killswitch.yml",
  "state/log.yml",
] as const;

export type YamlFileName = (typeof YAML_FILE_NAMES)[number];
export const OWNERS_FILE = "OWNERS";
/** Every file Charter reads from a governance directory. */
export const GOVERNANCE_FILE_NAMES: readonly string[] = [...YAML_FILE_NAMES, OWNERS_FILE];
/** Where the governance directory lives in a repository. */
export const GOVERNANCE_DIR = "governance";
