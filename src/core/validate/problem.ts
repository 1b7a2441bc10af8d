/**
 * A problem found in governance files, located either by a path into a YAML document
 * (`["roles", "sre-lead", "holders", 0]`) or directly by line and column (OWNERS).
 * The loader turns paths into `file:line:column`.
 */
export interface Problem {
  file: string;
  path?: readonly (string | number)[];
  /** Point at the key itself rather than its value (e.g. an unknown key). */
  at?: "key" | "value";
  line?: number;
  column?: number;
  message: string;
  hint?: string;
}
