/**
 * The bridge between the emulator and the OpenAPI validator: every request the emulator receives
 * and every response it sends is checked, and problems become recorded violations.
 */
import { formatProblems, validateRequest, validateResponse, type RequestValidation } from "../support/openapi/validator.js";

export type ViolationKind = "unknown-endpoint" | "invalid-request" | "invalid-response" | "unimplemented" | "handler-error";

export interface EmulatorViolation {
  kind: ViolationKind;
  method: string;
  /** path and query as received (including any `/api/v3` prefix) */
  path: string;
  status: number;
  problems: string[];
  message: string;
}

export function makeViolation(kind: ViolationKind, method: string, path: string, status: number, problems: string[]): EmulatorViolation {
  const head = kind === "invalid-response" ? "response" : "request";
  const message = `emulator ${kind} (answered ${status}): ${formatProblems(head, method, path, problems).replace(/^OpenAPI (request|response) violation: /, "")}`;
  return { kind, method, path, status, problems, message };
}

export function checkRequest(method: string, path: string, headers: Record<string, string | string[] | undefined>, body: string): RequestValidation {
  return validateRequest({ method, url: path, headers, body: body.length ? body : undefined });
}

export function checkResponse(method: string, path: string, status: number, body: unknown): string[] {
  return validateResponse({ method, url: path, status, body }).problems;
}
