export { emailAddressProblem } from './address';
export { MailtrapClient } from './client';
export { CLIENT_OPTION_KEYS, type MailtrapClientOptionKey } from './client-options';
export type { BatchSendingClient, EmailLogsClient, SendingClient, TemplatesClient } from './client-slices';
export { delay } from './delay';
export {
  MailtrapAbortError,
  MailtrapAuthenticationError,
  MailtrapConfigurationError,
  MailtrapContactImportError,
  type ContactImportProblem,
  MailtrapError,
  type MailtrapErrorCode,
  type MailtrapErrorOptions,
  markErrorClass,
  MailtrapNetworkError,
  MailtrapNotFoundError,
  MailtrapPayloadTooLargeError,
  MailtrapPermissionError,
  MailtrapRateLimitError,
  MailtrapServerError,
  MailtrapTimeoutError,
  MailtrapValidationError,
} from './errors';
export { createMemoryRateLimitStore, type MemoryRateLimitStoreSettings } from './rate-limit';
export type {
  Account,
  Address,
  Attachment,
  BatchBase,
  BatchItemResult,
  BatchMessage,
  BatchSendOptions,
  BatchSendRequest,
  BatchSendResult,
  EmailLogEvent,
  EmailLogMessage,
  EmailLogStatus,
  EmailLogsPage,
  EmailTemplate,
  EmailTemplateInput,
  MailtrapClientOptions,
  MailtrapEndpoints,
  MailtrapHost,
  MailtrapRequestOptions,
  MailtrapStream,
  AccountLimitName,
  AccountRateLimitsOptions,
  RateLimitOptions,
  ResponseType,
  RateLimitReserveOptions,
  RateLimitStore,
  RequestOptions,
  RetryOptions,
  SendMail,
  SendResult,
  Suppression,
} from './types';
export {
  LIMITS,
  messageSize,
  type ValidationOptions,
  validateBatch,
  validateSendMail,
} from './validation';
export {
  parseWebhookEvents,
  verifyWebhookSignature,
  type WebhookBounceEvent,
  type WebhookClickEvent,
  type WebhookDeliveryEvent,
  type WebhookEvent,
  type WebhookEventBase,
  type WebhookOpenEvent,
  type WebhookPayload,
  type WebhookRejectEvent,
  type WebhookSpamEvent,
  type WebhookUnsubscribeEvent,
} from './webhooks';
export { ACCOUNT_RATE_LIMITS } from './limiter';
export { environmentVariables } from './options';
export type { AccountsResource } from './resources/accounts';
export type {
  ApiToken,
  ApiTokenInput,
  ApiTokensList,
  ApiTokensResource,
  ApiTokenWithToken,
} from './resources/api-tokens';
export {
  type Call,
  type CallInput,
  type CallOptions,
  defineOperation,
  type HttpMethod,
  type OperationDefinition,
} from './resources/call';
export type {
  CompanyInfo,
  CompanyInfoInput,
  CompanyInfoResult,
  CompanyInfoUpdate,
  Domain,
  DomainComplianceStatus,
  DomainDnsRecord,
  DomainsList,
  DomainsResource,
  DomainUpdate,
} from './resources/domains';
export type { EmailLogsFilters, EmailLogsListParams, EmailLogsResource } from './resources/email-logs';
export { OPERATION_REGISTRY, type RegisteredOperation } from './resources/registry';
export type {
  EmailServiceProvider,
  SendingStats,
  StatsByCategory,
  StatsByDate,
  StatsByDomain,
  StatsByEmailServiceProvider,
  StatsFilters,
  StatsResource,
} from './resources/stats';
export type {
  SuppressionCreateResult,
  SuppressionInput,
  SuppressionsListParams,
  SuppressionsResource,
} from './resources/suppressions';
export type { TemplatesResource } from './resources/templates';
export type {
  Webhook,
  WebhookCreateResult,
  WebhookDeleteResult,
  WebhookInput,
  WebhookResult,
  WebhooksList,
  WebhooksResource,
  WebhookUpdate,
} from './resources/webhooks';
