import type { MailtrapClient } from './client';

// The parts of a client that adapters use. Each adapter declares what it needs with one of these
// (or an intersection), so a test can hand it a small object and a user any client that has them;
// core's MailtrapClient has them all (client-slices.test.ts checks it).

/** Sends single messages on a stream: what the Nodemailer transport needs to send one message. */
export type SendingClient = Pick<MailtrapClient, 'stream' | 'sandboxId' | 'send'>;

/**
 * Sends batches (`POST /api/batch`): what bulk sending needs. `batchSendJson`, when the client has
 * it (core's does), takes messages serialized already; without it they go through `batchSend`.
 */
export type BatchSendingClient = Pick<MailtrapClient, 'batchSend'> &
  Partial<Pick<MailtrapClient, 'batchSendJson'>>;

/** Reads Email Logs page by page or as one iteration: what settlement of uncertain batches needs. */
export interface EmailLogsClient {
  emailLogs: Pick<MailtrapClient['emailLogs'], 'list' | 'iterate'>;
}

/** The Templates API: what templates push/pull needs. */
export interface TemplatesClient {
  templates: MailtrapClient['templates'];
}
