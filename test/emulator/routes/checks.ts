/** Check runs: create, update (only by the app that created the run), get, list for a ref (by name, status, app; the latest per name and app, or all). */
import { forbidden, unprocessable } from "../errors.js";
import type { CheckRunRecord } from "../store.js";
import { intParam, paginate, str, type RouteContext, type RouteTable } from "./types.js";

function fields(ctx: RouteContext): Partial<CheckRunRecord> {
  const b = ctx.body;
  const out: Partial<CheckRunRecord> = {};
  const name = str(b, "name");
  if (name !== undefined) out.name = name;
  if (b.status !== undefined) out.status = b.status as CheckRunRecord["status"];
  if (b.conclusion !== undefined) out.conclusion = b.conclusion as CheckRunRecord["conclusion"];
  const startedAt = str(b, "started_at");
  if (startedAt !== undefined) out.startedAt = startedAt;
  const completedAt = str(b, "completed_at");
  if (completedAt !== undefined) out.completedAt = completedAt;
  const externalId = str(b, "external_id");
  if (externalId !== undefined) out.externalId = externalId;
  const detailsUrl = str(b, "details_url");
  if (detailsUrl !== undefined) out.detailsUrl = detailsUrl;
  const output = b.output as { title?: string; summary?: string; text?: string } | undefined;
  if (output) out.output = { title: output.title ?? null, summary: output.summary ?? null, text: output.text ?? null };
  // GitHub: a completed run (status or completed_at) needs a conclusion
  if ((out.status === "completed" || out.completedAt !== undefined) && !out.conclusion) {
    throw unprocessable("Invalid request.\n\nNo conclusion given for a completed check run.");
  }
  return out;
}

export const checkRoutes: RouteTable = {
  "POST /repos/{owner}/{repo}/check-runs": (ctx) => {
    const repo = ctx.repo();
    const headSha = str(ctx.body, "head_sha") ?? "";
    if (!ctx.store.git.resolveSha(headSha)) throw unprocessable("No commit found for SHA: " + headSha);
    const run = ctx.store.createCheckRun(repo, { ...fields(ctx), name: str(ctx.body, "name") ?? "", headSha });
    return { status: 201, body: ctx.render.checkRun(repo, run) };
  },

  "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}": (ctx) => {
    const repo = ctx.repo();
    const id = intParam(ctx, "check_run_id");
    const owner = ctx.store.checkRun(repo, id).app?.id ?? ctx.render.appId;
    // GitHub: only the app that created a check run may update it
    if (owner !== ctx.render.appId) throw forbidden(`Invalid app_id \`${ctx.render.appId}\` - check run can only be modified by the GitHub App that created it.`);
    const run = ctx.store.updateCheckRun(repo, id, fields(ctx));
    return { status: 200, body: ctx.render.checkRun(repo, run) };
  },

  "GET /repos/{owner}/{repo}/check-runs/{check_run_id}": (ctx) => {
    const repo = ctx.repo();
    return { status: 200, body: ctx.render.checkRun(repo, ctx.store.checkRun(repo, intParam(ctx, "check_run_id"))) };
  },

  "GET /repos/{owner}/{repo}/commits/{ref}/check-runs": (ctx) => {
    const repo = ctx.repo();
    const sha = ctx.store.resolveRef(repo, ctx.params.ref).sha;
    const name = ctx.query.get("check_name");
    const status = ctx.query.get("status");
    const appId = ctx.query.get("app_id");
    const appOf = (r: CheckRunRecord) => r.app?.id ?? ctx.render.appId;
    let runs = [...repo.checkRuns.values()].filter((r) => r.headSha === sha && (!name || r.name === name) && (!status || r.status === status) && (!appId || String(appOf(r)) === appId));
    if ((ctx.query.get("filter") ?? "latest") === "latest") {
      // the newest run per name and app
      const latest = new Map<string, CheckRunRecord>();
      for (const r of [...runs].sort((a, b) => a.id - b.id)) latest.set(`${appOf(r)}:${r.name}`, r); // later ids win
      runs = [...latest.values()];
    }
    runs.sort((a, b) => b.id - a.id);
    const page = paginate(ctx, runs, (r) => ctx.render.checkRun(repo, r));
    return { ...page, body: { total_count: runs.length, check_runs: page.body } };
  },
};
