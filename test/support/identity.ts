import { appIdentity, fixedIdentity, sealKeysFrom } from "../../src/github/identity.js";

/** The seal secret every test app holds (the emulator's and the fakes' app: id 1, slug `charter`). */
export const TEST_SEAL_SECRET = "test-seal-secret-0123456789abcdef0123456789abcdef";

/** Charter as the tests' GitHub App: `charter[bot]`, app id 1, sealing with {@link TEST_SEAL_SECRET}. */
export const TEST_IDENTITY = appIdentity({ id: 1, slug: "charter" }, sealKeysFrom({ CHARTER_SEAL_KEYS: TEST_SEAL_SECRET }, undefined));

export const testIdentity = fixedIdentity(TEST_IDENTITY);
