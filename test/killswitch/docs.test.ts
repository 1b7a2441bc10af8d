/** docs/killswitch.md: the Node snippet a service uses really reads the state Charter writes. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { setFetchGuardEnabled, validateRequest } from "../support/openapi/index.js";
import { useNock, world } from "./harness.js";

type KillSwitch = (o: { owner: string; repo: string; token: string; workspace?: string }) => Promise<{ paused: boolean; scope?: string; reason?: string }>;

/**
 * The snippet's request is validated against GitHub's OpenAPI description here; its answer is not,
 * because the guard checks JSON bodies and the raw media type answers with the file itself.
 */
const rawFetch = async (url: string, init: RequestInit): Promise<Response> => {
  const check = validateRequest({ method: "GET", url: url.replace("https://api.github.com", ""), headers: new Headers(init.headers), body: undefined });
  if (!check.ok) throw new Error(`invalid request: ${check.problems.join("; ")}`);
  const previous = setFetchGuardEnabled(false);
  try {
    return await fetch(url, init);
  } finally {
    setFetchGuardEnabled(previous);
  }
};

function nodeSnippet(): KillSwitch {
  const doc = readFileSync("docs/killswitch.md", "utf8");
  const js = /```js\n([\s\S]*?)```/.exec(doc)![1]!;
  const body = js.slice(0, js.indexOf("// Fail closed")).replace(/^import .*$/m, "").replace("export async function", "async function");
  return new Function("parse", "fetch", `${body}\nreturn killSwitch;`)(parse, rawFetch) as KillSwitch;
}

describe("docs/killswitch.md", () => {
  useNock();

  it("the Node snippet sees global override a workspace, through the contents API (raw)", async () => {
    const killSwitch = nodeSnippet();
    const w = await world();
    const ask = (workspace?: string) => killSwitch({ owner: "acme", repo: "ingestion", token: "t", ...(workspace ? { workspace } : {}) });
    expect(await ask("acme")).toEqual({ paused: false });
    await w.say("olga-oncall", "/killswitch activate workspace:acme error-rate-20 acme failing");
    expect(await ask("acme")).toMatchObject({ paused: true, scope: "workspace:acme", reason: "acme failing" });
    expect(await ask("globex")).toEqual({ paused: false });
    await w.say("olga-oncall", "/killswitch activate global data-corruption duplicates");
    expect(await ask("globex")).toMatchObject({ paused: true, scope: "global" });
    expect(await ask()).toMatchObject({ paused: true, scope: "global" });
    const raw = w.fake.requests.filter((r) => r.method === "GET" && r.path.endsWith("/contents/governance/state/killswitch.yml"));
    expect(raw.length).toBe(5);
  });
});
