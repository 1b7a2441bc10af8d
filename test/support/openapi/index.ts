export { validateRequest, validateResponse, validateWebhook, validatorStats, formatProblems, webhookSchemaKey } from "./validator.js";
export type { RequestLike, ResponseLike, RequestValidation, ResponseValidation, MatchedOperation, ValidatorStats } from "./validator.js";
export {
  expectOpenApiViolation,
  formatViolations,
  githubApiBases,
  installFetchGuard,
  openApiViolations,
  OpenApiViolationError,
  recordOpenApiViolation,
  registerGitHubApiBase,
  setFetchGuardEnabled,
  takeOpenApiViolations,
} from "./guard.js";
export type { OpenApiViolation } from "./guard.js";
export {
  checkWebhookDelivery,
  expectWebhookViolation,
  formatWebhookViolations,
  installProbotReceiveGuard,
  takeWebhookViolations,
  webhookViolations,
  WebhookViolationError,
} from "./webhook-guard.js";
export type { WebhookViolation } from "./webhook-guard.js";
