/**
 * The impact preview through the app (issue 14 item 1): a pull request that changes governance/
 * gets ONE comment saying in words what merging it would change; a push edits that comment (one
 * PATCH), an unchanged preview writes nothing, and a pull request that does not touch governance/
 * costs no request more. Attacks: a forged or copied marker, huge and invalid head files, text
 * injection through the files' names and titles.
 */
import { afterEach, describe, expect, it } from "vitest";
import { encodeImpactMarker, impactScope } from "../../src/core/diff/comment.js";
import * as o from "../emulator/objects.js";
import { d9Files } from "../support/governance-mock.js";
import { TEST_IDENTITY } from "../support/identity.js";
import { closeWorld, FULL, SignoffWorld } from "../signoff/world.js";

afterEach(closeWorld);

const R = "/repos/acme/ingestion";
const ROLES = d9Files()["roles.yml"]!;
const marker = (n: number) => encodeImpactMarker(TEST_IDENTITY.keys, impactScope(FULL, n));
const writes = (w: SignoffWorld) => w.requests.filter((r) => !r.startsWith("GET ") && !r.endsWith("/check-runs"));

/** D9 with the SRE Lead's only people removed: its holder (sam-sre) and its backup (sid-sre). */
const WITHOUT_SRE_LEAD = ROLES.replace("    holders: [sam-sre]\n    backups: [sid-sre]\n", "");
/** D9 with a second holder of Ingestion Owner. */
const NINA_OWNER = ROLES.replace("holders: [ana-owner]", "holders: [ana-owner, nina-owner]");

