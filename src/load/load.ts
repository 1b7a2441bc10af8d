import { GOVERNANCE_DIR, OWNERS_FILE, YAML_FILES, type YamlFileName } from "../core/model/files.js";
import type { Governance } from "../core/model/governance.js";
import { rememberValidated, STATE_TEMPLATES, validatedStateText, type StateFileName, type ValidatedStateText } from "../core/killswitch/state-text.js";
import { parseOwners } from "../core/owners/parse.js";
import { literalSecretProblems, secretTextProblems } from "../core/validate/checks/secrets.js";
import { configCrossCheck, stateCrossCheck } from "../core/validate/cross-check.js";
import type { Problem } from "../core/validate/problem.js";
import { sortDiagnostics, type Diagnostic } from "./diagnostic.js";
import { schemaProblems } from "./schema-errors.js";
import type { GovernanceSource } from "./source.js";
import { VALIDATORS } from "./validators.js";
import { parseYaml, type PositionedDocument } from "./yaml-document.js";

/** A warning about valid files (src/core/drill/warnings), located like a problem. */
export interface LocatedWarning<W extends Problem = Problem> {
  diagnostic: Diagnostic;
  warning: W;
}

export type LoadResult<W extends Problem = Problem> =
  | { ok: true; governance: Governance; diagnostics: []; warnings: LocatedWarning<W>[] }
  | {
      ok: false;
      governance?: undefined;
      diagnostics: Diagnostic[];
      /**
       * The model as read, when every file passed its schema and only checks across files failed
       * (a gate nobody can sign, an unknown role, …). Never policy: the impact preview and
       * `charter diff` describe what such proposed files would do.
       */
      unchecked?: Governance;
    };

export interface LoadOptions<W extends Problem> {
  /**
   * Warnings to compute once the files are valid (the validator's: `charter drill`'s warnings over
   * a window of time); they are located at file:line:column like problems. Not run by the app.
   */
  warnings?: (g: Governance) => readonly W[];
}

const MAX_SYNTAX_ERRORS_PER_FILE = 5;

/**
 * Files that passed every per-file check, by name and text (what a blob sha names): a push that
 * changes one file parses and validates one file, and an unchanged file's model is the same object
 * from one load to the next (so checks memoised on it, like the on-call DST check, run once).
 * Bounded; the oldest entry goes first. The models are never mutated by anyone.
 */
const MAX_PARSED_FILES = 256;
const parsedFiles = new Map<string, { doc: PositionedDocument; value: unknown }>();
function rememberParsed(key: string, entry: { doc: PositionedDocument; value: unknown }): void {
  if (parsedFiles.size >= MAX_PARSED_FILES) parsedFiles.delete(parsedFiles.keys().next().value as string);
  parsedFiles.set(key, entry);
}
const NO_OWNERS: ReturnType<typeof parseOwners> = Object.freeze({ rules: [], problems: [] });
/** OWNERS as parsed, by text (the same bound): an unchanged OWNERS is not parsed again when another file changes. */
const parsedOwners = new Map<string, ReturnType<typeof parseOwners>>();
function ownersOf(text: string): ReturnType<typeof parseOwners> {
  let owners = parsedOwners.get(text);
  if (!owners) {
    owners = parseOwners(text, OWNERS_FILE);
    if (parsedOwners.size >= MAX_PARSED_FILES) parsedOwners.delete(parsedOwners.keys().next().value as string);
    parsedOwners.set(text, owners);
  }
  return owners;
}

/**
 * The configuration's cross-file problems by the models they were computed from (each the very
 * object parsedFiles / parsedOwners hold for a text, never mutated): a commit that changes only
 * state/ (every one Charter makes) checks the configuration once, not again. configCrossCheck is
 * given no state, so the result depends on exactly these models. Bounded; the oldest goes first.
 */
