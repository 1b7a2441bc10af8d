import type * as Crypto from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";

// count the HMACs computed (the memo's only effect is fewer of them)
const hmacs = vi.hoisted(() => ({ count: 0 }));
vi.mock("node:crypto", async (importOriginal) => {
  const actual = await importOriginal<typeof Crypto>();
  return {
    ...actual,
    createHmac: (...args: Parameters<typeof actual.createHmac>) => {
      hmacs.count++;
      return actual.createHmac(...args);
    },
  };
});

const { MAX_VERIFIED_SEALS, checkSeal, seal } = await import("../../src/core/trust/seal.js");
const { sealKeysFrom } = await import("../../src/github/identity.js");

describe("a seal verified once is not hashed again", () => {
  const keys = sealKeysFrom({ CHARTER_SEAL_KEYS: "m".repeat(40) }, undefined);
  beforeEach(() => {
    hmacs.count = 0;
  });

  it("the same marker read again: valid, without a second HMAC; any other byte is hashed and refused", () => {
    const s = seal(keys, "request:acme/api:charter/resume-1", '{"kind":"resume"}');
    hmacs.count = 0;
    expect(checkSeal(keys, "request:acme/api:charter/resume-1", '{"kind":"resume"}', s)).toBe("valid");
    expect(hmacs.count).toBe(1);
    expect(checkSeal(keys, "request:acme/api:charter/resume-1", '{"kind":"resume"}', s)).toBe("valid");
    expect(hmacs.count).toBe(1);
    // a changed payload, scope or seal is a different entry: computed, and refused as before
    expect(checkSeal(keys, "request:acme/api:charter/resume-1", '{"kind":"rollback"}', s)).toBe("invalid");
    expect(checkSeal(keys, "request:acme/api:charter/resume-2", '{"kind":"resume"}', s)).toBe("invalid");
    expect(checkSeal(keys, "request:acme/api:charter/resume-1", '{"kind":"resume"}', `${s.slice(0, -1)}${s.endsWith("A") ? "B" : "A"}`)).toBe("invalid");
    expect(hmacs.count).toBe(4);
    // scope and payload boundaries cannot be shifted onto a remembered entry
    expect(checkSeal(keys, "request:acme/api:charter/resume-", `1{"kind":"resume"}`, s)).toBe("invalid");
    expect(hmacs.count).toBe(5);
  });

  it("invalid seals are never remembered: refused and hashed every time", () => {
    const forged = "x".repeat(32);
    expect(checkSeal(keys, "incident:acme/api#1", "{}", forged)).toBe("invalid");
    expect(checkSeal(keys, "incident:acme/api#1", "{}", forged)).toBe("invalid");
    expect(hmacs.count).toBe(2);
  });

  it("is remembered per keys: other keys (a rotation, another app) verify for themselves", () => {
    const s = seal(keys, "x", "p");
    expect(checkSeal(keys, "x", "p", s)).toBe("valid");
    const other = sealKeysFrom({ CHARTER_SEAL_KEYS: "o".repeat(40) }, undefined);
    hmacs.count = 0;
    expect(checkSeal(other, "x", "p", s)).toBe("invalid");
    expect(hmacs.count).toBe(1);
  });

  it("is bounded: the oldest seal is forgotten (hashed again, still valid), the newest is not", () => {
    const many = sealKeysFrom({ CHARTER_SEAL_KEYS: "b".repeat(40) }, undefined);
    const seals = Array.from({ length: MAX_VERIFIED_SEALS + 1 }, (_, i) => seal(many, `s${i}`, "p"));
    seals.forEach((s, i) => expect(checkSeal(many, `s${i}`, "p", s)).toBe("valid"));
    hmacs.count = 0;
    expect(checkSeal(many, `s${MAX_VERIFIED_SEALS}`, "p", seals[MAX_VERIFIED_SEALS]!)).toBe("valid");
    expect(hmacs.count).toBe(0);
    expect(checkSeal(many, "s0", "p", seals[0]!)).toBe("valid");
    expect(hmacs.count).toBe(1);
  });
});