const SRE_LEAD_REMOVED = `## Charter impact preview

What merging this pull request would change in how the team works: governance/ on \`main\` against this pull request's files. Nothing here is in force until it is merged and signed off.

**⚠️ The proposed governance does not validate** (7 problems).
Merged as it is, Charter's sign-off check would fail closed on every pull request and no command would be carried out until the files are fixed:

- governance/authority.yml:42:51: gate P3 → P4 (require) needs \`sre-lead\` to sign off, but nobody holds that role: it can never be satisfied (give \`sre-lead\` holders or backups (GitHub logins or org/team) or an \`oncall:\` tier in roles.yml)
- governance/authority.yml:128:30: resume rule 1 "Data integrity event" (who) needs \`sre-lead\` to sign the resume, but nobody holds that role: it can never be satisfied (give \`sre-lead\` holders or backups (GitHub logins or org/team) or an \`oncall:\` tier in roles.yml)
- governance/OWNERS:7:1: OWNERS rule /infra/ needs \`sre-lead\` to sign off changes to these paths, but nobody holds that role: it can never be satisfied (give \`sre-lead\` holders or backups (GitHub logins or org/team) or an \`oncall:\` tier in roles.yml)
- governance/OWNERS:8:1: OWNERS rule /terraform/ needs \`sre-lead\` to sign off changes to these paths, but nobody holds that role: it can never be satisfied (give \`sre-lead\` holders or backups (GitHub logins or org/team) or an \`oncall:\` tier in roles.yml)
- governance/OWNERS:9:1: OWNERS rule /.github/workflows/ needs \`sre-lead\` to sign off changes to these paths, but nobody holds that role: it can never be satisfied (give \`sre-lead\` holders or backups (GitHub logins or org/team) or an \`oncall:\` tier in roles.yml)
- governance/OWNERS:10:1: OWNERS rule Dockerfile needs \`sre-lead\` to sign off changes to these paths, but nobody holds that role: it can never be satisfied (give \`sre-lead\` holders or backups (GitHub logins or org/team) or an \`oncall:\` tier in roles.yml)
- governance/OWNERS:17:1: OWNERS rule /governance/ needs \`sre-lead\` to sign off changes to these paths, but nobody holds that role: it can never be satisfied (give \`sre-lead\` holders or backups (GitHub logins or org/team) or an \`oncall:\` tier in roles.yml)

What the proposed files would change, were they valid:

### 🚫 Becomes impossible

- **The phase gate GA (P3 → P4)**: nobody could sign for SRE Lead (\`sre-lead\`), which would have no holder, no backup and nobody on call for it.
- **Resuming the kill-switch (Data integrity event)**: nobody could sign for SRE Lead (\`sre-lead\`), which would have no holder, no backup and nobody on call for it.
- **Changes to /infra/ (OWNERS line 7)**: nobody could sign for SRE Lead (\`sre-lead\`), which would have no holder, no backup and nobody on call for it.
- **Changes to /terraform/ (OWNERS line 8)**: nobody could sign for SRE Lead (\`sre-lead\`), which would have no holder, no backup and nobody on call for it.
- **Changes to /.github/workflows/ (OWNERS line 9)**: nobody could sign for SRE Lead (\`sre-lead\`), which would have no holder, no backup and nobody on call for it.
- **Changes to Dockerfile (OWNERS line 10)**: nobody could sign for SRE Lead (\`sre-lead\`), which would have no holder, no backup and nobody on call for it.
- **Changes to /governance/ (OWNERS line 17)**: nobody could sign for SRE Lead (\`sre-lead\`), which would have no holder, no backup and nobody on call for it; this OWNERS line decides who may change governance/ itself, so no later pull request could undo it.

### Who gains and who loses authority

- **\`sam-sre\`** loses, as a holder of SRE Lead (\`sre-lead\`):
  - sign the phase gate: GA (P3 → P4)
  - veto the phase gate: GA (P3 → P4)
  - sign changes to: /infra/, /terraform/, /.github/workflows/, Dockerfile, /governance/
  - resume the kill-switch: Data integrity event
  - run: /ack (acknowledge), /escalate, /severity, /update, /resolve, /reopen, /commander, /page
  - be paged: P1 at +1h
- **\`sam-sre\`** loses, as a holder of any role (\`everyone\`):
  - run: /confirm
- **\`sid-sre\`** loses, as a backup of SRE Lead (\`sre-lead\`):
  - sign the phase gate: GA (P3 → P4)
  - veto the phase gate: GA (P3 → P4)
  - sign changes to: /infra/, /terraform/, /.github/workflows/, Dockerfile, /governance/
  - resume the kill-switch: Data integrity event
  - run: /ack (acknowledge), /escalate, /severity, /update, /resolve, /reopen, /commander, /page
- **\`sid-sre\`** loses, as a holder of any role (\`everyone\`):
  - run: /confirm

### On call, Mon 2025-06-02 02:00 CEST to Mon 2025-07-28 02:00 CEST

**New warnings** (gaps, one person in two tiers, nobody to page, …):

- step 4 of the P1 ladder (+1h) pages SRE Lead (\`sre-lead\`), which has no holder and no backup from Mon 2025-06-02 02:00 CEST to the end of the window (Mon 2025-07-28 02:00 CEST): nobody would be paged

### Roles

- SRE Lead (\`sre-lead\`): holders −\`sam-sre\` (now none); backups −\`sid-sre\` (now none); nobody left to act for it.

<sub>Charter edits this comment on every push. The same words offline: \`charter diff <base-dir> <head-dir>\` (docs/impact-preview.md).</sub>`;

const INGESTION_OWNER_ADDED = `## Charter impact preview

What merging this pull request would change in how the team works: governance/ on \`main\` against this pull request's files. Nothing here is in force until it is merged and signed off.

### Who gains and who loses authority

- **\`nina-owner\`** gains, as a holder of Ingestion Owner (\`ingestion-owner\`):
  - sign the phase gate: P0 → P1, P1 → P2, P2 → P3, GA (P3 → P4)
  - veto the phase gate: P0 → P1, P1 → P2, P2 → P3, GA (P3 → P4)
  - sign changes to: /governance/
  - approve kill-switch activations: Error rate &gt; 10%
  - activate the kill-switch: Planned maintenance, Client request
  - resume the kill-switch: Data integrity event, Rollback, &gt; 1 hour pause
  - decide rollbacks: P1 incident, Planned (bug found), Client request
  - run: /ack (acknowledge), /escalate, /severity, /update, /resolve, /reopen, /commander, /page
  - be paged: P1 at +30m, P2 at +1h
  - own post-incident reviews: P1
  - be Accountable (RACI) for: Day-0 checklist, Go/No-Go decision, Feature flag config, Enable kill-switch, Launch announcement, Daily health review, Metrics review, Pause decision, Rollback decision, Post-incident review, GA criteria review, GA sign-off
- **\`nina-owner\`** gains, as a holder of any role (\`everyone\`):
  - run: /confirm

### Roles

- Ingestion Owner (\`ingestion-owner\`): holders +\`nina-owner\` (now \`ana-owner\`, \`nina-owner\`).

<sub>Charter edits this comment on every push. The same words offline: \`charter diff <base-dir> <head-dir>\` (docs/impact-preview.md).</sub>`;

