/**
 * The on-call calendar published as files on a branch (oncall.yml `calendar.branch`), as a sweep
 * task: in GitHub Actions mode the scheduled run keeps them current (the server also serves
 * `GET /oncall.ics`). A file on a branch has a stable address calendar apps can subscribe to on a
 * public repository (`https://raw.githubusercontent.com/<owner>/<repo>/<branch>/oncall.ics`), its
 * history is git's, and writing it needs only the contents permission Charter already has; an
 * Actions artifact would need another token, expire, and have no stable address.
 *
 * A run that would publish the same files (their fingerprint is in the branch's last commit
 * message) costs one request; otherwise each changed file is written with the contents API.
 * The branch is created from the default branch when missing; the default branch itself is never
 * written to.
 */
import { calendarFiles, fingerprintIn } from "../core/calendar/publish.js";
import { httpStatus } from "../github/client.js";
import type { SweepTask } from "./task.js";

export const CALENDAR = "calendar";

export const calendarPublishTask: SweepTask = {
  name: CALENDAR,
  async run(input) {
    const report = { task: CALENDAR, actions: [] as string[] };
    if (!input.snapshot.result.ok) return report;
    const oncall = input.snapshot.result.governance.oncall;
    const branch = oncall?.calendar?.branch;
    if (!oncall || !branch) return report;
    if (branch === input.defaultBranch) {
      input.log.warn(`oncall.yml calendar.branch is the default branch (${branch}): Charter does not publish there`);
      return report;
    }
    const { gh, repo } = input;
    const { files, fingerprint } = calendarFiles(oncall, `${repo.owner}/${repo.repo}`, input.now);
    let head: string | undefined;
    try {
      const { data } = await gh.request("GET /repos/{owner}/{repo}/commits/{ref}", { ...repo, ref: `heads/${branch}` });
      if (fingerprintIn(data.commit.message) === fingerprint) return report;
      head = data.sha;
    } catch (error) {
      if (httpStatus(error) !== 404 && httpStatus(error) !== 422) throw error;
    }
    if (!head) {
      const { data } = await gh.request("GET /repos/{owner}/{repo}/git/ref/{ref}", { ...repo, ref: `heads/${input.defaultBranch}` });
      await gh.request("POST /repos/{owner}/{repo}/git/refs", { ...repo, ref: `refs/heads/${branch}`, sha: data.object.sha });
      report.actions.push(`created branch ${branch} for the on-call calendar`);
    }
    const written: string[] = [];
    const paths = [...files.keys()];
    for (const [i, path] of paths.entries()) {
      const text = files.get(path)!;
      let sha: string | undefined;
      let current: string | undefined;
      try {
        const { data } = await gh.request("GET /repos/{owner}/{repo}/contents/{path}", { ...repo, path, ref: branch });
        if (!Array.isArray(data) && data.type === "file") {
          sha = data.sha;
          current = Buffer.from(data.content ?? "", "base64").toString("utf8");
        }
      } catch (error) {
        if (httpStatus(error) !== 404) throw error;
      }
      const last = i === paths.length - 1;
      if (current === text && !last) continue;
      const message = `charter: on-call calendar, ${path}${last ? ` [calendar ${fingerprint}]` : ""}`;
      await gh.request("PUT /repos/{owner}/{repo}/contents/{path}", { ...repo, path, branch, message, content: Buffer.from(text, "utf8").toString("base64"), ...(sha ? { sha } : {}) });
      written.push(path);
    }
    report.actions.push(`published the on-call calendar on ${branch}: ${written.join(", ")}`);
    return report;
  },
};
