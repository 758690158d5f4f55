/**
 * The sandbox testing API's JSON shapes (sandbox.openapi.yml: Project, TestingSandbox,
 * SandboxMessage, attachments), built from the SandboxAccount's records.
 */
import { composeMessage, visibleContent } from '../mime';
import type { CapturedMessage, Project, Sandbox, SandboxAccount } from './sandbox-account';

/** What the shapes need from the running emulator. */
export interface SandboxView {
  account: SandboxAccount;
  accountId: number;
  /** The host name of the emulator's API. */
  host: string;
  maxMessageBytes: number;
  /** The ports of the SMTP listener that takes the sandboxes' credentials (none when SMTP is off). */
  smtpPorts: number[];
}

const FULL_PERMISSIONS = { can_read: true, can_update: true, can_destroy: true, can_leave: false };

/** Rails' `number_to_human_size`, as the API writes sizes: `300 Bytes`, `1.5 KB`, `12.1 MB`. */
export function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'Byte' : 'Bytes'}`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.parseFloat(value.toPrecision(3))} ${units[unit]}`;
}

export function sandboxJson(view: SandboxView, sandbox: Sandbox) {
  const counts = view.account.counts(sandbox.id);
  return {
    id: sandbox.id,
    name: sandbox.name,
    username: sandbox.username,
    password: sandbox.password,
    max_size: 0,
    status: 'active' as const,
    email_username: sandbox.emailUsername,
    email_username_enabled: sandbox.emailUsernameEnabled,
    sent_messages_count: sandbox.sentMessagesCount,
    forwarded_messages_count: sandbox.forwardedMessagesCount,
    used: sandbox.sentMessagesCount > 0,
    forward_from_email_address: `a${view.accountId}-i${sandbox.id}@forward.mailtrap-kit.test`,
    project_id: sandbox.projectId,
    domain: view.host,
    pop3_domain: view.host,
    email_domain: view.account.emailAddress(sandbox).split('@')[1]!,
    api_domain: view.host,
    emails_count: counts.emails,
    emails_unread_count: counts.unread,
    last_message_sent_at: sandbox.lastMessageSentAt,
    smtp_ports: view.smtpPorts,
    // no POP3 listener serves the sandboxes: no ports to name
    pop3_ports: [] as number[],
    max_message_size: view.maxMessageBytes,
    permissions: { ...FULL_PERMISSIONS, can_leave: true },
  };
}

export function projectJson(view: SandboxView, project: Project) {
  return {
    id: project.id,
    name: project.name,
    sandboxes: view.account.sandboxes(project.id).map((sandbox) => sandboxJson(view, sandbox)),
    permissions: { ...FULL_PERMISSIONS, can_leave: true },
  };
}

function messagePath(view: SandboxView, captured: CapturedMessage): string {
  return `/api/accounts/${view.accountId}/sandboxes/${captured.sandboxId}/messages/${captured.id}`;
}

const emailSizes = new WeakMap<CapturedMessage, number>();

/** The size of the message's MIME source (built once per message, then remembered). */
async function emailSize(captured: CapturedMessage): Promise<number> {
  let size = emailSizes.get(captured);
  if (size === undefined) {
    size = (await composeMessage(captured.message)).length;
    emailSizes.set(captured, size);
  }
  return size;
}

/**
 * A captured message as the API shows it. `shape`: 'message' for show and list (blacklist info an
 * object), 'change' for the answers of update and delete (their schema has it as a boolean).
 */
export async function messageJson(
  view: SandboxView,
  captured: CapturedMessage,
  shape: 'message' | 'change' = 'message',
) {
  const message = captured.message;
  const content = visibleContent(message);
  const first = message.to[0] ?? message.cc[0] ?? message.bcc[0];
  const size = await emailSize(captured);
  const path = messagePath(view, captured);
  return {
    id: captured.id,
    sandbox_id: captured.sandboxId,
    subject: content.subject,
    sent_at: message.receivedAt,
    from_email: message.from.email,
    from_name: message.from.name ?? '',
    to_email: first?.email ?? '',
    to_name: first?.name ?? '',
    email_size: size,
    is_read: captured.isRead,
    created_at: captured.createdAt,
    updated_at: captured.updatedAt,
    template_id: message.template_id ?? 0,
    template_variables: message.template_variables ?? null,
    html_body_size: Buffer.byteLength(content.html ?? ''),
    text_body_size: Buffer.byteLength(content.text ?? ''),
    human_size: humanSize(size),
    html_path: `${path}/body.html`,
    txt_path: `${path}/body.txt`,
    raw_path: `${path}/body.raw`,
    download_path: `${path}/body.eml`,
    html_source_path: `${path}/body.htmlsource`,
    // the emulator checks no blacklist: the check was not made (no made-up report)
    blacklists_report_info: shape === 'message' ? { result: 'error' as const } : false,
    smtp_information: {
      ok: true,
      data: {
        mail_from_addr: message.from.email,
        client_ip: '127.0.0.1',
        rcpt_to_addrs: [...message.to, ...message.cc, ...message.bcc].map((address) => address.email),
      },
    },
  };
}

export function attachmentJson(view: SandboxView, captured: CapturedMessage, index: number) {
  const attachment = captured.message.attachments[index]!;
  const id = captured.attachmentIds[index]!;
  return {
    id,
    message_id: captured.id,
    filename: attachment.filename,
    attachment_type: attachment.disposition,
    content_type: attachment.type ?? 'application/octet-stream',
    content_id: attachment.content_id ?? null,
    transfer_encoding: null,
    attachment_size: attachment.size,
    created_at: captured.createdAt,
    updated_at: captured.createdAt,
    attachment_human_size: humanSize(attachment.size),
    download_path: `${messagePath(view, captured)}/attachments/${id}/download`,
  };
}
