/**
 * The bundled GitHub Action's inputs (action.yml) and the environment Actions mode reads.
 *
 * A JavaScript action receives each input as an environment variable `INPUT_<NAME>`: the input's
 * name upper-cased with spaces turned into `_` (hyphens stay: `app-id` is `INPUT_APP-ID`). Actions
 * mode (src/actions/) reads Probot's and Charter's own names (`APP_ID`, `PRIVATE_KEY`,
 * `GITHUB_TOKEN`, …), exactly as a `run:` step given `env:` does, so the bundle's entry maps one
 * onto the other before anything reads the environment. An input left empty maps to nothing: the
 * step's `env:` (if any) stands.
 */
export const ACTION_INPUTS = {
  "app-id": "APP_ID",
  "private-key": "PRIVATE_KEY",
  "github-token": "GITHUB_TOKEN",
  "seal-keys": "CHARTER_SEAL_KEYS",
  "log-level": "LOG_LEVEL",
} as const;

export type ActionInput = keyof typeof ACTION_INPUTS;

/** `app-id` → `INPUT_APP-ID`, as the runner names it. */
export function inputVariable(input: string): string {
  return `INPUT_${input.replace(/ /g, "_").toUpperCase()}`;
}

/** The environment Actions mode should see: `env` with every non-empty input copied to its variable. */
export function environmentFromInputs(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env };
  for (const [input, variable] of Object.entries(ACTION_INPUTS)) {
    const value = env[inputVariable(input)];
    if (value !== undefined && value.trim() !== "") out[variable] = value;
  }
  return out;
}
