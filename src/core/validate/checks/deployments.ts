import type { Governance } from "../../model/governance.js";
import { DEPLOYMENT_PLACEHOLDERS } from "../../deployment/templates.js";
import type { Problem } from "../problem.js";

/**
 * deployments.yml across files: item and stage ids unique in a deployment (`/done <id>` names one),
 * labels unique across kinds, the rollback type exists in authority.yml, templates use only
 * placeholders Charter fills, and a label is not the incidents' label.
 */
export function deploymentProblems(g: Governance): Problem[] {
  const out: Problem[] = [];
  const file = "deployments.yml";
  const labels = new Map<string, string>();
  for (const [id, d] of Object.entries(g.deployments?.deployments ?? {})) {
    const base = ["deployments", id];
    const label = d.label.toLowerCase();
    const other = labels.get(label);
    if (other) out.push({ file, path: [...base, "label"], message: `deployments ${other} and ${id} use the same label \`${d.label}\`; each kind needs its own` });
    labels.set(label, id);
    if (g.incidents && g.incidents.label.name.toLowerCase() === label) out.push({ file, path: [...base, "label"], message: `\`${d.label}\` is the incidents' label (incidents.yml); a deployment needs another` });
    const items = new Set<string>();
    const stages = new Set<string>();
    d.stages.forEach((st, si) => {
      if (stages.has(st.id)) out.push({ file, path: [...base, "stages", si, "id"], message: `stage \`${st.id}\` appears twice in deployment ${id}` });
      stages.add(st.id);
      st.items.forEach((item, ii) => {
        if (items.has(item.id)) out.push({ file, path: [...base, "stages", si, "items", ii, "id"], message: `item \`${item.id}\` appears twice in deployment ${id}; \`/done <id>\` must name one item` });
        items.add(item.id);
      });
    });
    if (d.rollback !== undefined && !g.authority?.rollback?.types[d.rollback]) {
      const known = Object.keys(g.authority?.rollback?.types ?? {});
      out.push({ file, path: [...base, "rollback"], message: `unknown rollback type \`${d.rollback}\`; authority.yml rollback.types defines: ${known.join(", ") || "none"}` });
    }
    for (const [name, text] of Object.entries(d.templates ?? {})) {
      const known: readonly string[] | undefined = DEPLOYMENT_PLACEHOLDERS[name as keyof typeof DEPLOYMENT_PLACEHOLDERS];
      if (!text || !known) continue;
      for (const p of placeholders(text)) {
        if (!known.includes(p)) out.push({ file, path: [...base, "templates", name], message: `unknown placeholder {{${p}}} in the ${name} template; known: ${known.map((k) => `{{${k}}}`).join(", ")}` });
      }
    }
  }
  return out;
}

/** The `{{name}}` placeholders of a template, in a linear scan. */
function placeholders(text: string): string[] {
  const out: string[] = [];
  let at = text.indexOf("{{");
  while (at >= 0) {
    const end = text.indexOf("}}", at + 2);
    if (end < 0) break;
    out.push(text.slice(at + 2, end).trim());
    at = text.indexOf("{{", end + 2);
  }
  return out;
}
