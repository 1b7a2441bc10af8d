/**
 * The deployment day's messages (seed 004, "Communication Plan"): the status update, the issue
 * notification, the resolution and the all-clear, each a template of deployments.yml with seed
 * 004's words as the default. Pure.
 */
import { fillTemplate, type TemplateValues } from "../incidents/template.js";
import type { DeploymentKind, DeploymentTemplates } from "../model/deployments.js";

export const DEPLOYMENT_PLACEHOLDERS = {
  status: ["title", "time", "status", "elapsed", "planned", "stages", "issues", "text", "next"],
  issue: ["title", "type", "severity", "time", "description", "action", "eta", "assignee"],
  resolution: ["title", "issue", "duration", "status", "cause", "next"],
  all_clear: ["title", "duration", "metrics", "team"],
} as const satisfies Record<keyof DeploymentTemplates, readonly string[]>;

export const DEFAULT_TEMPLATES: Required<DeploymentTemplates> = {
  status: ["[Deployment Status - {{time}}]", "📊 Status: {{status}}", "⏱️ Elapsed: {{elapsed}}", "{{stages}}", "🚨 Issues: {{issues}}", "{{text}}", "Next update: {{next}}"].join("\n"),
  issue: ["🚨 ALERT: {{type}}", "Severity: {{severity}}", "Time: {{time}}", "Description: {{description}}", "Action: {{action}}", "ETA: {{eta}}", "Assignee: {{assignee}}"].join("\n"),
  resolution: ["✅ RESOLVED: {{issue}}", "Resolution Time: {{duration}}", "Status: {{status}}", "Root Cause: {{cause}}", "Next Steps: {{next}}"].join("\n"),
  all_clear: ["🎉 DEPLOYMENT COMPLETE", "Deployment: SUCCESS", "Duration: {{duration}}", "Checks: All passing ✓", "Status: Live in production", "Metrics: {{metrics}}", "Next: Monitoring continues for 24 hours", "Thanks to: {{team}}"].join("\n"),
};

export type TemplateName = keyof typeof DEPLOYMENT_PLACEHOLDERS;

/** The message `name` of deployment kind `d`, filled with `values` (user text in them is already neutralised). */
export function deploymentText(d: DeploymentKind, name: TemplateName, values: TemplateValues): string {
  const template = d.templates?.[name] ?? DEFAULT_TEMPLATES[name];
  return fillTemplate(template.trimEnd(), values, DEPLOYMENT_PLACEHOLDERS[name]);
}