describe("the impact preview on a pull request that changes governance/", () => {
  it("removing the SRE Lead's only people: the GA gate (and every SRE Lead sign-off) becomes impossible, said so, with who loses what", async () => {
    const w = await SignoffWorld.create();
    expect(WITHOUT_SRE_LEAD).not.toBe(ROLES);
    w.openPull({ number: 20, files: { "governance/roles.yml": WITHOUT_SRE_LEAD } });
    await w.pullEvent("opened", 20);
    expect(writes(w)).toEqual([`POST ${R}/issues/20/comments`]);
    const comments = w.commentsOn(20);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toBe(`${SRE_LEAD_REMOVED}\n${marker(20)}`);
  });

  it("removing only the SRE Lead's holder: its backup still signs, so nothing becomes impossible, and the preview says who is left", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 28, files: { "governance/roles.yml": ROLES.replace("    holders: [sam-sre]\n", "") } });
    await w.pullEvent("opened", 28);
    const body = String(w.commentsOn(28)[0]!.body);
    expect(body).not.toContain("Becomes impossible");
    expect(body).not.toContain("does not validate");
    expect(body).toContain("- **`sam-sre`** loses, as a holder of SRE Lead (`sre-lead`):\n  - sign the phase gate: GA (P3 → P4)\n");
    expect(body).toContain("- **`sid-sre`** gains, as a backup of SRE Lead (`sre-lead`):\n  - be paged: P1 at +1h\n");
    expect(body).toContain("- SRE Lead (`sre-lead`): holders −`sam-sre` (now none); no holder left: only its backups `sid-sre` act for it, and pages to it go to them.");
  });

  it("adding a holder to ingestion-owner: the comment lists what nina-owner gains (GA sign-off, kill-switch resume > 1 h, …); a second push edits the same comment (one PATCH); an unchanged preview writes nothing", async () => {
    const w = await SignoffWorld.create();
    expect(NINA_OWNER).not.toBe(ROLES);
    w.openPull({ number: 21, files: { "governance/roles.yml": NINA_OWNER } });
    await w.pullEvent("opened", 21);
    expect(writes(w)).toEqual([`POST ${R}/issues/21/comments`]);
    const [comment] = w.commentsOn(21);
    expect(comment!.body).toBe(`${INGESTION_OWNER_ADDED}\n${marker(21)}`);

    // a second push: nina-owner also holds Database Owner; the same comment is edited, no new one
    const before = w.pull(21).headSha;
    w.pushTo(21, { "governance/roles.yml": NINA_OWNER.replace("holders: [dora-db]", "holders: [dora-db, nina-owner]") });
    w.reset();
    await w.pullEvent("synchronize", 21, { before });
    expect(writes(w)).toEqual([`PATCH ${R}/issues/comments/${String(comment!.id)}`]);
    expect(w.requests.filter((r) => r.includes("/comments"))).toEqual([`PATCH ${R}/issues/comments/${String(comment!.id)}`]);
    expect(w.commentsOn(21)).toHaveLength(1);
    expect(w.commentsOn(21)[0]!.body).toBe(
      `${INGESTION_OWNER_ADDED.replace(
        "- **`nina-owner`** gains, as a holder of any role",
        "- **`nina-owner`** gains, as a holder of Database Owner (`database-owner`):\n  - sign changes to: /db/migrations/, *.sql\n- **`nina-owner`** gains, as a holder of any role",
      ).replace(
        "(now `ana-owner`, `nina-owner`).\n",
        "(now `ana-owner`, `nina-owner`).\n- Database Owner (`database-owner`): holders +`nina-owner` (now `dora-db`, `nina-owner`).\n",
      )}\n${marker(21)}`,
    );

    // a push that changes code only: the same preview, nothing written, not even read
    const again = w.pull(21).headSha;
    w.pushTo(21, { "src/app.ts": "y" });
    w.reset();
    await w.pullEvent("synchronize", 21, { before: again });
    expect(writes(w)).toEqual([]);
    expect(w.requests.filter((r) => r.includes("/comments"))).toEqual([]);
    expect(w.commentsOn(21)).toHaveLength(1);
  });
});

