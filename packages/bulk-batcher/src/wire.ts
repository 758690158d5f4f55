/**
 * The wire shapes this package builds and reads: core's own types (snake_case, exactly the API's
 * JSON), so a core `MailtrapClient` — or anything with the same methods — can be the sending client.
 */
import {
  type Address,
  type EmailLogsClient as CoreEmailLogsClient,
  LIMITS,
  type SendMail,
} from '@mailtrap-kit/core';

export type {
  Address,
  BatchSendingClient,
  Attachment,
  BatchItemResult,
  BatchMessage,
  BatchSendOptions,
  BatchSendRequest,
  BatchSendResult,
  EmailLogsListParams,
  RateLimitStore,
  SendMail,
} from '@mailtrap-kit/core';

/** Fields shared by every message of a batch (no recipients; `from` may come per message). */
export type BatchBase = Omit<SendMail, 'to' | 'cc' | 'bcc' | 'from'> & { from?: Address };

/** One message as Email Logs lists it: only the fields this package reads (core's `EmailLogMessage` fits). */
export interface EmailLogsMessage {
  message_id: string;
  to?: string | null;
  custom_variables?: Record<string, unknown> | null;
  sent_at?: string | null;
  [key: string]: unknown;
}
export interface EmailLogsPage {
  messages: EmailLogsMessage[];
  total_count?: number;
  next_page_cursor?: string | null;
}

/**
 * What Email Logs settlement needs of a client: the `list` of core's `EmailLogsClient` slice (pages
 * are read one by one, each under Email Logs' own rate limit). core's `MailtrapClient` has it.
 */
export interface EmailLogsClient {
  emailLogs: Pick<CoreEmailLogsClient['emailLogs'], 'list'>;
}

/** The documented API limits the packer enforces: core's frozen `LIMITS`. */
export const API_LIMITS = LIMITS;
