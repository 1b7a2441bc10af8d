/**
 * Hardening issue #10, item 12: `anyone` means people with access to the repository.
 *
 * GitHub records on every comment whether its author has access to the repository
 * (`author_association`: OWNER, MEMBER, COLLABORATOR). On a public repository any GitHub user can
 * comment; such a stranger (NONE, CONTRIBUTOR, FIRST_TIME_CONTRIBUTOR) is not `anyone`. A scenario
 * may explicitly open itself to the public (`public: { max, per }`), with a rate limit counted from
 * the log, so it holds across restarts and Actions runs.
 */
import { describe, expect, it } from "vitest";
import { activationAuthority } from "../../src/core/authority/lookup.js";
import { activationStanding } from "../../src/core/killswitch/activate.js";
import { d9Files } from "../support/governance-mock.js";
import { d9Texts, load } from "../validate/support.js";
import { entries, expectNoWrite, refusal, switches, T0, useNock, world } from "./harness.js";

const withPublic = (limit: string) => d9Files()["authority.yml"]!.replace("      who: [anyone]\n", `      who: [anyone]\n      public: ${limit}\n`);

describe("#10 item 12: `anyone` in authority.yml", () => {
  useNock();

  it.each([
    ["NONE", "has no access to this repository"],
    ["FIRST_TIME_CONTRIBUTOR", "is a first-time contributor without access to this repository"],
    ["CONTRIBUTOR", "has contributed before but has no access to this repository"],
  ])("a stranger (%s) on a public repository cannot activate `data-corruption` (who: anyone): refused with a reply, nothing written", async (association, words) => {
    const w = await world();
    await w.say("drive-by", "/killswitch activate global data-corruption everything is broken", { association });
    expectNoWrite(w.fake);
    expect(switches(w.fake).global).toEqual({ active: false });
    expect(refusal(w)).toBe(
      `> /killswitch activate global data-corruption everything is broken\n\n@drive-by \`/killswitch\` refused: the kill-switch for \`data-corruption\` (Suspected data corruption) may be activated by anyone with access to this repository; @\u200bdrive-by ${words} (GitHub: \`${association}\`). \`anyone\` in governance/authority.yml means people with access; a public repository can open a scenario to everyone with \`public: { max, per }\` (docs/killswitch.md). Nothing was changed.`,
    );
  });

  it("a person with access and no role (a collaborator) still may: that is what `anyone` means", async () => {
    const w = await world();
    await w.say("random-dev", "/killswitch activate workspace:acme data-corruption checksum mismatch", { association: "COLLABORATOR" });
    expect(switches(w.fake)["workspace:acme"]).toMatchObject({ active: true, by: "random-dev" });
    expect(entries(w.fake)[0]!.access).toBeUndefined();
  });

  it("a stranger cannot use `anyone` in a resume rule either", async () => {
    const authority = d9Files()["authority.yml"]!.replace('- title: "< 1 hour pause"\n      when: { paused_under: 1h }\n      who: [on-call]', '- title: "< 1 hour pause"\n      when: { paused_under: 1h }\n      who: [anyone]');
    expect(authority).toContain("who: [anyone]\n      verify: [Test upload passes]");
    const w = await world({ files: { "authority.yml": authority } });
    await w.say("olga-oncall", "/killswitch activate global error-rate-20 errors");
    w.fake.reset();
    await w.say("drive-by", '/killswitch resume global --verified "Test upload passes"', { association: "NONE" });
    expectNoWrite(w.fake);
    // the roles are named, their holders are not notified: a stranger's comment must not page anyone
    expect(refusal(w)).toContain("a resume may be asked for by anyone with access to this repository, On-Call (now @\u200bolga-oncall, @\u200bomar-oncall), Ingestion Owner (now @\u200bana-owner, @\u200bben-owner), and @\u200bdrive-by holds none of these roles.");
    expect(refusal(w)).not.toMatch(/@(?!drive-by)[a-z]/);
    await w.say("random-dev", '/killswitch resume global --verified "Test upload passes"', { association: "MEMBER" });
    expect(switches(w.fake).global).toEqual({ active: false });
  });
});

