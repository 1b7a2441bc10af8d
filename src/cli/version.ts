import { createRequire } from "node:module";

/** Charter's version, from package.json (two levels above both src/cli/ and dist/cli/). */
export function charterVersion(): string {
  return (createRequire(import.meta.url)("../../package.json") as { version: string }).version;
}
