/** One owner on an OWNERS line: a role id (bare word), a user (@login) or a team (@org/team). */
export type Owner =
  | { kind: "role"; id: string }
  | { kind: "user"; login: string }
  | { kind: "team"; team: string };

/** One rule of governance/OWNERS, in file order. The last matching rule wins. */
export interface OwnersRule {
  pattern: string;
  owners: Owner[];
  /** 1-based line in governance/OWNERS, for messages. */
  line: number;
}
