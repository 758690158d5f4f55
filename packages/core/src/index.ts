export { emailAddressProblem } from './address';
export { MailtrapClient } from './client';
export { CLIENT_OPTION_KEYS, type MailtrapClientOptionKey } from './client-options';
export type { BatchSendingClient, EmailLogsClient, SendingClient, TemplatesClient } from './client-slices';
export { delay } from './delay';
export { toWireMail } from './wire';
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
  MailtrapUnsupportedRuntimeError,
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
  SerializedBatchRequest,
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
  verifyWebhookSignatureAsync,
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
export { defaultEndpoints, endpointLayout, endpointsFromBase, environmentVariables } from './options';
export type { TransportName } from './transport';
export type {
  AccountAccess,
  AccountAccessesListParams,
  AccountAccessesResource,
  PermissionInput,
} from './resources/account-accesses';
export type { AccountsResource } from './resources/accounts';
export type {
  ApiToken,
  ApiTokenInput,
  ApiTokensList,
  ApiTokensResource,
  ApiTokenWithToken,
} from './resources/api-tokens';
export type { BillingResource, BillingUsage } from './resources/billing';
export {
  type Call,
  type CallInput,
  type CallOptions,
  defineOperation,
  type HttpMethod,
  type OperationDefinition,
} from './resources/call';
export type { ContactEvent, ContactEventInput, ContactEventsResource } from './resources/contact-events';
export type {
  ContactExport,
  ContactExportFilter,
  ContactExportInput,
  ContactExportListFilter,
  ContactExportStatusFilter,
  ContactExportsResource,
} from './resources/contact-exports';
export type {
  ContactField,
  ContactFieldDataType,
  ContactFieldInput,
  ContactFieldsResource,
  ContactFieldUpdateInput,
} from './resources/contact-fields';
export type {
  ContactImport,
  ContactImportContact,
  ContactImportInput,
  ContactImportsResource,
} from './resources/contact-imports';
export type { ContactList, ContactListInput, ContactListsResource } from './resources/contact-lists';
export type {
  Contact,
  ContactFieldValue,
  ContactInput,
  ContactResponse,
  ContactsResource,
  ContactUpdateInput,
  ContactUpdateResponse,
} from './resources/contacts';
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
export type { InboundFolder, InboundFolderInput, InboundFoldersResource } from './resources/inbound-folders';
export type { InboundInbox, InboundInboxesResource, InboundInboxInput } from './resources/inbound-inboxes';
export type {
  InboundMessage,
  InboundMessageDetails,
  InboundMessagesListParams,
  InboundMessagesPage,
  InboundMessagesResource,
} from './resources/inbound-messages';
export type { PermissionResource, PermissionsResource } from './resources/permissions';
export type { Project, ProjectInput, ProjectsResource } from './resources/projects';
export { OPERATION_REGISTRY, type RegisteredOperation } from './resources/registry';
export type {
  SandboxAttachment,
  SandboxAttachmentsListParams,
  SandboxAttachmentsResource,
} from './resources/sandbox-attachments';
export type {
  SandboxHtmlAnalysis,
  SandboxMessage,
  SandboxMessageAttributes,
  SandboxMessageForwardInput,
  SandboxMessageHeaders,
  SandboxMessagesListParams,
  SandboxMessagesResource,
  SandboxMessageUpdateInput,
  SandboxSpamReport,
} from './resources/sandbox-messages';
export type { Sandbox, SandboxesResource, SandboxInput, SandboxUpdateInput } from './resources/sandboxes';
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
  SubAccount,
  SubAccountInput,
  SubAccountsOptions,
  SubAccountsResource,
} from './resources/sub-accounts';
export type {
  SuppressionCreateResult,
  SuppressionInput,
  SuppressionsListParams,
  SuppressionsResource,
} from './resources/suppressions';
export type { TemplatesResource } from './resources/templates';
export {
  type Webhook,
  type WebhookCreateResult,
  type WebhookDeleteResult,
  type WebhookInput,
  type WebhookResult,
  type WebhooksList,
  type WebhooksResource,
  type WebhookUpdate,
  WEBHOOK_EVENT_TYPES,
} from './resources/webhooks';
