/**
 * PagerDuty Events API v2, as PagerDuty documents it: the request body of `POST /v2/enqueue`
 * (PagerDuty/api-schema, reference/events-v2/openapiv3.json: `routing_key` and `event_action`
 * required; `dedup_key` required unless the action is `trigger`; a trigger's `payload` needs
 * `summary`, `severity` (critical, warning, error, info) and `source`, and may have `timestamp`
 * (date-time), `component`, `group`, `class`, `custom_details` (an object); `client`, `client_url`,
 * `links` (`href` required), `images` (`src` required)), plus the limits of PagerDuty's developer
 * documentation: a routing key has 32 characters, a summary at most 1024, a dedup key at most 255.
 * Nothing else is allowed, so a field PagerDuty does not know fails the check.
 */
import { Ajv } from "ajv";
import addFormats from "ajv-formats";

const link = { type: "object", required: ["href"], additionalProperties: false, properties: { href: { type: "string", format: "uri" }, text: { type: "string" } } };
const image = { type: "object", required: ["src"], additionalProperties: false, properties: { src: { type: "string", format: "uri" }, href: { type: "string", format: "uri" }, alt: { type: "string" } } };

export const EVENTS_V2_SCHEMA = {
  type: "object",
  required: ["routing_key", "event_action"],
  additionalProperties: false,
  properties: {
    routing_key: { type: "string", minLength: 32, maxLength: 32 },
    event_action: { enum: ["trigger", "acknowledge", "resolve"] },
    dedup_key: { type: "string", minLength: 1, maxLength: 255 },
    payload: {
      type: "object",
      required: ["summary", "severity", "source"],
      additionalProperties: false,
      properties: {
        summary: { type: "string", minLength: 1, maxLength: 1024 },
        timestamp: { type: "string", format: "date-time" },
        severity: { enum: ["critical", "warning", "error", "info"] },
        source: { type: "string", minLength: 1 },
        component: { type: "string" },
        group: { type: "string" },
        class: { type: "string" },
        custom_details: { type: "object" },
      },
    },
    client: { type: "string" },
    client_url: { type: "string", format: "uri" },
    links: { type: "array", items: link },
    images: { type: "array", items: image },
  },
  allOf: [
    { if: { properties: { event_action: { const: "trigger" } } }, then: { required: ["payload"] }, else: { required: ["dedup_key"] } },
  ],
} as const;

const ajv = new Ajv({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv) => void)(ajv);
const validate = ajv.compile(EVENTS_V2_SCHEMA);

/** The problems of an event against the documented Events API v2 (empty: valid). */
export function eventsV2Problems(event: unknown): string[] {
  if (validate(event)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "invalid"}`);
}
