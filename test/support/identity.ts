import { decodeRequest, encodeRequest, requestScope, type DecodedRequest, type RequestMarker } from "../../src/core/trust/request.js";
import { appIdentity, fixedIdentity, sealKeysFrom } from "../../src/github/identity.js";

/** The seal secret every test app holds (the emulator's and the fakes' app: id 1, slug `charter`). */
export const TEST_SEAL_SECRET = "test-seal-secret-0123456789abcdef0123456789abcdef";

/** Charter as the tests' GitHub App: `charter[bot]`, app id 1, sealing with {@link TEST_SEAL_SECRET}. */
export const TEST_IDENTITY = appIdentity({ id: 1, slug: "charter" }, sealKeysFrom({ CHARTER_SEAL_KEYS: TEST_SEAL_SECRET }, undefined));

export const testIdentity = fixedIdentity(TEST_IDENTITY);

/** The request sealed into a Charter pull request's description, as Charter reads it back (or why not). */
export function requestIn(pr: { body: string; head: string }, repoFullName = "acme/ingestion"): DecodedRequest | undefined {
  return decodeRequest(pr.body, TEST_IDENTITY.keys, requestScope(repoFullName, pr.head));
}

/** The sealed marker line Charter writes for `request` on branch `head`. */
export function sealedRequest(request: RequestMarker, head: string, repoFullName = "acme/ingestion"): string {
  return encodeRequest(request, TEST_IDENTITY.keys, requestScope(repoFullName, head));
}
