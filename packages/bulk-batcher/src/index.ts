export { BulkInputError, BulkJournalError } from './errors';
export { Journal, type JournalHeader, type JournalItemState, type ReplayedBatch } from './journal';
export {
  type BulkProgress,
  type BulkRun,
  type BulkRunSettings,
  type BulkRunSummary,
  createBulkRun,
  type RecipientResult,
} from './run';
export {
  type BulkBase,
  buildBatchRequest,
  isValidEmail,
  jsonBytes,
  type PackedBatch,
  type PackedItem,
  type PackSettings,
  packRecipients,
  prepareBase,
  type Recipient,
  type RecipientInput,
  type RecipientOverrides,
  type RejectedRecipient,
} from './packer';
export {
  type BatchAttemptResult,
  classifyBatchError,
  classifyBatchResponse,
  type ItemOutcome,
  isRetryableItemError,
  type RecipientStatus,
  type SendPackedBatchOptions,
  sendPackedBatch,
} from './outcomes';
export {
  type CsvReaderOptions,
  type ReaderOptions,
  type RecipientSource,
  readCsvRecipients,
  readNdjsonRecipients,
} from './readers';
export {
  createWindowRateLimitStore,
  type Settlement,
  type SettleOptions,
  settleUncertain,
  type UncertainRecipient,
} from './settle';
export { createRunId, parseRecipientTag, recipientTag, TAG_ID_KEY, TAG_RUN_KEY } from './tag';
export {
  API_LIMITS,
  type BatchSendingClient,
  type BatchSendRequest,
  type BatchSendResult,
  type EmailLogsClient,
  type RateLimitStore,
} from './wire';
