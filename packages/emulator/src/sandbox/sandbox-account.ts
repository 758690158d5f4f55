/**
 * The sandbox side of the emulated account: projects, their sandboxes (each with its own SMTP
 * credentials and email address) and the messages captured in each sandbox, with the integer ids
 * the sandbox testing API uses. A captured message refers to the stored message the sending route
 * kept; this class keeps only what the sandbox adds (its id, read state, attachment ids).
 */
import { randomBytes } from 'node:crypto';
import type { SandboxForward, StoredMessage } from '../types';

export interface Project {
  id: number;
  name: string;
  createdAt: string;
}

export interface Sandbox {
  id: number;
  projectId: number;
  name: string;
  /** SMTP user name and password of the sandbox. */
  username: string;
  password: string;
  /** The local part of the sandbox's own email address. */
  emailUsername: string;
  emailUsernameEnabled: boolean;
  sentMessagesCount: number;
  forwardedMessagesCount: number;
  lastMessageSentAt: string | null;
  createdAt: string;
}

export interface CapturedMessage {
  /** The sandbox API's message id. */
  id: number;
  sandboxId: number;
  message: StoredMessage;
  isRead: boolean;
  createdAt: string;
  updatedAt: string;
  /** The sandbox API's attachment ids, in the order of `message.attachments`. */
  attachmentIds: number[];
  /** About the bytes the message holds: its bodies and decoded attachments. */
  bytes: number;
}

/** One forward of a captured message (`POST .../forward`). */
export type ForwardRecord = SandboxForward;

export interface SandboxAccountSettings {
  /** Sandboxes that exist from the start; undefined: sandbox 1, and any other id on its first message. */
  sandboxIds?: number[];
  /** Most captured messages kept over all sandboxes (oldest dropped first). */
  retain: number;
  /** Upper bound of the bytes of the kept messages (bodies and attachments; oldest dropped first). */
  retainBytes: number;
  /** The domain of the sandboxes' email addresses. */
  emailDomain: string;
}

/** Told of every captured message kept, changed or removed, so a storage can follow (persistence.ts). */
export interface CapturedJournal {
  kept(captured: CapturedMessage): void;
  removed(id: number): void;
}

/** Field errors in the account API's 422 shape, or undefined when the input is valid. */
export type FieldErrors = Record<string, string[]> | undefined;

export const SANDBOX_PAGE_SIZE = 30;
const NAME_MIN = 2;
const NAME_MAX = 100;
const EMAIL_USERNAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

function nameErrors(name: unknown): FieldErrors {
  if (typeof name !== 'string' || name.trim() === '') return { name: ["can't be blank"] };
  if (name.length < NAME_MIN) return { name: [`is too short (minimum is ${NAME_MIN} characters)`] };
  if (name.length > NAME_MAX) return { name: [`is too long (maximum is ${NAME_MAX} characters)`] };
  return undefined;
}

export class SandboxAccount {
  private readonly projectsById = new Map<number, Project>();
  private readonly sandboxesById = new Map<number, Sandbox>();
  /** Captured messages by id, in arrival order (a Map keeps insertion order). */
  private readonly captured = new Map<number, CapturedMessage>();
  private readonly deletedSandboxes = new Set<number>();
  private readonly forwardRecords: ForwardRecord[] = [];
  private nextProjectId = 1;
  private nextSandboxId = 1;
  private nextMessageId = 1;
  private nextAttachmentId = 1;
  private keptBytes = 0;
  /** Set when the emulator has a storage. */
  journal?: CapturedJournal;

  constructor(private readonly settings: SandboxAccountSettings) {
    const project = this.addProject('My Project');
    for (const id of settings.sandboxIds ?? [1]) this.addSandbox(project.id, `Sandbox ${id}`, id);
  }

  // ---- projects

  projects(): Project[] {
    return [...this.projectsById.values()];
  }

  project(id: number): Project | undefined {
    return this.projectsById.get(id);
  }

