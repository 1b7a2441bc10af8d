/**
 * Access to a repository, as GitHub records it on every comment, issue and pull request
 * (`author_association`). GitHub computes it; nobody can claim it. `anyone` in the governance
 * files means a person with access to the repository, never any GitHub user who can comment on a
 * public repository.
 */

export type AuthorAssociation =
  | "OWNER"
  | "MEMBER"
  | "COLLABORATOR"
  | "CONTRIBUTOR"
  | "FIRST_TIME_CONTRIBUTOR"
  | "FIRST_TIMER"
  | "MANNEQUIN"
  | "NONE";

/** Associations that mean access to the repository: its owner, members of its organisation, collaborators. */
const WITH_ACCESS: ReadonlySet<string> = new Set(["OWNER", "MEMBER", "COLLABORATOR"]);

/** Whether GitHub's association says the person has access to the repository. Unknown values fail closed. */
export function hasRepositoryAccess(association: string | undefined | null): boolean {
  return association !== undefined && association !== null && WITH_ACCESS.has(association);
}

/** Words for a refusal: who the person is to the repository. */
export function associationWords(association: string | undefined | null): string {
  switch (association) {
    case "CONTRIBUTOR":
      return "has contributed before but has no access to this repository";
    case "FIRST_TIME_CONTRIBUTOR":
    case "FIRST_TIMER":
      return "is a first-time contributor without access to this repository";
    case "MANNEQUIN":
      return "is a placeholder account from an import";
    case "OWNER":
    case "MEMBER":
    case "COLLABORATOR":
      return "has access to this repository";
    default:
      return "has no access to this repository";
  }
}
