/**
 * Deployment-day commands (seed 004), on a deployment issue (a label of deployments.yml):
 * `/go`, `/no-go <reason>`, `/done <item>`, `/status <text>`, `/alert <severity> <type>`,
 * `/resolved <n> <status>`, `/all-clear [metrics]`. Who may run each is decided by the core from
 * roles.yml (src/core/deployment/state.ts); a refusal changes nothing and says why.
 */
import { deploymentKindOf } from "../../core/deployment/form.js";
import { declareAllClear, raiseAlert, resolveAlert, signGo, signNoGo, statusUpdate, tick, type Actor, type Change, type DeploymentContext, type DeploymentState } from "../../core/deployment/state.js";
import { peopleFor } from "../../core/killswitch/people.js";
import { changeDeployment, type DeploymentEnv } from "../../github/deployment/store.js";
import { CommandRefusal, type Authorization, type CommandOutcome, type CommandRequest, type CommandSpec } from "./spec.js";

function kindOf(req: CommandRequest): string | undefined {
  return deploymentKindOf(req.governance.deployments, req.thread.labels, req.thread.body);
}

function authorizeDeployment(req: CommandRequest): Authorization {
  if (!req.governance.deployments) return { ok: false, reason: "this repository has no `governance/deployments.yml`." };
  if (!kindOf(req)) {
    const labels = Object.values(req.governance.deployments.deployments).map((d) => `\`${d.label}\``);
    return { ok: false, reason: `#${req.thread.number} is not a deployment: it has no deployment label (${labels.join(", ")}). Open deployments with the Deployment issue form.` };
  }
  if (req.thread.state === "closed") return { ok: false, reason: `#${req.thread.number} is closed.` };
  return { ok: true };
}

async function run(req: CommandRequest, change: (c: DeploymentContext, s: DeploymentState, actor: Actor) => Change): Promise<CommandOutcome> {
  const kind = kindOf(req)!;
  const identity = await req.deps.identity();
  const env: DeploymentEnv = { gh: req.gh, repo: req.repo, identity, g: req.governance, log: req.log, now: req.now, teams: req.teams, memo: req.deps.governance, ...(req.deps.notify ? { notify: req.deps.notify } : {}) };
  const actor: Actor = { login: req.comment.author, association: req.comment.association ?? null };
  const thread = { number: req.thread.number, title: req.thread.title, body: req.thread.body, url: req.thread.url, createdAt: req.comment.createdAt.toISOString() };
  const lead = (c: DeploymentContext) => peopleFor(c.g, [c.d.lead], c.now, { teams: req.teams });
  let leadPeople: string[] = [];
  const r = await changeDeployment(
    env,
    kind,
    thread,
    (c, s) => {
      leadPeople = lead(c);
      return change(c, s, actor);
    },
    (m) => (m.event === "deployment.issue" ? leadPeople.filter((p) => p.toLowerCase() !== actor.login.toLowerCase()) : []),
  );
  if ("refused" in r) throw new CommandRefusal(r.refused);
  return r.reply ? { reply: r.reply } : {};
}

function spec(name: string, usage: string, summary: string, change: (req: CommandRequest) => (c: DeploymentContext, s: DeploymentState, actor: Actor) => Change): CommandSpec {
  return { name, where: "issue", usage, summary, authorize: authorizeDeployment, run: (req) => run(req, change(req)) };
}

const alertArgs = (req: CommandRequest) => {
  const [severity = "", ...type] = req.command.args;
  return { severity, type: type.join(" "), details: req.command.details };
};

export const deploymentCommandSpecs: CommandSpec[] = [
  spec("go", "/go", "Sign the deployment's go/no-go gate: GO (opens the window of status updates)", () => (c, s, a) => signGo(c, s, a)),
  spec("no-go", "/no-go <reason>", "Sign the deployment's go/no-go gate: NO-GO", (req) => (c, s, a) => signNoGo(c, s, a, req.command.text)),
  spec("done", "/done <item>", "Tick a checklist item of the deployment (its owner role only)", (req) => (c, s, a) => tick(c, s, a, req.command.args[0] ?? "")),
  spec("status", "/status <what is happening>", "Post the deployment's status update (due every few minutes between go and all-clear)", (req) => (c, s, a) => statusUpdate(c, s, a, [req.command.text, req.command.details].filter(Boolean).join("\n"))),
  spec("alert", "/alert <critical|high|medium> <issue type>", "Post an issue notification during the deployment", (req) => (c, s, a) => raiseAlert(c, s, a, alertArgs(req))),
  spec("resolved", "/resolved <n> <status>", "Post the resolution of alert n", (req) => (c, s, a) => {
    const n = Number(req.command.args[0]);
    if (!Number.isInteger(n) || n < 1) return { refused: "name the alert by its number: `/resolved 1 Back to normal`." };
    return resolveAlert(c, s, a, { n, status: req.command.args.slice(1).join(" "), details: req.command.details });
  }),
  spec("all-clear", "/all-clear [metrics]", "Declare the deployment complete (every item done, no open alert)", (req) => (c, s, a) => declareAllClear(c, s, a, req.command.text)),
];