  checkProject(input: { name?: unknown }): FieldErrors {
    return nameErrors(input.name);
  }

  createProject(name: string): Project {
    return this.addProject(name);
  }

  updateProject(id: number, name: string): Project | undefined {
    const project = this.projectsById.get(id);
    if (project) project.name = name;
    return project;
  }

  /** Deletes a project with its sandboxes and their messages. */
  deleteProject(id: number): Project | undefined {
    const project = this.projectsById.get(id);
    if (!project) return undefined;
    for (const sandbox of this.sandboxes(id)) this.deleteSandbox(sandbox.id);
    this.projectsById.delete(id);
    return project;
  }

  private addProject(name: string): Project {
    const project = { id: this.nextProjectId++, name, createdAt: new Date().toISOString() };
    this.projectsById.set(project.id, project);
    return project;
  }

  // ---- sandboxes

  sandboxes(projectId?: number): Sandbox[] {
    const all = [...this.sandboxesById.values()];
    return projectId === undefined ? all : all.filter((sandbox) => sandbox.projectId === projectId);
  }

  sandbox(id: number): Sandbox | undefined {
    return this.sandboxesById.get(id);
  }

  checkSandbox(
    input: { name?: unknown; email_username?: unknown },
    partial: boolean,
    id?: number,
  ): FieldErrors {
    const errors: Record<string, string[]> = {};
    if (!partial || input.name !== undefined) Object.assign(errors, nameErrors(input.name));
    if (input.email_username !== undefined) {
      const value = input.email_username;
      if (typeof value !== 'string' || !EMAIL_USERNAME.test(value)) errors.email_username = ['is invalid'];
      else if (this.sandboxes().some((sandbox) => sandbox.id !== id && sandbox.emailUsername === value)) {
        errors.email_username = ['has already been taken'];
      }
    }
    return Object.keys(errors).length > 0 ? errors : undefined;
  }

  createSandbox(projectId: number, name: string): Sandbox {
    return this.addSandbox(projectId, name);
  }

  updateSandbox(id: number, input: { name?: string; email_username?: string }): Sandbox | undefined {
    const sandbox = this.sandboxesById.get(id);
    if (!sandbox) return undefined;
    if (input.name !== undefined) sandbox.name = input.name;
    if (input.email_username !== undefined) sandbox.emailUsername = input.email_username;
    return sandbox;
  }

  /** Deletes a sandbox with all its messages; its id is never accepted again. */
  deleteSandbox(id: number): Sandbox | undefined {
    const sandbox = this.sandboxesById.get(id);
    if (!sandbox) return undefined;
    this.clean(id);
    this.sandboxesById.delete(id);
    this.deletedSandboxes.add(id);
    return sandbox;
  }

  /** New SMTP user name and password. */
  resetCredentials(id: number): Sandbox | undefined {
    const sandbox = this.sandboxesById.get(id);
    if (!sandbox) return undefined;
    sandbox.username = hex(7);
    sandbox.password = hex(7);
    return sandbox;
  }

  /** Turns the sandbox's email address on or off. */
  toggleEmailUsername(id: number): Sandbox | undefined {
    const sandbox = this.sandboxesById.get(id);
    if (sandbox) sandbox.emailUsernameEnabled = !sandbox.emailUsernameEnabled;
    return sandbox;
  }

  /** A new generated local part for the sandbox's email address. */
  resetEmailUsername(id: number): Sandbox | undefined {
    const sandbox = this.sandboxesById.get(id);
    if (sandbox) sandbox.emailUsername = this.newEmailUsername();
    return sandbox;
  }

  /** The sandbox's own email address. */
  emailAddress(sandbox: Sandbox): string {
    return `${sandbox.emailUsername}@${this.settings.emailDomain}`;
  }

