import { z } from "zod";

/**
 * A string that must match `re`. The message travels into the JSON Schema as `x-message`,
 * so the validator explains a mismatch in words instead of printing the regular expression.
 */
export function pattern(re: RegExp, message: string) {
  return z.string().regex(re, message).meta({ "x-message": message });
}

/** A role id: lower-case words joined by dashes, e.g. `ingestion-owner`. */
export const RoleId = pattern(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, "a role id is lower-case words joined by dashes, e.g. sre-lead")
  .meta({ description: "A role id from roles.yml (lower-case, dashes), e.g. `sre-lead`." });
export type RoleId = z.infer<typeof RoleId>;

/**
 * Ids reserved for "any person with access to the repository" and "every role", never defined in
 * roles.yml. `anyone` never means any GitHub user: GitHub's `author_association` must say the person
 * has access (owner, organisation member, collaborator; src/core/access/association.ts). People
 * without access (an outsider on a public repository) act only where a table opts in explicitly
 * (`public`, below).
 */
export const ANYONE = "anyone";
export const EVERYONE = "everyone";

/** A role reference in authority tables: a role id, or `anyone` / `everyone`. */
export const RoleRef = RoleId.meta({
  description: "A role id from roles.yml, or `anyone` (any person with access to the repository: its owner, organisation members, collaborators) or `everyone` (all roles).",
});

export const RoleList = z.array(RoleRef).meta({ description: "A list of role ids." });

/** A GitHub login (no leading @). */
export const Login = pattern(/^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/, "a GitHub login: letters, digits and single dashes, without @")
  .meta({ description: "A GitHub login, without @." });

/** `org/team-slug` */
export const TeamRef = pattern(/^[A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9][A-Za-z0-9_.-]*$/, "a team is written org/team-slug")
  .meta({ description: "A GitHub team, written `org/team-slug`." });

export const Person = pattern(/^(?:[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})(?:\/[A-Za-z0-9][A-Za-z0-9_.-]*)?$/, "a holder is a GitHub login (alice) or a team (org/team-slug), without @")
  .meta({ description: "A GitHub login (`alice`) or a team (`org/team-slug`), without @." });

/**
 * A duration: `15m`, `1h`, `1h30m`, `24h`, `5d`, `90s`, or `0`.
 * Parsed by core/duration.ts; the pattern here lets editors flag typos.
 */
export const Duration = pattern(/^(?:0|(?=\d)(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?)$/, "a duration such as 15m, 1h, 1h30m, 24h or 5d")
  .meta({ description: "A duration: a number followed by w, d, h, m or s, e.g. `15m`, `1h30m`, `24h`, `5d`." });

/** A local time of day, HH:MM (24 h). */
export const TimeOfDay = pattern(/^(?:[01]\d|2[0-3]):[0-5]\d$/, "a time of day as HH:MM, 24-hour clock, e.g. 09:00")
  .meta({ description: "A local time of day, `HH:MM` on a 24-hour clock." });

export const Weekday = z.enum(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]);
export type Weekday = z.infer<typeof Weekday>;

/** An ISO 8601 instant with an offset or Z, e.g. 2025-03-10T09:00:00+01:00. */
export const Instant = pattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/, "an instant with its offset, e.g. 2025-03-10T09:00+01:00 or 2025-03-10T08:00Z")
  .meta({ description: "An ISO 8601 instant with an offset or `Z`, e.g. `2025-03-10T09:00+01:00`." });

/** A calendar date, YYYY-MM-DD. */
export const LocalDate = pattern(/^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/, "a date as YYYY-MM-DD")
  .meta({ description: "A calendar date, `YYYY-MM-DD`." });

export const LabelColor = pattern(/^[0-9a-fA-F]{6}$/, "a colour as six hex digits without #, e.g. b60205")
  .meta({ description: "A label colour: six hex digits without `#`." });

export const SchemaVersion = z.literal(1).meta({ description: "File format version. Always 1." });

/** The `$schema` key editors may add; ignored by Charter. */
export const SchemaRef = z.string().optional().meta({ description: "Optional JSON Schema reference for editors." });

/**
 * The explicit opt-in for people without access to the repository (on a public repository: any
 * GitHub user who can comment), with a rate limit counted from the repository's own history (the
 * log), never from memory, so it holds across restarts, replicas and Actions runs.
 */
export const PublicOptIn = z
  .strictObject({
    max: z.number().int().min(1).max(1000).meta({ description: "At most this many such actions in the repository within `per` (all scenarios together)." }),
    per: Duration.meta({ description: "The window the limit counts over, e.g. `1h`." }),
  })
  .meta({
    description: "Also let people WITHOUT access to the repository (outsiders on a public repository) do this, at most `max` times per `per` in the repository. Without it, `anyone` means people with access only.",
  });
export type PublicOptIn = z.infer<typeof PublicOptIn>;
