import type { Clock } from "../clock.js";
import type { GovernanceCache } from "../github/governance.js";
import type { IdentitySource } from "../github/identity.js";
import type { Notifier } from "../notify/notifier.js";

/** What handlers need from outside: time, caches and who Charter is. Tests pass their own. */
export interface CharterDeps {
  clock: Clock;
  governance: GovernanceCache;
  /** Charter's own identity and seal keys: the only author whose markers count (src/github/identity.ts). */
  identity: IdentitySource;
  /** Sends messages to the channels of notify.yml (Slack, Teams, email, webhooks, PagerDuty); what was sent is recorded in GitHub. */
  notify?: Notifier;
}
