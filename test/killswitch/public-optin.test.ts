/**
 * The public opt-in in authority.yml (`public: { max, per }` on an activation scenario): accepted by
 * the JSON Schema and the loader where it makes sense, refused with a located message where it
 * cannot work (no `anyone` in `who`, an approval in advance, a zero window).
 */
import { describe, expect, it } from "vitest";
import { applyEdits, d9Texts, load } from "../validate/support.js";

const DATA_CORRUPTION = "      who: [anyone]\n      approval: none\n";

async function problems(edit: { from: string; to: string }): Promise<string[]> {
  const result = await load(applyEdits(d9Texts(), [{ file: "authority.yml", ...edit }]));
  return result.ok ? [] : result.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.message}${d.hint ? ` (${d.hint})` : ""}`);
}

describe("authority.yml `public`", () => {
  it("loads on a scenario with `who: [anyone]` that takes effect at once", async () => {
    expect(await problems({ from: DATA_CORRUPTION, to: "      who: [anyone]\n      public: { max: 2, per: 1h }\n      approval: none\n" })).toEqual([]);
  });

  it("is refused without `anyone` in `who`", async () => {
    const found = await problems({ from: "      who: [on-call]\n      approval: none\n", to: "      who: [on-call]\n      public: { max: 2, per: 1h }\n      approval: none\n" });
    expect(found).toEqual([expect.stringMatching(/^governance\/authority\.yml:\d+:\d+ kill-switch scenario error-rate-20: `public` lets people without access to the repository activate, but `who` does not include `anyone` \(add `anyone` to `who` \(people with access\), or remove `public`\)$/)]);
  });

  it("is refused on a scenario approved in advance, and with a zero window", async () => {
    const found = await problems({
      from: "      who: [ingestion-owner]\n      approval: { roles: [product-manager], in_advance: 24h }",
      to: "      who: [anyone]\n      public: { max: 1, per: 0m }\n      approval: { roles: [product-manager], in_advance: 24h }",
    });
    expect(found).toEqual([
      expect.stringContaining("kill-switch scenario planned-maintenance: `public` on a scenario approved in advance (a pull request) is never used"),
      expect.stringContaining("kill-switch scenario planned-maintenance: `public.per` is 0m, a window that counts nothing"),
    ]);
  });

  it("is refused by the schema when `max` is not a positive whole number or a key is unknown", async () => {
    const found = await problems({ from: DATA_CORRUPTION, to: "      who: [anyone]\n      public: { max: 0, per: 1h, burst: 3 }\n      approval: none\n" });
    expect(found.length).toBeGreaterThanOrEqual(1);
    expect(found.join("\n")).toMatch(/public/);
  });
});
