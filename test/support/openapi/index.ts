export { validateRequest, validateResponse, validatorStats, formatProblems } from "./validator.js";
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
