import { z } from "zod";
import { Person, RoleId, SchemaRef, SchemaVersion, pattern } from "./common.js";

/** `schedule/tier` in oncall.yml, e.g. `ingestion/primary`. */
export const TierRef = pattern(/^[a-z][a-z0-9-]*\/[a-z][a-z0-9-]*$/, "an on-call tier is written schedule/tier, e.g. ingestion/primary")
  .meta({ description: "An on-call tier from oncall.yml, written `schedule/tier`." });

export const Role = z
  .strictObject({
    title: z.string().min(1).meta({ description: "The role's name as people say it, e.g. `SRE Lead`." }),
    group: z.string().optional().meta({ description: "Free-text grouping, e.g. `technical` or `business`." }),
    responsibility: z.string().optional().meta({ description: "What this role is responsible for." }),
    authority: z.array(z.string()).optional().meta({ description: "What this role may decide, in words." }),
    holders: z
      .array(Person)
      .optional()
      .meta({ description: "Who holds the role: GitHub logins and/or `org/team` teams. Holders can sign off." }),
    backups: z
      .array(Person)
      .optional()
      .meta({ description: "Who stands in when no holder is available. Backups can sign off too; pages go to holders first." }),
    oncall: z
      .union([TierRef, z.array(TierRef).min(1)])
      .optional()
      .meta({ description: "Resolve the holders from on-call tier(s) at the moment of evaluation, e.g. `ingestion/primary`." }),
    contacts: z
      .record(z.string(), z.string())
      .optional()
      .meta({ description: "How to reach the role outside GitHub (pager, phone, Slack), free text." }),
  })
  .meta({ description: "A role: title, holders (or an on-call tier), backups, authority." });
export type Role = z.infer<typeof Role>;

export const RolesFile = z
  .strictObject({
    $schema: SchemaRef,
    version: SchemaVersion,
    roles: z.record(RoleId, Role).meta({ description: "Roles by id." }),
  })
  .meta({ title: "Charter roles (governance/roles.yml)" });
export type RolesFile = z.infer<typeof RolesFile>;
