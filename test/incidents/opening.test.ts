/**
 * How an issue becomes an incident: the issue form (labels not yet in the repository), a severity
 * label, the incident label alone; labels created once; routing by service or area.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import { governanceFiles, OWNER, REPO } from "../support/governance-mock.js";
import { cleanup, d9Files, pageLines, sevenPersonFiles, sweepEvery, world } from "./support/world.js";

afterEach(cleanup);

const T0 = "2025-06-04T10:00:00Z";
const R = `/repos/${OWNER}/${REPO}`;

/** The body GitHub writes for an issue created from .github/ISSUE_TEMPLATE/incident.yml. */
function formBody(severity: string, impact: string, service = "_No response_"): string {
  return `### Severity\n\n${severity}\n\n### Impact\n\n${impact}\n\n### Service or area\n\n${service}\n\n### What you know so far\n\n_No response_`;
}

describe("opening an incident", () => {
  it("from the issue form in a repository without the labels: creates the missing labels, labels, assigns, posts the start message", async () => {
    const w = await world({ t0: T0 });
    w.gh.addLabel("bug", "d73a4a");
    await w.open({ number: 5, title: "Uploads failing", body: formBody("P1 — System down, data at risk", "All uploads fail with 500 since 11:50"), labels: [] });
    const writes = w.gh.api().map((r) => `${r.method} ${r.path}${r.method === "POST" && r.path.endsWith("/labels") && r.body?.name ? ` ${String(r.body.name)}` : ""}`);
    expect(writes).toEqual([
      `GET ${R}/labels`,
      `POST ${R}/labels incident`,
      `POST ${R}/labels severity: P1`,
      `POST ${R}/labels severity: P2`,
      `POST ${R}/labels severity: P3`,
      `POST ${R}/issues/5/labels`,
      `POST ${R}/issues/5/comments`,
      `POST ${R}/issues/5/assignees`,
    ]);
    expect(w.gh.labels.get("severity: p1")).toEqual({ name: "severity: P1", color: "b60205", description: "P1: System down. System down, data at risk, all clients affected" });
    expect(w.gh.labels.get("incident")).toEqual({ name: "incident", color: "d73a4a", description: "An incident handled by Charter" });
    expect(w.gh.issues.get(5)!.labels).toEqual(["incident", "severity: P1"]);
    expect(w.gh.posted(5)[0]!.body).toContain("Impact: All uploads fail with 500 since 11:50\n");
    // a second incident in the same process does not list labels again
    w.gh.clear();
    await w.open({ number: 6, title: "Exports slow", labels: ["incident", "severity: P2"] });
    expect(w.gh.api().map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${R}/issues/6/comments`, `POST ${R}/issues/6/assignees`]);
  });

  it("the incident label alone opens the default severity (P2) and adds its label", async () => {
    const w = await world({ t0: T0 });
    await w.open({ number: 8, title: "Something is off", labels: ["incident"] });
    expect(w.gh.issues.get(8)!.labels).toEqual(["incident", "severity: P2"]);
    expect(w.gh.state(8).severity).toBe("P2");
  });

  it("a severity label added later opens the incident then, and the ladder counts from the label", async () => {
    const w = await world({ t0: T0 });
    w.gh.addIssue({ number: 9, title: "Errors", labels: [] });
    w.at(30);
    w.gh.issues.get(9)!.labels.push("severity: P1");
    await w.deliver("issues", w.gh.issuesPayload("labeled", 9, { label: "severity: P1", sender: "olga-oncall" }));
    expect(w.gh.state(9).openedAt).toBe("2025-06-04T10:30:00.000Z");
    expect(w.gh.issues.get(9)!.labels).toEqual(["severity: P1", "incident"]);
  });

  it("issues that are not incidents cost no request beyond the governance check", async () => {
    const w = await world({ t0: T0 });
    await w.open({ number: 10, title: "Add dark mode", body: "### Description\n\nplease", labels: ["enhancement"] });
    expect(w.gh.api()).toEqual([]);
  });

  it("routes by the area named in the form (seed 000 specialty coverage): assigned to the security on-call, primary notified", async () => {
    const w = await world({ t0: "2025-06-04T14:00:00Z", files: sevenPersonFiles() });
    await w.open({ number: 11, title: "Suspicious logins", body: formBody("P1", "Credential stuffing against /login", "Security"), labels: [] });
    const start = w.gh.posted(11)[0]!.body;
    // the route's declared backup (security/secondary: the Tech Lead), not June's team secondary, who is sasha-sec too
    expect(start).toContain("On-call: @sasha-sec (secondary: `tara-lead`)");
    expect(start).toContain("📣 **Routing for `Security`**: @bea-backend (Primary On-Call)");
    expect(start).toContain("**Assigned:** `sasha-sec` (Security On-Call, routing for `Security`)");
    expect(w.gh.issues.get(11)!.assignees).toEqual(["sasha-sec", "bea-backend"]);
  });

  it("routes by service (seed 002): the owning team's on-call is assigned, the team (a GitHub team) mentioned", async () => {
    const w = await world({ t0: "2025-06-04T10:00:00Z", files: governanceFiles("examples/microservices/governance") });
    await w.open({ number: 13, title: "Logins failing", body: formBody("P1 — High", "No one can log in", "Auth Service"), labels: [] });
    const start = w.gh.posted(13)[0]!.body;
    expect(start).toContain("📣 **Routing for `Auth Service`**: @pyairtable/identity-team (Identity Team)");
    expect(start).toMatch(/\*\*Assigned:\*\* `[a-z-]+` \(identity\/primary, routing for `Auth Service`\)/);
  });

  it("services.yml's on-call tier is assigned for a service incidents.yml does not route", async () => {
    const services = "version: 1\nservices:\n  exporter:\n    owner: sre-lead\n    oncall: ingestion/secondary\n";
    const w = await world({ t0: T0, files: d9Files({ "services.yml": services }) });
    await w.open({ number: 14, title: "Exports stuck", body: formBody("P2", "Nightly export did not run", "exporter"), labels: [] });
    expect(w.gh.posted(14)[0]!.body).toContain("**Assigned:** `omar-oncall` (ingestion/secondary, on-call tier of service `exporter`)");
    expect(w.gh.issues.get(14)!.assignees[0]).toBe("omar-oncall");
  });

  it("a sweep finds an incident Charter never saw opened (webhook missed): the ladder counts from when it was labelled", async () => {
    const w = await world({ t0: T0 });
    w.gh.addIssue({ number: 15, title: "Ingestion down", labels: ["incident", "severity: P1"] }); // labelled at t0, no webhook
    w.at(25);
    await w.sweep();
    expect(w.gh.state(15).openedAt).toBe("2025-06-04T10:00:00.000Z");
    expect(pageLines(w, 15).map((p) => [p.minute, p.mentions, p.line.includes("Charter was not running")])).toEqual([
      [25, ["olga-oncall"], true],
      [25, ["omar-oncall"], true],
    ]);
    await sweepEvery(w, 26, 31);
    expect(pageLines(w, 15).map((p) => [p.minute, p.line.includes("Charter was not running")])).toEqual([
      [25, true],
      [25, true],
      [30, false],
    ]);
  });
});

describe("the issue form", () => {
  it("ships .github/ISSUE_TEMPLATE/incident.yml with a severity dropdown, impact, service/area and the incident label", () => {
    const form = parse(readFileSync(".github/ISSUE_TEMPLATE/incident.yml", "utf8")) as {
      labels: string[];
      body: { type: string; id?: string; attributes: { label: string; options?: string[] }; validations?: { required: boolean } }[];
    };
    expect(form.labels).toEqual(["incident"]);
    const byId = Object.fromEntries(form.body.filter((b) => b.id).map((b) => [b.id, b]));
    expect(byId.severity).toMatchObject({ type: "dropdown", attributes: { label: "Severity" }, validations: { required: true } });
    expect(byId.severity!.attributes.options!.map((o: string) => o.split(" ")[0])).toEqual(["P1", "P2", "P3"]);
    expect(byId.impact).toMatchObject({ type: "textarea", attributes: { label: "Impact" } });
    expect(byId.service).toMatchObject({ type: "input", attributes: { label: "Service or area" } });
  });
});