describe("the default branch's governance moves", () => {
  it("a push to the default branch that already makes the same change: the open pull request's preview is edited to say nothing changes (one PATCH)", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 27, files: { "governance/roles.yml": NINA_OWNER } });
    await w.pullEvent("opened", 27);
    const [comment] = w.commentsOn(27);
    const before = w.governanceSha;
    w.setGovernance({ "roles.yml": NINA_OWNER }, "d".repeat(40));
    w.reset();
    await w.pushGovernance(before, { modified: ["governance/roles.yml"] });
    expect(writes(w)).toEqual([`PATCH ${R}/issues/comments/${String(comment!.id)}`]);
    expect(w.commentsOn(27).map((c) => c.body)).toEqual([
      [
        "## Charter impact preview",
        "",
        "What merging this pull request would change in how the team works: governance/ on `main` against this pull request's files. Nothing here is in force until it is merged and signed off.",
        "",
        "Nothing Charter acts on changes: no authority, owner, requirement, RACI accountability or on-call assignment moves (comments, documentary keys and layout may differ).",
        "",
        "<sub>Charter edits this comment on every push. The same words offline: `charter diff <base-dir> <head-dir>` (docs/impact-preview.md).</sub>",
        marker(27),
      ].join("\n"),
    ]);
  });
});

describe("a pull request whose governance change is reverted", () => {
  it("the comment says it no longer changes governance/ (one PATCH); later code pushes write nothing", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 26, files: { "governance/roles.yml": NINA_OWNER, "src/app.ts": "x" } });
    await w.pullEvent("opened", 26);
    const [comment] = w.commentsOn(26);
    delete w.pull(26).files["governance/roles.yml"];
    let before = w.pull(26).headSha;
    w.pushTo(26, { "src/app.ts": "y" });
    w.reset();
    await w.pullEvent("synchronize", 26, { before });
    expect(writes(w)).toEqual([`PATCH ${R}/issues/comments/${String(comment!.id)}`]);
    expect(w.commentsOn(26).map((c) => c.body)).toEqual([
      [
        "## Charter impact preview",
        "",
        "This pull request no longer changes governance/: merging it would change nothing in how the team works.",
        "",
        "<sub>Charter edits this comment on every push. The same words offline: `charter diff <base-dir> <head-dir>` (docs/impact-preview.md).</sub>",
        marker(26),
      ].join("\n"),
    ]);
    before = w.pull(26).headSha;
    w.pushTo(26, { "src/app.ts": "z" });
    w.reset();
    await w.pullEvent("synchronize", 26, { before });
    expect(writes(w)).toEqual([]);
  });
});

describe("what the preview costs", () => {
  it("a pull request that does not change governance/ costs no request more: no file read, no comment listed or written", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 30, files: { "src/app.ts": "x" } });
    await w.pullEvent("opened", 30);
    expect(w.requests.filter((r) => r.includes("/issues/30/comments"))).toEqual([]);
    expect(w.commentsOn(30)).toEqual([]);
    // the sign-off check's path: the governance read (cold), the files list, the check
    expect(w.requests.filter((r) => !r.includes("/git/blobs/") && !r.includes("/contents/"))).toEqual([`GET ${R}/branches/main`, `GET ${R}/pulls/30/files?per_page=100`, `POST ${R}/check-runs`]);
  });

  it("a pull request that changes only a state record (the phase) gets no preview: the sign-off check rules on it", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 31, files: { "governance/state/phase.yml": d9Files()["state/phase.yml"]!.replace(/^phase: .*$/m, "phase: P4") } });
    await w.pullEvent("opened", 31);
    // (the RACI mention of the Informed roles is the only comment)
    expect(w.commentsOn(31).filter((c) => String(c.body).includes("charter:impact"))).toEqual([]);
    expect(w.commentsOn(31)).toHaveLength(1);
  });
});

