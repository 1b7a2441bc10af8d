import { z } from "zod";
import { RoleId, SchemaRef, SchemaVersion, pattern } from "./common.js";
import { TierRef } from "./roles.js";

export const Service = z.strictObject({
  title: z.string().optional(),
  owner: RoleId.meta({ description: "The owning team, as a role id." }),
  secondary: z.array(RoleId).optional().meta({ description: "Teams with secondary responsibility." }),
  oncall: TierRef.optional().meta({ description: "The on-call tier paged for incidents in this service." }),
  paths: z.array(z.string()).optional().meta({ description: "Where the service lives in the repository (OWNERS glob syntax)." }),
  slo: z.record(z.string(), z.union([z.string(), z.number()])).optional().meta({ description: "Service level objectives, free form." }),
});
export type Service = z.infer<typeof Service>;

export const ServicesFile = z
  .strictObject({
    $schema: SchemaRef,
    version: SchemaVersion,
    services: z.record(pattern(/^[a-z0-9][a-z0-9-]*$/, "a service id is lower-case words joined by dashes"), Service),
  })
  .meta({ title: "Charter services (governance/services.yml)" });
export type ServicesFile = z.infer<typeof ServicesFile>;
