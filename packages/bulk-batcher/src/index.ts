export { BulkInputError, BulkJournalError } from './errors';
export {
  noPersistence,
  type PersistencePort,
  SendEngine,
  type SendEngineSettings,
  type SendRoundsResult,
  type SettledItem,
} from './engine';
export type { DryRunReport, VariableUse } from './dry-run';
export {
  Journal,
  type JournalHeader,
  type JournalItemState,
  type JournalSummary,
  journalPort,
  type ReplayedBatch,
  summarizeJournal,
} from './journal';
export { type BulkRun, type BulkRunSummary, createBulkRun } from './run';
export type { BulkRunSettings } from './run-settings';
export type { BulkProgress, RecipientResult } from './progress';
export type { ReasonCount } from './reasons';
export {
  type BulkBase,
  buildBatchRequest,
  isSendable,
  jsonBytes,
  loadMergeSupport,
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
  campaignRefusal,
  classifyBatchError,
  classifyBatchResponse,
  type ItemOutcome,
  isRetryableItemError,
  type RecipientStatus,
  type SendPackedBatchOptions,
  type StopReason,
  sendPackedBatch,
} from './outcomes';
export {
  type CsvReaderOptions,
  detectDelimiter,
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
