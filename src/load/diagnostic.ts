/** A located, explained error in a governance file. Nothing else reaches a user. */
export interface Diagnostic {
  /** Path as the user knows it, e.g. `governance/roles.yml`. */
  file: string;
  line: number;
  column: number;
  message: string;
  hint?: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.message}${d.hint ? ` (${d.hint})` : ""}`;
}

/** `governance/oncall.yml:12:7: warning: message (hint)`: a warning about valid files. */
export function formatWarning(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: warning: ${d.message}${d.hint ? ` (${d.hint})` : ""}`;
}

/** `::error file=…,line=…,col=…::message` (or `::warning …`) for GitHub Actions annotations. */
export function formatAnnotation(d: Diagnostic, level: "error" | "warning" = "error"): string {
  const escape = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  const prop = (s: string) => escape(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
  return `::${level} file=${prop(d.file)},line=${d.line},col=${d.column}::${escape(d.message + (d.hint ? ` (${d.hint})` : ""))}`;
}

export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}
