import { describe, expect, it } from "vitest";
import { NO_SEAL_KEYS, UNSEALED, checkSeal, seal } from "../../src/core/trust/seal.js";
import { sealKeyProblems, sealKeysFrom } from "../../src/github/identity.js";

const keys = sealKeysFrom({ CHARTER_SEAL_KEYS: "a".repeat(40) }, undefined);

describe("sealed markers", () => {
  it("verify where they were made, and nowhere else", () => {
    const s = seal(keys, "incident:acme/api#12", '{"v":1}');
    expect(checkSeal(keys, "incident:acme/api#12", '{"v":1}', s)).toBe("valid");
    expect(checkSeal(keys, "incident:acme/api#13", '{"v":1}', s)).toBe("invalid");
    expect(checkSeal(keys, "incident:acme/api#12", '{"v":2}', s)).toBe("invalid");
    expect(checkSeal(keys, "incident:acme/api#12", '{"v":1}', undefined)).toBe("invalid");
    expect(checkSeal(keys, "incident:acme/api#12", '{"v":1}', UNSEALED)).toBe("invalid");
  });

  it("a rotated key still verifies old seals while the new key seals", () => {
    const old = sealKeysFrom({ CHARTER_SEAL_KEYS: "o".repeat(40) }, undefined);
    const rotated = sealKeysFrom({ CHARTER_SEAL_KEYS: `${"n".repeat(40)},${"o".repeat(40)}` }, undefined);
    const before = seal(old, "x", "p");
    expect(checkSeal(rotated, "x", "p", before)).toBe("valid");
    expect(seal(rotated, "x", "p")).not.toBe(before);
  });

  it("keys derive from the app's private key when none are configured; another key does not verify", () => {
    const a = sealKeysFrom({}, "-----BEGIN RSA PRIVATE KEY-----\\nAAA\\n-----END RSA PRIVATE KEY-----");
    const b = sealKeysFrom({}, "-----BEGIN RSA PRIVATE KEY-----\nBBB\n-----END RSA PRIVATE KEY-----");
    expect(checkSeal(b, "x", "p", seal(a, "x", "p"))).toBe("invalid");
  });

  it("without keys (advisory mode) only an explicitly unsealed marker is accepted, and said so", () => {
    expect(seal(NO_SEAL_KEYS, "x", "p")).toBe(UNSEALED);
    expect(checkSeal(NO_SEAL_KEYS, "x", "p", UNSEALED)).toBe("unsealed-accepted");
  });

  it("refuses short seal secrets with a clear message", () => {
    expect(sealKeyProblems({ CHARTER_SEAL_KEYS: "short" })).toEqual([
      "CHARTER_SEAL_KEYS entry 1 has 5 characters; use at least 32 random characters (e.g. `openssl rand -hex 32`)",
    ]);
  });
});
