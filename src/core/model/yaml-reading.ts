/**
 * How governance YAML is read, everywhere a value is taken from a file's text: the loader
 * (src/load/yaml-document.ts) and Charter's edits of the state files, whose remembered values
 * must be exactly what the loader would read (src/core/killswitch/state-text.ts).
 */
export const YAML_READ = { prettyErrors: false, uniqueKeys: true, strict: true } as const;
/** Aliases may expand at most this many times: a small file cannot become a huge value. */
export const YAML_TO_JS = { maxAliasCount: 100 } as const;
