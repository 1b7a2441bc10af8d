/** An installation token lists its own installation's repositories, as on GitHub (the sweeps walk them). */
import { Octokit } from "@octokit/rest";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type GitHubEmulator } from "./index.js";

let gh: GitHubEmulator | undefined;
afterEach(async () => {
  await gh?.stop();
  gh = undefined;
});

describe("GET /installation/repositories", () => {
  it("answers an installation token with that installation's repositories only", async () => {
    gh = await startEmulator();
    gh.createRepo("acme/one", { ownerType: "Organization" });
    gh.createRepo("acme/two", { ownerType: "Organization" });
    gh.createRepo("other/three", { ownerType: "Organization" });
    const app = new Octokit({ baseUrl: gh.apiUrl, auth: "app-jwt" });
    const { data: token } = await app.request("POST /app/installations/{installation_id}/access_tokens", { installation_id: gh.installationId("acme") });
    const acme = new Octokit({ baseUrl: gh.apiUrl, auth: token.token });
    const { data } = await acme.request("GET /installation/repositories");
    expect(data.repositories.map((r) => r.full_name).sort()).toEqual(["acme/one", "acme/two"]);
    expect(gh.violations).toEqual([]);
  });
});
