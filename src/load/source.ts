import { readFile } from "node:fs/promises";
import { join } from "node:path";

/** Where governance files come from: a directory on disk, or a ref of a GitHub repository. */
export interface GovernanceSource {
  /** How files are named in messages, e.g. `governance` → `governance/roles.yml`. */
  readonly label: string;
  /** The file's text, or undefined when it does not exist. */
  read(relativePath: string): Promise<string | undefined>;
}

export function directorySource(dir: string, label = dir): GovernanceSource {
  return {
    label,
    async read(relativePath) {
      try {
        return await readFile(join(dir, relativePath), "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    },
  };
}

/** Files held in memory (tests, GitHub contents already fetched). */
export function memorySource(files: Record<string, string>, label = "governance"): GovernanceSource {
  return { label, read: async (p) => files[p] };
}