const MAX_CONFIG_CHECKS = 32;
const configChecks: { models: readonly unknown[]; problems: readonly Problem[] }[] = [];
function configProblemsOf(g: Governance): readonly Problem[] {
  const models = [g.roles, g.oncall, g.incidents, g.authority, g.services, g.notify, g.deployments, g.owners];
  const known = configChecks.find((c) => c.models.every((m, i) => m === models[i]));
  if (known) return known.problems;
  const problems = configCrossCheck(g);
  if (configChecks.length >= MAX_CONFIG_CHECKS) configChecks.shift();
  configChecks.push({ models, problems });
  return problems;
}

/**
 * A state file (or oncall.yml) whose text Charter's own edits wrote or an earlier load validated
 * (src/core/killswitch/state-text.ts: parsed as parseYaml parses, no errors, checked by the same
 * zod schema as here), so it is not parsed again (after Charter's commit, above all). The JSON
 * Schema is still applied to the same YAML value (the zod schema alone is not the whole per-file
 * check); the secret scan ran on the text before this is asked.
 */
function knownStateText(name: YamlFileName, text: string): ValidatedStateText | undefined {
  if (!(name in STATE_TEMPLATES)) return undefined;
  const known = validatedStateText(name as StateFileName, text);
  return known && VALIDATORS[name](known.raw) ? known : undefined;
}

/** A state file's YAML, checked value and document, for Charter's next edit of it (src/core/killswitch/state-text.ts). */
function rememberState(name: YamlFileName, text: string, { doc, value }: { doc: PositionedDocument; value: unknown }): void {
  rememberValidated(name as StateFileName, text, { raw: doc.value, value, ...(doc.document ? { document: doc.document } : {}) });
}

/** A document whose positions are computed (by parsing) only if a problem must be located in it. */
function lazilyPositioned(text: string, value: unknown): PositionedDocument {
  let doc: PositionedDocument | undefined;
  return { value, syntaxErrors: [], locate: (path, at) => (doc ??= parseYaml(text)).locate(path, at) };
}