  /** Whether the sandbox stream accepts messages for this id. */
  accepts(id: number): boolean {
    if (!Number.isInteger(id) || id < 1) return false;
    if (this.sandboxesById.has(id)) return true;
    return this.settings.sandboxIds === undefined && !this.deletedSandboxes.has(id);
  }

  /** The sandbox whose SMTP credentials these are. */
  byCredentials(username: string, password: string): Sandbox | undefined {
    for (const sandbox of this.sandboxesById.values()) {
      if (sandbox.username === username && sandbox.password === password) return sandbox;
    }
    return undefined;
  }

  private addSandbox(projectId: number, name: string, id = this.nextSandboxId): Sandbox {
    const sandbox: Sandbox = {
      id,
      projectId,
      name,
      username: hex(7),
      password: hex(7),
      emailUsername: this.newEmailUsername(),
      emailUsernameEnabled: false,
      sentMessagesCount: 0,
      forwardedMessagesCount: 0,
      lastMessageSentAt: null,
      createdAt: new Date().toISOString(),
    };
    this.sandboxesById.set(id, sandbox);
    this.nextSandboxId = Math.max(this.nextSandboxId, id + 1);
    return sandbox;
  }

  private newEmailUsername(): string {
    return `${hex(5)}-${hex(3)}`;
  }

  // ---- messages

  /**
   * Captures a message sent to the sandbox stream. A sandbox id the account does not have yet
   * (allowed when no `sandboxIds` were set) gets a sandbox in the first project.
   */
  capture(message: StoredMessage, sandboxId = message.sandboxId): CapturedMessage | undefined {
    if (sandboxId === undefined || !this.accepts(sandboxId)) return undefined;
    let sandbox = this.sandboxesById.get(sandboxId);
    if (!sandbox) {
      const project = this.projects()[0] ?? this.addProject('My Project');
      sandbox = this.addSandbox(project.id, `Sandbox ${sandboxId}`, sandboxId);
    }
    const now = new Date().toISOString();
    const captured: CapturedMessage = {
      id: this.nextMessageId++,
      sandboxId,
      message,
      isRead: false,
      createdAt: now,
      updatedAt: now,
      attachmentIds: message.attachments.map(() => this.nextAttachmentId++),
      bytes: messageBytes(message),
    };
    this.captured.set(captured.id, captured);
    this.keptBytes += captured.bytes;
    this.journal?.kept(captured);
    sandbox.sentMessagesCount++;
    sandbox.lastMessageSentAt = message.receivedAt;
    this.trim();
    return captured;
  }

  /** Puts back captured messages a storage kept (in id order), with the retention bounds of these settings. */
  restoreCaptured(list: CapturedMessage[]): void {
    for (const captured of list) {
      this.captured.set(captured.id, captured);
      this.keptBytes += captured.bytes;
    }
    this.trim();
  }

  /** Drops the oldest captured messages beyond the retention bounds. */
  private trim(): void {
    while (
      this.captured.size > this.settings.retain ||
      (this.keptBytes > this.settings.retainBytes && this.captured.size > 1)
    ) {
      this.remove(this.captured.values().next().value as CapturedMessage);
    }
  }

  /**
   * A page of a sandbox's messages, newest first: `SANDBOX_PAGE_SIZE` per page; `lastId` (which
   * wins over `page`) gives the messages older than that id; `search` matches the subject, the
   * To addresses and names (case-insensitive).
   */
  messages(
    sandboxId: number,
    query: { search?: string; page?: number; lastId?: number } = {},
  ): CapturedMessage[] {
    const search = query.search?.trim().toLowerCase();
    const list: CapturedMessage[] = [];
    for (const captured of this.captured.values()) {
      if (captured.sandboxId !== sandboxId) continue;
      if (query.lastId !== undefined && captured.id >= query.lastId) continue;
      if (search && !matchesSearch(captured.message, search)) continue;
      list.push(captured);
    }
    list.reverse();
    if (query.lastId !== undefined) return list.slice(0, SANDBOX_PAGE_SIZE);
    const page = query.page !== undefined && query.page >= 1 ? Math.floor(query.page) : 1;
    return list.slice((page - 1) * SANDBOX_PAGE_SIZE, page * SANDBOX_PAGE_SIZE);
  }

