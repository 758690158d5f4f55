/**
 * The wire shapes this package builds and reads. They mirror @mailtrap-kit/core's exported types
 * structurally (snake_case, exactly the API's JSON), so a core `MailtrapClient` — or anything with the
 * same two methods — can be passed as the sending client.
 */

export interface Address {
  email: string;
  name?: string;
}

export interface Attachment {
  filename: string;
  /** A string is already base64; bytes are base64-encoded by the client. */
  content?: string | Uint8Array;
  /** A file read and base64-encoded by the client. */
  path?: string;
  stream?: unknown;
  type?: string;
  disposition?: 'inline' | 'attachment';
  content_id?: string;
}

export interface SendMail {
  from: Address;
  to?: Address[];
  cc?: Address[];
  bcc?: Address[];
  reply_to?: Address;
  subject?: string;
  text?: string;
  html?: string;
  attachments?: Attachment[];
  headers?: Record<string, string>;
  custom_variables?: Record<string, string>;
  category?: string;
  template_uuid?: string;
  template_variables?: Record<string, unknown>;
}

/** Fields shared by every message of a batch (no recipients). */
export type BatchBase = Omit<SendMail, 'to' | 'cc' | 'bcc' | 'from'> & { from?: Address };
export type BatchMessage = Partial<SendMail>;
export interface BatchSendRequest {
  base?: BatchBase;
  requests: BatchMessage[];
}
export interface BatchItemResult {
  success: boolean;
  message_ids?: string[];
  errors?: string[];
}
export interface BatchSendResult {
  success: boolean;
  responses: BatchItemResult[];
  errors?: string[];
}

/** One message as Email Logs lists it (only the fields this package reads). */
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
export interface EmailLogsListParams {
  filters?: Record<string, unknown>;
  search_after?: string;
}

/** What the batch sender needs from a client: core's `MailtrapClient` satisfies it. */
export interface BatchSendingClient {
  batchSend(batch: BatchSendRequest, options?: { signal?: AbortSignal }): Promise<BatchSendResult>;
}

/** What Email Logs settlement needs from a client: core's `MailtrapClient` satisfies it. */
export interface EmailLogsClient {
  emailLogs: {
    list(params?: EmailLogsListParams, options?: { signal?: AbortSignal }): Promise<EmailLogsPage>;
  };
}

/** Core's rate-limit store interface: reserve one slot, resolve with the ms to wait first. */
export interface RateLimitStore {
  reserve(key: string, limit: { requests: number; windowMs: number }): Promise<number>;
}

/** The documented API limits the packer enforces (same values as core's `LIMITS`). */
export const API_LIMITS = {
  maxRecipientsPerField: 1000,
  maxBatchRequests: 500,
  maxBatchBytes: 52_428_800,
  maxMessageBytes: 10_485_760,
  maxCustomVariablesBytes: 1000,
  maxCategoryLength: 255,
} as const;
