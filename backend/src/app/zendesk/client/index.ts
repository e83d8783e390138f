export { ZendeskClient } from './zendesk-client';
export { parseIncrementalHeader } from './rate-limit-headers';
export type { ZendeskAuth, ZendeskClientOptions, ZendeskClientStats, ZendeskRequestInfo } from './zendesk-client.types';
export { ZendeskApiError, ZendeskNotFoundError, ZendeskRateLimitError, ZendeskNetworkError } from './zendesk.errors';
export type { ZendeskApiErrorInit } from './zendesk.errors';
export { RollingWindowLimiter } from './rate-limiter';
export type { LimiterClock, LimiterPermit, RateLimitObservation, SleepFn } from './rate-limiter';
export * from './zendesk.types';
export { JsonDocument } from '@app/common/json-document';
export {
  COMMENT_KINDS,
  commentText,
  htmlToText,
  isCommentKind,
  isScrubbed,
  mergeTargetOf,
} from '@app/tickets/comment-text';