  message(sandboxId: number, id: number): CapturedMessage | undefined {
    const captured = this.captured.get(id);
    return captured?.sandboxId === sandboxId ? captured : undefined;
  }

  setRead(captured: CapturedMessage, isRead: boolean): CapturedMessage {
    captured.isRead = isRead;
    captured.updatedAt = new Date().toISOString();
    this.journal?.kept(captured);
    return captured;
  }

  deleteMessage(captured: CapturedMessage): CapturedMessage {
    this.remove(captured);
    return captured;
  }

  private remove(captured: CapturedMessage): void {
    if (!this.captured.delete(captured.id)) return;
    this.keptBytes -= captured.bytes;
    this.journal?.removed(captured.id);
  }

  /** Deletes every message of the sandbox. */
  clean(sandboxId: number): void {
    for (const captured of [...this.captured.values()]) {
      if (captured.sandboxId === sandboxId) this.remove(captured);
    }
  }

  markAllRead(sandboxId: number): void {
    const now = new Date().toISOString();
    for (const captured of this.captured.values()) {
      if (captured.sandboxId === sandboxId && !captured.isRead) {
        captured.isRead = true;
        captured.updatedAt = now;
        this.journal?.kept(captured);
      }
    }
  }

  /** How many messages the sandbox holds, and how many of them are unread. */
  counts(sandboxId: number): { emails: number; unread: number } {
    let emails = 0;
    let unread = 0;
    for (const captured of this.captured.values()) {
      if (captured.sandboxId !== sandboxId) continue;
      emails++;
      if (!captured.isRead) unread++;
    }
    return { emails, unread };
  }

  /**
   * Records a forward. Nothing leaves the machine: when `email` is the enabled email address of
   * a sandbox of the account, a copy is captured there; any other address is only recorded.
   */
  forward(captured: CapturedMessage, email: string): ForwardRecord {
    const sandbox = this.sandboxesById.get(captured.sandboxId);
    if (sandbox) sandbox.forwardedMessagesCount++;
    const target = this.sandboxes().find(
      (candidate) =>
        candidate.emailUsernameEnabled && this.emailAddress(candidate).toLowerCase() === email.toLowerCase(),
    );
    const record: ForwardRecord = {
      sandboxId: captured.sandboxId,
      messageId: captured.id,
      email,
      time: new Date().toISOString(),
    };
    if (target && this.capture(captured.message, target.id)) record.deliveredToSandboxId = target.id;
    this.forwardRecords.push(record);
    return record;
  }

  forwards(): ForwardRecord[] {
    return this.forwardRecords.slice();
  }

  /** Drops every captured message and forward record; projects and sandboxes stay. */
  reset(): void {
    this.captured.clear();
    this.keptBytes = 0;
    this.forwardRecords.length = 0;
    for (const sandbox of this.sandboxesById.values()) {
      sandbox.sentMessagesCount = 0;
      sandbox.forwardedMessagesCount = 0;
      sandbox.lastMessageSentAt = null;
    }
  }
}

function messageBytes(message: StoredMessage): number {
  const content = message.rendered ?? message;
  let bytes = Buffer.byteLength(content.text ?? '') + Buffer.byteLength(content.html ?? '');
  for (const attachment of message.attachments) bytes += attachment.size;
  return bytes;
}

function matchesSearch(message: StoredMessage, search: string): boolean {
  const subject = (message.rendered?.subject ?? message.subject ?? '').toLowerCase();
  if (subject.includes(search)) return true;
  return message.to.some(
    (address) =>
      address.email.toLowerCase().includes(search) || (address.name ?? '').toLowerCase().includes(search),
  );
}