describe("attacks on the preview", () => {
  it("a forged marker: a user's comment carrying Charter's marker (even a correctly sealed copy) is never edited; a marker sealed for another pull request is not this one's; Charter writes its own", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 22, files: { "governance/roles.yml": NINA_OWNER } });
    const mallory = o.issueComment({ repo: FULL, issue_number: 22, id: 7001, body: `Looks fine\n${marker(22)}`, user: "mallory", author_association: "CONTRIBUTOR" });
    const copied = o.issueComment({ repo: FULL, issue_number: 22, id: 7002, body: `Charter's words elsewhere\n${marker(21)}`, user: "charter[bot]" });
    const forged = o.issueComment({ repo: FULL, issue_number: 22, id: 7003, body: `<!-- charter:impact {"v":1} seal=${"A".repeat(32)} -->`, user: "charter[bot]" });
    w.comments.set(22, [mallory, copied, forged]);
    await w.pullEvent("opened", 22);
    expect(writes(w)).toEqual([`POST ${R}/issues/22/comments`]);
    expect(w.commentsOn(22).map((c) => c.id)).toEqual([7001, 7002, 7003, expect.any(Number)]);
    expect(w.commentsOn(22)[0]!.body).toBe(`Looks fine\n${marker(22)}`);
    expect(w.commentsOn(22)[3]!.body).toBe(`${INGESTION_OWNER_ADDED}\n${marker(22)}`);
  });

  it("a huge head file (over 256 KiB) is not parsed: the comment says so and nothing else; the check is still written", async () => {
    const w = await SignoffWorld.create();
    const huge = `${ROLES}\n# ${"x".repeat(1 << 18)}\n`;
    w.openPull({ number: 23, files: { "governance/roles.yml": huge } });
    await w.pullEvent("opened", 23);
    expect(w.checkRuns).toHaveLength(1);
    expect(w.commentsOn(23).map((c) => c.body)).toEqual([
      [
        "## Charter impact preview",
        "",
        "What merging this pull request would change in how the team works: governance/ on `main` against this pull request's files. Nothing here is in force until it is merged and signed off.",
        "",
        "**⚠️ The proposed governance does not validate** (1 problem).",
        "Merged as it is, Charter's sign-off check would fail closed on every pull request and no command would be carried out until the files are fixed:",
        "",
        "- governance/roles.yml: longer than 262,144 characters, so Charter does not read it",
        "",
        "Charter cannot say what the change does until every file loads (it passes its schema).",
        "",
        "<sub>Charter edits this comment on every push. The same words offline: `charter diff <base-dir> <head-dir>` (docs/impact-preview.md).</sub>",
        marker(23),
      ].join("\n"),
    ]);
  });

  it("an invalid head (a YAML syntax error) is named with its place, and nothing else is said", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 24, files: { "governance/roles.yml": ROLES.replace("holders: [ana-owner]", "holders: [ana-owner") } });
    await w.pullEvent("opened", 24);
    const body = String(w.commentsOn(24)[0]!.body);
    expect(body).toContain("**⚠️ The proposed governance does not validate**");
    expect(body).toMatch(/^- governance\/roles\.yml:\d+:\d+: YAML syntax error: /m);
    expect(body).toContain("Charter cannot say what the change does until every file loads (it passes its schema).");
    expect(body).not.toContain("### ");
  });

  it("text from the files is neutralised: a title with @-mentions, HTML and table breaks notifies nobody and hides nothing", async () => {
    const w = await SignoffWorld.create();
    const evil = ROLES.replace("title: Ingestion Owner", 'title: "Owner @everyone <img src=x onerror=alert(1)> | @acme/admins"');
    w.openPull({ number: 25, files: { "governance/roles.yml": evil } });
    await w.pullEvent("opened", 25);
    const body = String(w.commentsOn(25)[0]!.body);
    expect(body).not.toContain("<img");
    expect(body).not.toMatch(/@everyone|@acme/);
    const title = "Owner @\u200beveryone &lt;img src=x onerror=alert(1)&gt; \\| @\u200bacme/admins";
    expect(body).toContain(`### Roles\n\n- ${title} (\`ingestion-owner\`): title Ingestion Owner → ${title}.\n`);
  });
});