describe("#10 item 12: the explicit public opt-in, rate-limited from the log", () => {
  useNock();

  it("with `public: { max: 2, per: 1h }` a stranger may activate; the log records the public access and the reply says so", async () => {
    const w = await world({ files: { "authority.yml": withPublic("{ max: 2, per: 1h }") } });
    await w.say("drive-by", "/killswitch activate global data-corruption duplicated rows in my export", { association: "NONE" });
    expect(switches(w.fake).global).toMatchObject({ active: true, by: "drive-by", scenario: "data-corruption" });
    expect(entries(w.fake)[0]).toMatchObject({ action: "activate", actor: "drive-by", access: "public" });
    expect(w.lastReply()).toContain(
      "Activated by a person without access to this repository, under the public opt-in of `data-corruption` (public activations in this repository: 1 of at most 2 per 1h).",
    );
  });

  it("the third public activation within the hour is refused, also after a restart (counted from the log), and allowed again once the hour has passed", async () => {
    const w = await world({ files: { "authority.yml": withPublic("{ max: 2, per: 1h }") } });
    await w.say("drive-by", "/killswitch activate workspace:a data-corruption a", { association: "NONE" });
    w.app.clock.advanceMinutes(10);
    await w.say("passer-by", "/killswitch activate workspace:b data-corruption b", { association: "FIRST_TIME_CONTRIBUTOR" });
    // a member's activation does not count towards the public limit
    w.app.clock.advanceMinutes(5);
    await w.say("random-dev", "/killswitch activate workspace:c data-corruption c", { association: "MEMBER" });
    w.app.clock.advanceMinutes(5);
    await w.restart();
    w.fake.reset();
    await w.say("troll", "/killswitch activate global data-corruption c", { association: "NONE" });
    expectNoWrite(w.fake);
    expect(refusal(w)).not.toMatch(/@(?!troll)[a-z]/); // a stranger cannot make Charter mention anyone else
    expect(refusal(w)).toContain(
      "`/killswitch` refused: people without access to this repository may activate the kill-switch at most 2 times per 1h here (authority.yml `kill_switch.activation.data-corruption.public`), and 2 such activations were made since 10:00 UTC. Ask someone with access to the repository, e.g. On-Call. Nothing was changed.",
    );
    // the first public activation leaves the window at 11:00
    w.app.clock.advanceMinutes(41);
    await w.say("troll", "/killswitch activate global data-corruption c", { association: "NONE" });
    expect(switches(w.fake).global).toMatchObject({ active: true, by: "troll" });
  });

  it("a public activation that branch protection refuses is not turned into a pull request (that would escape the limit): nothing is opened, and the reply says so", async () => {
    const w = await world({ files: { "authority.yml": withPublic("{ max: 2, per: 1h }") } });
    w.fake.fail("PUT", /killswitch\.yml$/, 409, "Repository rule violations found\n\nChanges must be made through a pull request.");
    await w.say("drive-by", "/killswitch activate global data-corruption duplicated rows", { association: "NONE" });
    expect(w.fake.count("POST", /git\/refs$/)).toBe(0);
    expect(w.fake.pulls).toEqual([]);
    expect(switches(w.fake).global).toEqual({ active: false });
    expect(w.lastReply()).toContain(
      "branch protection refused Charter's direct write (Repository rule violations found), so the kill-switch `global` is **NOT active**. A person without access to this repository cannot have Charter open a pull request instead: ask someone with access to the repository, e.g. On-Call.",
    );
    expect(w.lastReply()).not.toMatch(/@(?!drive-by)[a-z]/);
  });

  it("the opt-in does not extend to scenarios that open a pull request (approval in advance): the validator refuses such a file, and the core refuses a stranger anyway", async () => {
    const result = await load(d9Texts());
    if (!result.ok) throw new Error("D9 does not load");
    const g = structuredClone(result.governance);
    const s = g.authority!.kill_switch!.activation["planned-maintenance"]!;
    s.who = ["anyone"];
    s.public = { max: 5, per: "1h" };
    const a = activationAuthority(g, "planned-maintenance");
    if (!a.ok) throw new Error(a.message);
    const standing = activationStanding(g, a, { actor: "drive-by", at: new Date(T0), association: "NONE" });
    expect(standing).toEqual({
      ok: false,
      message: "`planned-maintenance` (Planned maintenance) needs approval before activation (a pull request), which people without access to this repository cannot ask for; @drive-by has no access to this repository (GitHub: `NONE`). Ask someone with access to the repository, e.g. On-Call.",
    });
  });
});
