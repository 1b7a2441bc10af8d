/**
 * Path ownership through the app (hardening issue #10, items 16–18): a pull request touching a
 * path gets exactly the owners GitHub's CODEOWNERS rules give it. Before, a wildcard last segment
 * did not own what is inside a matching directory and `**` followed by a trailing slash skipped one
 * level, so those pull
 * requests needed no sign-off at all (a walk-around); and a backslash escape was dropped, so `\*`
 * made its owners sign every pull request.
 */
import { afterEach, describe, expect, it } from "vitest";
import { d9Files } from "../support/governance-mock.js";
import { closeWorld, SignoffWorld } from "../signoff/world.js";

afterEach(closeWorld);

const D9_OWNERS = d9Files()["OWNERS"]!;
const withLines = (...lines: string[]) => ({ OWNERS: `${D9_OWNERS.trimEnd()}\n${lines.join("\n")}\n` });

async function checkFor(lines: string[], files: Record<string, string>) {
  closeWorld();
  const w = await SignoffWorld.create({ governance: withLines(...lines) });
  w.openPull({ number: 60, author: "rob-release", files });
  await w.pullEvent("opened", 60);
  return w.lastCheck();
}

describe("OWNERS through the app: the check asks exactly the owners CODEOWNERS gives a path", () => {
  it("a wildcard last segment owns what is inside a matching directory: `/deploy*` makes the SRE Lead sign `deploy-prod/main.tf` (item 17)", async () => {
    const check = await checkFor(["/deploy*   sre-lead"], { "deploy-prod/main.tf": "resource {}" });
    expect(check).toMatchObject({ conclusion: "failure", output: { title: "Waiting for SRE Lead" } });
    expect(check.output.summary).toContain("   - changes `deploy-prod/main.tf` (OWNERS line 23: `/deploy*`)");
  });

  it("`fixt*` (any depth) owns the directory `tools/fixtures` and what is inside it (item 17)", async () => {
    const check = await checkFor(["fixt*   sre-lead"], { "tools/fixtures/seed.txt": "x" });
    expect(check.output.title).toBe("Waiting for SRE Lead");
    expect(check.output.summary).toContain("(OWNERS line 23: `fixt*`)");
  });

  it("a trailing `/**/` owns one level down too: `/services/**/` makes the SRE Lead sign `services/api.yml` (item 18)", async () => {
    const check = await checkFor(["/services/**/   sre-lead"], { "services/api.yml": "x" });
    expect(check).toMatchObject({ conclusion: "failure", output: { title: "Waiting for SRE Lead" } });
    expect(check.output.summary).toContain("   - changes `services/api.yml` (OWNERS line 23: `/services/**/`)");
  });

  it("an escaped `\\*` owns only a file named `*`: a README change needs no Database Owner, and the line is shown as written (item 16)", async () => {
    const readme = await checkFor(["\\*   database-owner"], { "README.md": "# hello" });
    expect(readme).toMatchObject({ conclusion: "success", output: { title: "No sign-off needed: no gate applies to this pull request" } });
    const star = await checkFor(["\\*   database-owner"], { "docs/*": "a file named *" });
    expect(star.output.title).toBe("Waiting for Database Owner");
    expect(star.output.summary).toContain("(OWNERS line 23: `\\*`)");
  });

  it("`f\\*o` owns `f*o`, not `foo` (item 16)", async () => {
    expect((await checkFor(["f\\*o   database-owner"], { "foo/x.txt": "x" })).output.title).toBe("No sign-off needed: no gate applies to this pull request");
    expect((await checkFor(["f\\*o   database-owner"], { "f*o/x.txt": "x" })).output.title).toBe("Waiting for Database Owner");
  });

  it("a `[ ]` character range is refused: the OWNERS file is invalid, so the check fails closed and says where", async () => {
    const check = await checkFor(["*.[ch]   sre-lead"], { "src/main.c": "int main;" });
    expect(check.conclusion).toBe("failure");
    expect(check.output.summary).toContain("character ranges (`[ ]`) are not supported, as in GitHub's CODEOWNERS");
    expect(check.output.summary).toMatch(/OWNERS:23:1/);
  });
});
