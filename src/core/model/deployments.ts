import { z } from "zod";
import { Duration, RoleId, RoleList, SchemaRef, SchemaVersion, pattern } from "./common.js";

/** An id inside deployments.yml (a deployment kind, a stage, a checklist item): lower-case words joined by dashes. */
const LocalId = pattern(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, "an id is lower-case words joined by dashes, e.g. pre-flight");

/** An offset from the deployment's start T: `T-30m`, `T`, `T+10m`, `T+1h`. */
export const TOffset = pattern(/^T(?:[+-](?=\d)(?:\d+h)?(?:\d+m)?)?$/, "an offset from the start such as T-30m, T, T+10m or T+1h").meta({
  description: "When the stage begins, from the deployment's start T (the issue form's planned start): `T-30m`, `T`, `T+10m`, `T+1h`.",
});

export const ChecklistItem = z
  .strictObject({
    id: LocalId.meta({ description: "The item's id, unique in the deployment: what `/done <id>` names." }),
    text: z.string().min(1).max(200).meta({ description: "The item, as people read it, e.g. `Production backup taken`." }),
    owner: RoleId.meta({ description: "The role whose holders tick it (`/done <id>`): a tick by anyone else does not count." }),
  })
  .meta({ description: "One checklist item of a stage, owned by a role." });
export type ChecklistItem = z.infer<typeof ChecklistItem>;

export const Stage = z
  .strictObject({
    id: LocalId,
    title: z.string().min(1).max(100),
    at: TOffset,
    items: z.array(ChecklistItem).min(1),
  })
  .meta({ description: "A stage of the deployment day (seed 004: T-30 pre-deployment, T-20 pre-flight, T-10…T+10 deployment, T+10…T+30 verification, T+30 go-live)." });
export type Stage = z.infer<typeof Stage>;

export const DeploymentTemplates = z
  .strictObject({
    status: z.string().max(2000).optional().meta({ description: "The status update (`/status`). Placeholders: `{{time}}`, `{{status}}`, `{{elapsed}}`, `{{planned}}`, `{{stages}}`, `{{issues}}`, `{{text}}`, `{{next}}`, `{{title}}`." }),
    issue: z.string().max(2000).optional().meta({ description: "The issue notification (`/alert`). Placeholders: `{{type}}`, `{{severity}}`, `{{time}}`, `{{description}}`, `{{action}}`, `{{eta}}`, `{{assignee}}`, `{{title}}`." }),
    resolution: z.string().max(2000).optional().meta({ description: "The resolution notification (`/resolved`). Placeholders: `{{issue}}`, `{{duration}}`, `{{status}}`, `{{cause}}`, `{{next}}`, `{{title}}`." }),
    all_clear: z.string().max(2000).optional().meta({ description: "The all-clear (`/all-clear`). Placeholders: `{{duration}}`, `{{metrics}}`, `{{team}}`, `{{title}}`." }),
  })
  .meta({ description: "The message formats (seed 004's communication plan). Each has a default in seed 004's words." });
export type DeploymentTemplates = z.infer<typeof DeploymentTemplates>;

export const DeploymentKind = z
  .strictObject({
    title: z.string().min(1).max(100),
    label: pattern(/^[^,\s][^,]{0,48}$/, "a label name (no commas)").meta({ description: "The label the deployment issue form sets; an open issue with it is a deployment of this kind." }),
    lead: RoleId.meta({ description: "The Deployment Lead's role: reminded of missed status updates, may post them and declare the all-clear." }),
    go_no_go: z
      .strictObject({
        decide: RoleList.min(1).meta({ description: "The roles whose holders may sign go (`/go`) or no-go (`/no-go <reason>`)." }),
        criteria: z.array(z.string().min(1).max(200)).optional().meta({ description: "What GO means (seed 004's decision formula), shown on the issue." }),
      })
      .meta({ description: "The go/no-go gate: nothing is ticked as deployed, and no update is due, before it is signed go." }),
    updates: z
      .strictObject({
        every: Duration.meta({ description: "How often a status update is due between go and the all-clear, e.g. `5m`." }),
        by: RoleList.min(1).optional().meta({ description: "Who may post one (`/status`); default the lead." }),
      })
      .meta({ description: "The status-update cadence during the deployment window; a missed update reminds the lead." }),
    rollback: LocalId.optional().meta({ description: "The authority.yml rollback type a rollback of this deployment goes through (its gate), e.g. `planned`." }),
    stages: z.array(Stage).min(1),
    templates: DeploymentTemplates.optional(),
  })
  .meta({ description: "A kind of deployment: its go/no-go gate, stages and checklist items owned by roles, update cadence, rollback and messages." });
export type DeploymentKind = z.infer<typeof DeploymentKind>;

export const DeploymentsFile = z
  .strictObject({
    $schema: SchemaRef,
    version: SchemaVersion,
    deployments: z.record(LocalId, DeploymentKind).meta({ description: "Deployment kinds by id (the issue form picks one)." }),
  })
  .meta({ title: "Charter deployments.yml", description: "Deployment days (seed 004): tracked issues with a go/no-go gate, stages owned by roles, a status-update cadence and message templates." });
export type DeploymentsFile = z.infer<typeof DeploymentsFile>;
