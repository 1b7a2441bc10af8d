import { z } from "zod";
import { Instant, LocalDate, Login, SchemaRef, SchemaVersion, TimeOfDay, Weekday, Duration, pattern } from "./common.js";
import { TierRef } from "./roles.js";

const Id = pattern(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, "an id is lower-case words joined by dashes");

/** The end of a coverage window: a time of day, or `24:00` for the end of the day. */
const CoverageEnd = pattern(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, "a time of day as HH:MM, 24-hour clock, e.g. 18:00 (24:00 = end of the day)");

/**
 * Hours during which a tier or layer is on duty, in the schedule's time zone: on each listed day
 * from `from` (inclusive) to `to` (exclusive). A window cannot cross midnight.
 */
export const Coverage = z.union([
  z.literal("always").meta({ description: "24/7." }),
  z.strictObject({
    days: z.array(Weekday).min(1).meta({ description: "Days of the week covered." }),
    from: TimeOfDay.meta({ description: "Start of cover on each listed day (local time, inclusive)." }),
    to: CoverageEnd.meta({ description: "End of cover on each listed day (local time, exclusive); must be after `from`. `24:00` = end of the day." }),
  }),
]);
export type Coverage = z.infer<typeof Coverage>;

export const Handoff = z
  .strictObject({
    day: Weekday.optional().meta({ description: "Weekly rotations (required, weekly only): the day of the handoff." }),
    day_of_month: z.number().int().min(1).max(28).optional().meta({ description: "Monthly rotations (required, monthly only): the day of the month (1-28)." }),
    time: TimeOfDay.meta({ description: "Local time of the handoff, e.g. 09:00. It must exist on every handoff day (not inside a daylight-saving jump)." }),
  })
  .meta({ description: "When a shift hands over, in the schedule's time zone." });

export const Layer = z.strictObject({
  name: z.string().optional().meta({ description: "A name for this layer, shown in `charter oncall`." }),
  rotation: z.enum(["daily", "weekly", "monthly"]).meta({ description: "How often the shift hands over." }),
  every: z.number().int().min(1).optional().meta({ description: "Hand over every N days/weeks/months (default 1)." }),
  handoff: Handoff,
  start: LocalDate.meta({ description: "Local date from which the rotation runs: the first participant starts at the first handoff on or after this date." }),
  // Not `.min(1)`: an empty list is reported by the on-call checks with a clearer message.
  participants: z.array(Login).meta({ description: "Who rotates, in order (at least one)." }),
  coverage: Coverage.optional().meta({ description: "Restrict this layer to some hours (default: always)." }),
  backup: z
    .array(Login)
    .optional()
    .meta({
      description:
        "Who covers a shift while its person is unavailable (oncall.yml `unavailable`, or a public holiday of their `people` calendar): the first of these who is available then. Default: the next participants in turn order (the next shift's person, then the one after, …). `[]`: nobody in this layer covers (an earlier layer on duty, else the tier's `fallback`, answers).",
    }),
});
export type Layer = z.infer<typeof Layer>;

export const Tier = z.strictObject({
  title: z.string().optional(),
  response: Duration.optional().meta({ description: "Expected response time, e.g. 15m (documentary; deadlines live in incidents.yml)." }),
  coverage: Coverage.optional().meta({ description: "When this tier is on duty (default: always)." }),
  fallback: TierRef.optional().meta({ description: "Who answers outside the coverage hours, as schedule/tier." }),
  escalates_to: z.string().optional().meta({ description: "Who this tier escalates to, in words (the ladder itself is in incidents.yml)." }),
  layers: z.array(Layer).min(1).meta({ description: "Rotation layers; when several are on duty the later one in the list wins." }),
});
export type Tier = z.infer<typeof Tier>;

export const Override = z.strictObject({
  tier: pattern(/^[a-z][a-z0-9-]*$/, "a tier id of this schedule, e.g. primary").meta({ description: "Which tier of this schedule." }),
  from: Instant,
  until: Instant,
  who: Login.meta({ description: "Who is on call instead." }),
  replaces: Login.optional().meta({ description: "Only replace this person, and only while they are on call (a swap); without it, the override covers the tier whoever is on shift." }),
  reason: z.string().optional(),
});
export type Override = z.infer<typeof Override>;

export const Schedule = z.strictObject({
  title: z.string().optional(),
  timezone: z.string().min(1).meta({ description: "IANA time zone of handoffs and coverage hours, e.g. Europe/Berlin." }),
  tiers: z.record(Id, Tier).meta({ description: "Tiers by id, e.g. primary, secondary." }),
  overrides: z.array(Override).optional().meta({ description: "Swaps, vacations and cover between two instants (from inclusive, until exclusive); applied in order, the last matching one wins." }),
});
export type Schedule = z.infer<typeof Schedule>;

/** A date (a whole local day) or an instant with its offset. */
export const DateOrInstant = pattern(
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/,
  "a date such as 2025-03-24, or an instant with its offset such as 2025-03-24T09:00+01:00",
);

/** A public-holiday calendar of `date-holidays`: a country, optionally a state and a region (`DE`, `DE-BE`, `US-NY`). */
export const HolidayCalendar = pattern(/^[A-Z]{2}(?:-[A-Za-z0-9]{1,12}){0,2}$/, "a country code, optionally with a state, e.g. DE, DE-BE, US-NY, GB-ENG").meta({
  description: "Public holidays of a country (ISO 3166-1 code, e.g. `DE`), optionally of one of its states or regions (`DE-BE`, `US-NY`).",
});

export const Unavailability = z
  .strictObject({
    who: Login.meta({ description: "Who is unavailable (vacation, leave, …)." }),
    from: DateOrInstant.meta({ description: "From this date (the start of that day in the person's time zone) or instant (included)." }),
    to: DateOrInstant.meta({ description: "To this date (the whole day included) or instant (excluded)." }),
    reason: z.string().optional().meta({ description: "Shown by `charter oncall` and the drill, e.g. `Vacation`." }),
  })
  .meta({ description: "A person is not on call between two dates or instants: a rotation skips them to the shift's backup." });
export type Unavailability = z.infer<typeof Unavailability>;

export const PersonAvailability = z
  .strictObject({
    timezone: z.string().min(1).optional().meta({ description: "The IANA time zone the person's dates are read in (default: the first schedule's)." }),
    holidays: HolidayCalendar.optional(),
  })
  .meta({ description: "A person's time zone and public-holiday calendar." });
export type PersonAvailability = z.infer<typeof PersonAvailability>;

export const OncallFile = z
  .strictObject({
    $schema: SchemaRef,
    version: SchemaVersion,
    schedules: z.record(Id, Schedule),
    people: z
      .record(Login, PersonAvailability)
      .optional()
      .meta({ description: "Per person (GitHub login): the time zone their dates are read in, and the public holidays they do not work." }),
    unavailable: z
      .array(Unavailability)
      .optional()
      .meta({ description: "Vacation, leave and other absences: a rotation skips an unavailable person to the backup of that shift." }),
    handoff_checklist: z
      .strictObject({ outgoing: z.array(z.string()), incoming: z.array(z.string()) })
      .optional()
      .meta({ description: "What the outgoing and incoming on-call do at handoff." }),
    expectations: z
      .array(z.strictObject({ name: z.string(), requirement: z.string() }))
      .optional()
      .meta({ description: "What is expected of whoever is on call." }),
  })
  .meta({ title: "Charter on-call (governance/oncall.yml)" });
export type OncallFile = z.infer<typeof OncallFile>;