/** Parse, validate and cross-check a governance directory. Never throws for bad input. */
export async function loadGovernance<W extends Problem = Problem>(source: GovernanceSource, options: LoadOptions<W> = {}): Promise<LoadResult<W>> {
  const label = source.label || GOVERNANCE_DIR;
  const shown = (name: string) => `${label}/${name}`;
  const diagnostics: Diagnostic[] = [];
  const documents = new Map<string, PositionedDocument>();
  const parsed: Partial<Record<YamlFileName, unknown>> = {};

  const texts = await Promise.all(
    [...Object.keys(YAML_FILES), OWNERS_FILE].map(async (name) => [name, await source.read(name)] as const),
  );
  const textOf = new Map(texts);

  for (const name of Object.keys(YAML_FILES) as YamlFileName[]) {
    const text = textOf.get(name);
    if (text === undefined) {
      if (YAML_FILES[name].required) {
        diagnostics.push({ file: shown(name), line: 1, column: 1, message: `${shown(name)} is missing`, hint: "every governance directory needs roles.yml; see docs/governance.md" });
      }
      continue;
    }
    const cacheKey = `${name}\u0000${text}`;
    const known = parsedFiles.get(cacheKey);
    if (known) {
      documents.set(name, known.doc);
      parsed[name] = known.value;
      // the state texts' memo is smaller than this one: a text still here may have left it
      if (name in STATE_TEMPLATES && !validatedStateText(name as StateFileName, text)) rememberState(name, text, known);
      continue;
    }
    // Secrets never live in the repository: refused where they are (comments too), before anything else in the file.
    const textSecrets = secretTextProblems(name, text).map(locate);
    const state = textSecrets.length === 0 ? knownStateText(name, text) : undefined;
    if (state) {
      const doc = lazilyPositioned(text, state.raw);
      documents.set(name, doc);
      parsed[name] = state.value;
      rememberParsed(cacheKey, { doc, value: state.value });
      continue;
    }
    const doc = parseYaml(text);
    documents.set(name, doc);
    if (doc.syntaxErrors.length > 0) {
      diagnostics.push(...textSecrets);
      // One broken token can make the parser report an error per following token: show the first few.
      const shownErrors = doc.syntaxErrors.slice(0, MAX_SYNTAX_ERRORS_PER_FILE);
      for (const e of shownErrors) diagnostics.push({ file: shown(name), line: e.line, column: e.column, message: `YAML syntax error: ${e.message}`, hint: "check indentation and quoting around this point" });
      const more = doc.syntaxErrors.length - shownErrors.length;
      if (more > 0) {
        const last = shownErrors[shownErrors.length - 1]!;
        diagnostics.push({ file: shown(name), line: last.line, column: last.column, message: `YAML syntax error: ${more} more after this one, not shown`, hint: "fix the first error; the rest often follow from it" });
      }
      continue;
    }
    if (doc.value === null || doc.value === undefined) {
      diagnostics.push(...textSecrets);
      diagnostics.push({ file: shown(name), line: 1, column: 1, message: `${shown(name)} is empty`, hint: "start with `version: 1`" });
      continue;
    }
    const secrets = (name === "notify.yml" ? literalSecretProblems(doc.value) : []).map(locate);
    for (const d of textSecrets) if (!secrets.some((x) => x.line === d.line)) secrets.push(d);
    if (secrets.length > 0) {
      diagnostics.push(...secrets);
      continue;
    }
    const validate = VALIDATORS[name]; // compiled at build time (src/load/validators.ts)
    if (!validate(doc.value)) {
      for (const p of schemaProblems(name, validate.errors ?? [], doc.value)) diagnostics.push(locate(p));
      continue;
    }
    const result = YAML_FILES[name].schema.safeParse(doc.value);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const pos = doc.locate(issue.path as (string | number)[]);
        diagnostics.push({ file: shown(name), ...pos, message: issue.message });
      }
      continue;
    }
    parsed[name] = result.data;
    rememberParsed(cacheKey, { doc, value: result.data });
    if (name in STATE_TEMPLATES) rememberState(name, text, { doc, value: result.data });
  }

  const ownersText = textOf.get(OWNERS_FILE);
  const owners = ownersText === undefined ? NO_OWNERS : ownersOf(ownersText);
  for (const p of owners.problems) diagnostics.push(locate(p));

  if (diagnostics.length > 0) return { ok: false, diagnostics: sortDiagnostics(diagnostics) };

  const governance: Governance = {
    roles: parsed["roles.yml"] as Governance["roles"],
    oncall: parsed["oncall.yml"] as Governance["oncall"],
    incidents: parsed["incidents.yml"] as Governance["incidents"],
    authority: parsed["authority.yml"] as Governance["authority"],
    services: parsed["services.yml"] as Governance["services"],
    notify: parsed["notify.yml"] as Governance["notify"],
    deployments: parsed["deployments.yml"] as Governance["deployments"],
    owners: owners.rules,
    state: {
      phase: parsed["state/phase.yml"] as Governance["state"]["phase"],
      killswitch: parsed["state/killswitch.yml"] as Governance["state"]["killswitch"],
      log: parsed["state/log.yml"] as Governance["state"]["log"],
    },
  };
  for (const p of [...configProblemsOf(governance), ...stateCrossCheck(governance)]) diagnostics.push(locate(p));
  if (diagnostics.length > 0) return { ok: false, diagnostics: sortDiagnostics(diagnostics), unchecked: governance };
  const warnings = (options.warnings?.(governance) ?? []).map((warning) => ({ diagnostic: locate(warning), warning }));
  warnings.sort((a, b) => a.diagnostic.file.localeCompare(b.diagnostic.file) || a.diagnostic.line - b.diagnostic.line || a.diagnostic.column - b.diagnostic.column);
  return { ok: true, governance, diagnostics: [], warnings };

  function locate(p: Problem): Diagnostic {
    if (p.line !== undefined) return { file: shown(p.file), line: p.line, column: p.column ?? 1, message: p.message, ...(p.hint ? { hint: p.hint } : {}) };
    const doc = documents.get(p.file);
    const pos = doc ? doc.locate(p.path ?? [], p.at) : { line: 1, column: 1 };
    return { file: shown(p.file), ...pos, message: p.message, ...(p.hint ? { hint: p.hint } : {}) };
  }
}
