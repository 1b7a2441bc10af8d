/** The deployment issue form: what `charter init` writes, and how Charter reads GitHub's rendering of it back. */
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { renderDeploymentForm } from "../../src/cli/init/deployment-form.js";
import { deploymentKindOf, parseDeploymentForm, parseStart } from "../../src/core/deployment/form.js";
import { loadGovernance } from "../../src/load/load.js";
import { directorySource } from "../../src/load/source.js";

const dir = join(import.meta.dirname, "..", "..", "examples", "deployment-day", "governance");

describe("the deployment issue form", () => {
  it("sets the kind's label, offers the kinds and asks for the planned start; the answers read back", async () => {
    const r = await loadGovernance(directorySource(dir, "governance"));
    if (!r.ok) throw new Error("invalid example");
    const file = r.governance.deployments!;
    const form = parse(renderDeploymentForm(file)) as { labels: string[]; body: { id?: string; attributes: { label?: string; options?: string[] } }[] };
    expect(form.labels).toEqual(["deployment"]);
    expect(form.body.find((b) => b.id === "deployment")!.attributes.options).toEqual(["production — Production deployment (Phase 6.5)"]);
    expect(form.body.find((b) => b.id === "start")!.attributes.label).toBe("Planned start (UTC)");
    // GitHub renders the answers as ### sections
    const body = "### Deployment\n\nproduction — Production deployment (Phase 6.5)\n\n### Planned start (UTC)\n\n2025-11-11 05:10\n\n### What is deployed\n\n_No response_";
    expect(parseDeploymentForm(body, file)).toEqual({ kind: "production", start: new Date("2025-11-11T05:10:00Z") });
    expect(deploymentKindOf(file, ["deployment"], body)).toBe("production");
    expect(deploymentKindOf(file, ["incident"], body)).toBeUndefined(); // the label decides, not the body
  });

  it("reads a start only when it is a real UTC instant; anything else is none", () => {
    expect(parseStart("2025-11-11T05:10Z")).toEqual(new Date("2025-11-11T05:10:00Z"));
    expect(parseStart("2025-11-11 05:10 UTC")).toEqual(new Date("2025-11-11T05:10:00Z"));
    expect(parseStart("2025-02-30 05:10")).toBeUndefined();
    expect(parseStart("tomorrow 5am")).toBeUndefined();
    expect(parseStart(`2025-11-11 05:10${" ".repeat(100_000)}x`)).toBeUndefined();
  });
});
