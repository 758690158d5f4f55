import { MailtrapValidationError, MailtrapErrorOptions, MailtrapConfigurationError, SendMail, Address, EmailLogsClient as EmailLogsClient$1, BatchMessage, BatchSendRequest, BatchSendResult, BatchSendingClient, RateLimitStore, MailtrapEndpoints } from '@mailtrap-kit/core';
export { BatchSendRequest, BatchSendResult, BatchSendingClient, RateLimitStore } from '@mailtrap-kit/core';
import { CompiledTemplate } from '@mailtrap-kit/templates';

/**
 * Thrown before anything is sent when the base message, the settings or the input cannot work
 * (a missing column, a bad `from`, an unknown flag). Code `bulk.input` (a `MailtrapValidationError`);
 * `field` names what is wrong.
 */
declare class BulkInputError extends MailtrapValidationError {
    constructor(message: string, field?: string, options?: MailtrapErrorOptions);
}
/**
 * Thrown when a journal cannot be used for this run: it belongs to another campaign or input file,
 * it is not a journal, or it cannot be read or written. Code `bulk.journal` (a
 * `MailtrapConfigurationError`).
 */
declare class BulkJournalError extends MailtrapConfigurationError {
    /** The journal's path. */
    readonly journal: string | undefined;
    constructor(message: string, options?: MailtrapErrorOptions & {
        journal?: string;
    });
}

/**
 * The wire shapes this package builds and reads: core's own types (snake_case, exactly the API's
 * JSON), so a core `MailtrapClient` — or anything with the same methods — can be the sending client.
 */

/** Fields shared by every message of a batch (no recipients; `from` may come per message). */
type BatchBase = Omit<SendMail, 'to' | 'cc' | 'bcc' | 'from'> & {
    from?: Address;
};
/**
 * What Email Logs settlement needs of a client: the `list` of core's `EmailLogsClient` slice (pages
 * are read one by one, each under Email Logs' own rate limit). core's `MailtrapClient` has it.
 */
interface EmailLogsClient {
    emailLogs: Pick<EmailLogsClient$1['emailLogs'], 'list'>;
}
/** The documented API limits the packer enforces: core's frozen `LIMITS`. */
declare const API_LIMITS: Readonly<{
    readonly maxRecipientsPerField: 1000;
    readonly maxBatchRequests: 500;
    readonly maxBatchBytes: 52428800;
    readonly maxMessageBytes: 10485760;
    readonly maxCustomVariablesBytes: 1000;
    readonly maxCategoryLength: 255;
}>;

/** Message fields one recipient may override (everything but its own `to` and variables). */
type RecipientOverrides = Omit<BatchMessage, 'to' | 'template_variables' | 'custom_variables'>;
/** One recipient of a campaign. */
interface Recipient {
    email: string;
    name?: string;
    /**
     * The recipient's variables (CSV columns, NDJSON fields), with `email` and `name` added. A template
     * campaign sends them as `template_variables` (merged over the base's); a content campaign
     * (`subject`/`text`/`html`) renders its content with them, per recipient, like Mailtrap would.
     */
    template_variables?: Record<string, unknown>;
    /** Merged over the base's custom_variables; `mtk_run` and `mtk_id` are reserved for the tag. */
    custom_variables?: Record<string, string>;
    overrides?: RecipientOverrides;
    /** The input line it came from (the readers set it): named in every reason it is refused for. */
    line?: number;
}
/** An input row a reader could not turn into a recipient; it ends as `failed` with `rejected` as the reason. */
interface RejectedRecipient {
    email: string;
    rejected: string;
    line?: number;
}
type RecipientInput = Recipient | RejectedRecipient;
/** The base message of a campaign: everything shared, `from` required, either a template or content. */
type BulkBase = BatchBase & {
    from: Address;
};
interface PackSettings {
    base: BulkBase;
    /** Goes into every message's tag; the same run id must be used to resume or settle. */
    runId: string;
    /** Requests per batch, at most 500 (the API's limit). Default 500. */
    maxBatchRequests?: number;
    /** Default 52,428,800 (50 MB). Lower only for tests or a proxy with a smaller limit. */
    maxBatchBytes?: number;
    /** Default 10,485,760 (10 MB); raise to 31,457,280 only when Mailtrap raised it for your account. */
    maxMessageBytes?: number;
    /**
     * Skip a recipient whose address (case-insensitive) came earlier in the input: it becomes an item
     * with `duplicate` set and is never sent. Default false.
     */
    skipDuplicates?: boolean;
}
interface PackedItem {
    /** Position of the recipient in the input, from 0. The tag's `mtk_id`. */
    sequence: number;
    /** Position inside its batch (sequence - batch.firstSequence). */
    offset: number;
    email: string;
    /**
     * The message to send as its JSON text (one element of the batch's `requests`), serialized and
     * measured once when packed. Undefined when the recipient was rejected, or when the message has
     * attachments read only when it is sent (a path, bytes): then it is in `message`.
     */
    json?: string;
    /** The message to send as an object: only a message with attachments read when sent (see `json`). */
    message?: BatchMessage;
    /** Bytes of the message's JSON including base64 attachments. */
    bytes: number;
    /** Why the recipient can never be sent (it ends as `failed` with this reason). */
    error?: string;
    /** The address came earlier in the input (see `skipDuplicates`): the item is skipped, not sent. */
    duplicate?: true;
}
interface PackedBatch {
    /** Batch number, from 0, deterministic for the same input and settings. */
    batch: number;
    firstSequence: number;
    /** Recipients covered (sent and rejected): sequences firstSequence .. firstSequence + count - 1. */
    count: number;
    items: PackedItem[];
    /** The shared part of every request (custom_variables moved into each message). */
    base: BulkBase;
    /** sha256 of the batch's sequences and addresses (16 hex chars): proves a resumed run packed the same. */
    fingerprint: string;
}
/** Bytes of a message's JSON as sent, with attachments counted as base64 (paths are stat'ed). */
declare function jsonBytes(message: BatchMessage | BatchBase): number;
interface PreparedBase {
    base: BulkBase;
    /**
     * The base as each message is checked against: the same fields, long bodies cut to one
     * character and the attachments left out (the base's own checks cover them once), so checking a
     * recipient costs what the recipient adds, not a copy of the whole campaign.
     */
    checkBase: BatchBase;
    baseCustomVariables: Record<string, string>;
    /** No shared custom_variables: a plain recipient's are only its tag. */
    noBaseCustomVariables: boolean;
    baseTemplateVariables: Record<string, unknown> | undefined;
    templateMode: boolean;
    baseBytes: number;
    /**
     * Content campaigns whose subject, text or html use variables: the sources, rendered per recipient
     * (they are not in `base` then). Undefined when the content is the same for everyone.
     */
    merge: {
        subject?: string;
        body_text?: string;
        body_html?: string;
        compiled: CompiledTemplate;
        /** The subject has no text of its own outside `{{ }}`: its variables alone can leave it blank. */
        subjectMayBeBlank: boolean;
    } | undefined;
    /** Top-level variables the content uses (content campaigns; a template's are on Mailtrap's side). */
    variables: string[] | undefined;
}
/**
 * Loads the mail-merge renderer (`@mailtrap-kit/templates`) when the base's content uses `{{ }}`,
 * once per process: a campaign whose content is the same for everyone never loads it. Call it before
 * `prepareBase` on such content (`createBulkRun` and `packRecipients` do).
 */
declare function loadMergeSupport(base: BulkBase): Promise<void>;
/**
 * Checks the base message of a campaign and prepares it for packing. Throws `BulkInputError`
 * naming the field when the campaign cannot be sent at all.
 */
declare function prepareBase(given: BulkBase, maxMessageBytes?: number): PreparedBase;
/**
 * Packs recipients into batch requests honoring every limit at once: at most `maxBatchRequests`
 * (≤ 500) requests, 50 MB per batch and 10 MB per message including base64 attachments, 1000
 * addresses per field, 1000 bytes of custom_variables including the tag. A recipient that can never
 * fit is kept in its batch as an item with `error` (it ends as `failed`), it never stops the packing.
 * Every input item occupies one sequence number and one slot, so the same input and settings always
 * give the same batches — which is what lets a run resume and a queue worker re-pack deterministically.
 * Lazy: holds at most one batch in memory.
 */
declare function packRecipients(recipients: Iterable<RecipientInput> | AsyncIterable<RecipientInput>, settings: PackSettings): AsyncGenerator<PackedBatch>;
/** True when the item is to be sent: neither rejected nor a skipped duplicate. */
declare function isSendable(item: PackedItem): boolean;
/**
 * The batch request for some of a batch's items (default: every sendable one), in offset order, as
 * objects. `responses[i]` of the answer belongs to the i-th item given.
 */
declare function buildBatchRequest(batch: PackedBatch, items?: PackedItem[]): BatchSendRequest;

/**
 * The final state of a recipient, the same words in results, journal, status and both CLIs:
 * `sent` (accepted, with its message id), `failed` (refused for good, with the reason),
 * `uncertain` (the request may or may not have been accepted) and `unsent` (proven not accepted:
 * the error or Email Logs shows it never was, so sending it again cannot send it twice).
 */
type RecipientStatus = 'sent' | 'failed' | 'uncertain' | 'unsent';
/**
 * What one attempt did to one item: a final state, or `retry` — known NOT to have been sent
 * (429, connection refused, a retryable per-item error), so it may be sent again.
 */
interface ItemOutcome {
    sequence: number;
    offset: number;
    email: string;
    status: RecipientStatus | 'retry';
    messageId?: string;
    error?: string;
}
/**
 * Why a run stops after a batch: a refusal that will refuse every recipient. `authentication` (401),
 * `permission` (403), `refused` (every message of the batch refused for the sender or the template:
 * an unverified domain, an unknown template), `unreachable` (DNS has no such host, or the host refused
 * every connection). The batch's items are `retry`: nothing was accepted, a resume sends them.
 */
interface StopReason {
    code: 'authentication' | 'permission' | 'refused' | 'unreachable' | 'journal_mismatch';
    message: string;
}
interface BatchAttemptResult {
    outcomes: ItemOutcome[];
    /** Set when the whole run must stop (see {@link StopReason}): the batch's items are `retry` (not sent). */
    fatal?: StopReason;
    /** The request never reached a server (DNS, refused connection): nothing was sent. */
    unreachable?: boolean;
    /** The server's Retry-After, when it gave one. */
    retryAfterMs?: number;
}
/**
 * True when an item error inside a 200 batch answer means "not sent, may be sent again":
 * the messages speak of a rate limit, throttling or a temporary condition. Everything else
 * (validation, suppressed, forbidden) is a permanent failure.
 */
declare function isRetryableItemError(errors: readonly string[]): boolean;
/**
 * When every item of an answer was refused for a reason that will refuse every recipient (the
 * sender's domain, the template), the run must stop: the items become `retry` (nothing was accepted)
 * and the reason is returned. A batch with mixed or recipient-specific errors is left as it is.
 */
declare function campaignRefusal(outcomes: ItemOutcome[]): StopReason | undefined;
/**
 * Turns a batch answer (HTTP 200) into one outcome per item given, by position:
 * success → `sent` with message_ids[0]; item failure → `failed` with its errors, or `retry` when
 * the errors are retryable (see `isRetryableItemError`); an item the answer has no entry for →
 * `uncertain`. A top-level `success: false` without per-item answers fails every item with the
 * top-level errors (or retries them when those speak of a rate limit).
 */
declare function classifyBatchResponse(items: readonly PackedItem[], response: BatchSendResult): ItemOutcome[];
/**
 * Turns an error thrown by `batchSend` into one outcome per item, by core's error fields:
 * `maybeSent` (5xx, timeout or reset after the body left, an abort mid-request) → `uncertain`;
 * 401/403 (`authentication` / `permission`) → `retry` plus `fatal` (the run must stop; nothing was sent);
 * `retryable` (429, connection refused, a request that never left) → `retry`;
 * anything else with a status or code (400, 413, validation) → `failed` with the server's messages.
 * An error that is not a MailtrapError (unknown fate) → `uncertain`.
 */
declare function classifyBatchError(items: readonly PackedItem[], error: unknown): BatchAttemptResult;
interface SendPackedBatchOptions {
    /** Which items to send (default: every sendable item of the batch). */
    items?: PackedItem[];
    signal?: AbortSignal;
    /**
     * The messages were checked by `packRecipients` (or its settings' equivalent): core checks only
     * the batch limits, not each message again. Default true; pass false for messages built elsewhere.
     */
    validated?: boolean;
}
/**
 * Sends one packed batch (or some of its items) and returns one outcome per item sent, by the rules
 * of `classifyBatchResponse` / `classifyBatchError`. Messages serialized by the packer go as they are
 * through `client.batchSendJson` when the client has it (core's does), else through
 * `client.batchSend`. Never throws for a sending failure. Rejected items are not sent and not
 * included; report them as `failed` yourself.
 */
declare function sendPackedBatch(client: BatchSendingClient, batch: PackedBatch, options?: SendPackedBatchOptions): Promise<BatchAttemptResult>;

interface UncertainRecipient {
    sequence: number;
    email: string;
}
interface Settlement {
    sequence: number;
    email: string;
    /** `sent`: Email Logs holds a message with this recipient's tag. `unsent`: it holds none. */
    status: 'sent' | 'unsent';
    messageId?: string;
}
interface SettleOptions {
    /** The run id the recipients were tagged with. */
    runId: string;
    /** Only messages sent at or after this moment are looked at (the run's start, minus a margin). */
    sentAfter?: Date;
    /** Recipients per Email Logs query (keeps the URL short). Default 50. */
    addressesPerQuery?: number;
    /** Email Logs' own pool: 60 list requests per minute by default. `false` turns it off (tests). */
    rateLimit?: {
        requests: number;
        windowMs: number;
        store?: RateLimitStore;
        key?: string;
    } | false;
    signal?: AbortSignal;
}
/** A small in-memory sliding-window store with core's `RateLimitStore` shape. */
declare function createWindowRateLimitStore(): RateLimitStore;
/**
 * Settles uncertain recipients against Email Logs: lists the messages sent to their addresses
 * (`filters[to]` ci_equal, `filters[sent_after]`), paging with `search_after`, and matches each
 * message's `custom_variables` tag (run id + sequence). A recipient whose tag is found is `sent`
 * with that message id; one whose tag is absent is `unsent`. Absence is a proof only once Email
 * Logs has caught up: call this some time after the uncertain request ended (the batcher waits
 * `settleDelayMs`). Respects Email Logs' 60 requests/min. Throws when Email Logs cannot be read
 * (the recipients then stay uncertain).
 */
declare function settleUncertain(client: EmailLogsClient, recipients: readonly UncertainRecipient[], options: SettleOptions): Promise<Settlement[]>;

/** What Email Logs said about one uncertain recipient of a batch. */
interface SettledItem {
    offset: number;
    sequence: number;
    status: 'sent' | 'unsent';
    messageId?: string;
}
/**
 * Where the engine records a campaign as it goes: the journal file of `createBulkRun` and the Redis
 * store of bulk-bullmq's workers both implement it. `start` is awaited before the request leaves (so a
 * crash mid-request is known to have been in flight), `end` right after the answer with one outcome per
 * item sent, `settle` after Email Logs answered for uncertain items.
 */
interface PersistencePort {
    start(batch: PackedBatch, items: readonly PackedItem[]): void | Promise<void>;
    end(batch: PackedBatch, outcomes: readonly ItemOutcome[]): void | Promise<void>;
    settle(batch: PackedBatch, settlements: readonly SettledItem[]): void | Promise<void>;
}
/** A port that records nothing (a run without a journal). */
declare const noPersistence: PersistencePort;
interface SendEngineSettings {
    client: BatchSendingClient;
    /** For settlement; without it uncertain recipients stay uncertain. */
    emailLogs?: EmailLogsClient | undefined;
    /** The tag's run id (bulk-bullmq: the campaign id). */
    runId: string;
    port: PersistencePort;
    /** Called once per recipient when it reaches a final state. */
    report(item: PackedItem, status: RecipientStatus, detail?: string): void;
    /** Attempts for recipients known not to have been sent (429, refused connection). */
    maxAttempts: number;
    /** First backoff between attempts; doubles per attempt, full jitter, at most 30 s. Retry-After wins. */
    retryDelayMs: number;
    /** Send again recipients Email Logs proves unsent (otherwise they end `unsent`). */
    resendUnsent: boolean;
    /** Email Logs' own rate limit for settlement. */
    emailLogsRateLimit?: SettleOptions['rateLimit'];
    /** Messages sent before this moment are not looked at by settlement. */
    sentAfter: Date;
    /** Stops the engine: no new attempt starts, a backoff ends at once. */
    signal: AbortSignal;
    /**
     * Waits for a request slot (concurrency, pacing) and returns its release, or undefined when the
     * engine stopped meanwhile. Default: no slot to wait for.
     */
    acquire?(): Promise<(() => void) | undefined>;
    /**
     * Called at once when an answer says the run must stop, before the request slot is released, so no
     * request waiting for that slot leaves after it.
     */
    onStop?(reason: StopReason): void;
    /** A request with `items` messages is about to leave / has answered (progress). */
    onRequest?(items: number): void;
    onAnswer?(items: number): void;
}
/** How `send` left a batch. */
interface SendRoundsResult {
    /** Items whose request may or may not have been accepted: settle them through Email Logs. */
    uncertain: PackedItem[];
    /**
     * Items known not to have been sent that the engine gave up on (the attempts ran out, or the run
     * must stop): their reason is in `reason`. The caller reports them (`unsent`) or keeps them.
     */
    unsent: PackedItem[];
    reason?: string;
    /** Set when nothing more should be sent: a refusal that will refuse every recipient. */
    stop?: StopReason;
}
/**
 * The one send policy of both bulk packages: pack once, send a batch, read the answer item by item,
 * retry only what is known unsent (with one retry budget: the client's own retries are off), stop on a
 * refusal that will refuse every recipient, and settle uncertain items through Email Logs by their tag.
 */
declare class SendEngine {
    private readonly settings;
    constructor(settings: SendEngineSettings);
    get stopped(): boolean;
    /** Sends `items` of `batch` in attempts until each is final, uncertain or given up on. */
    send(batch: PackedBatch, items: PackedItem[]): Promise<SendRoundsResult>;
    /**
     * Looks uncertain items up in Email Logs and records what it says: found → `sent` with its id;
     * absent → proven unsent, returned for sending again when `resendUnsent`, else reported `unsent`.
     * Throws when Email Logs cannot be read (nothing is recorded then).
     */
    settle(candidates: ReadonlyArray<{
        batch: PackedBatch;
        item: PackedItem;
    }>): Promise<Map<PackedBatch, PackedItem[]>>;
}

/** One line of the results: the final state of one recipient. */
interface RecipientResult {
    email: string;
    status: RecipientStatus;
    message_id?: string;
    error?: string;
    /** Position of the recipient in the input, from 0 (not written to the results file). */
    sequence: number;
}
interface BulkProgress {
    runId: string;
    phase: 'sending' | 'settling' | 'done';
    /**
     * Valid recipients of the run (rows that can be sent); undefined until the input was read to its
     * end, unless `total` was given. Invalid rows are counted in `invalid`, not here.
     */
    total: number | undefined;
    /** Rows read from the input so far (valid and invalid). */
    read: number;
    sent: number;
    /** Refused for good, invalid rows included. */
    failed: number;
    /** Of `failed`: rows refused before sending (invalid address, broken CSV row...). */
    invalid: number;
    uncertain: number;
    /** Known not accepted and given up on for this run (a resume sends them). */
    unsent: number;
    /** Valid recipients in a final state: `sent + failed - invalid + uncertain + unsent`, out of `total`. */
    finished: number;
    /** Recipients in requests that have not answered yet. */
    inFlight: number;
    /** Recipients whose state came from the journal of an earlier run. */
    resumed: number;
    /** Batch requests sent by this run (attempts, retries included). */
    requests: number;
    /** Recipients finished per second over the last ten seconds. */
    recipientsPerSecond: number;
    /** Expected ms to the end, never below what the rate limit allows; undefined while total is unknown. */
    etaMs: number | undefined;
    elapsedMs: number;
}

/** Recipients that did not end `sent`, grouped by state and reason. */
interface ReasonCount {
    status: Exclude<RecipientStatus, 'sent'>;
    reason: string;
    count: number;
    /** Input lines of the first recipients with this reason (invalid rows), at most 10. */
    lines?: number[];
}

/** One variable the content uses, and how many recipients have no value for it. */
interface VariableUse {
    name: string;
    /** Recipients (valid rows) without it, or with an empty value. */
    missing: number;
}
/** What a dry run found: nothing was sent. */
interface DryRunReport {
    requests: number;
    bytes: number;
    expectedDurationMs: number;
    /** Recipients that would be sent. */
    valid: number;
    /** Rows refused before sending (their reasons are in the summary's `reasons`). */
    invalid: number;
    /** Rows skipped because their address came earlier. */
    duplicates: number;
    /**
     * The variables the content (`subject`/`text`/`html`) uses and how many recipients lack each.
     * Undefined for a template campaign: its content is on Mailtrap's side.
     */
    variables: VariableUse[] | undefined;
}

/** The first line of a journal: which run it belongs to and what it was started with. */
interface JournalHeader {
    t: 'run';
    version: 1;
    runId: string;
    /** sha256 of the settings that decide packing (base, batch limits, stream). */
    settings: string;
    /** sha256 of the input file, when the caller knows it (the CLI does). */
    input?: string;
    /** Recipients to send (valid rows), when the caller knows it: status then counts the rest as unsent. */
    recipients?: number;
    startedAt: string;
}
/** The last record of a run that left nothing to send (written by `finish`). */
interface JournalFinish {
    t: 'finish';
    at: string;
    sent: number;
    failed: number;
    uncertain: number;
    unsent: number;
}
/**
 * State of one item after replaying its batch's lines: `p` known unsent (refused before it was
 * accepted, a connection that never opened, the attempts ran out: a resume sends it; `error` says why),
 * `i` in flight when the run died, `s` sent, `f` failed, `u` uncertain, `n` proven unsent by Email
 * Logs (re-sent only with the user's consent).
 */
type JournalItemState = {
    state: 'p';
    error?: string;
} | {
    state: 'i';
} | {
    state: 's';
    messageId?: string;
} | {
    state: 'f';
    error: string;
} | {
    state: 'u';
    error?: string;
} | {
    state: 'n';
};
interface ReplayedBatch {
    fingerprint?: string;
    /** From the batch's start record: its first recipient and how many recipients it covers. */
    firstSequence?: number;
    count?: number;
    /** By offset inside the batch; offsets never mentioned are absent (pending or rejected). */
    items: Map<number, JournalItemState>;
}
/** The journal as the send engine's persistence port. */
declare function journalPort(journal: Journal): PersistencePort;
/**
 * An append-only NDJSON journal. Every record is written with one `writeSync` and flushed with
 * `fsyncSync` before the call returns: a `start` record is on disk before its request leaves, an
 * `end` record right after the answer. A torn last line (the process died mid-write) is ignored.
 * Only line positions per batch are kept in memory, so resuming a million-recipient run stays small.
 */
declare class Journal {
    readonly path: string;
    readonly header: JournalHeader;
    private readonly descriptor;
    private readonly index;
    /** The `finish` record, when the run it records left nothing to send. */
    finished: JournalFinish | undefined;
    private closed;
    private readOnly;
    private constructor();
    /**
     * Opens a journal. Without `resume` the file must not exist or be empty (so a rerun never silently
     * resends); with `resume` an existing journal must have the same settings (and input hash when given)
     * and its run id is kept. A missing or empty file with `resume` starts a new journal.
     */
    static open(path: string, header: Omit<JournalHeader, 't' | 'version' | 'startedAt'>, options: {
        resume: boolean;
    }): Journal;
    /** Opens an existing journal read-only (to report on it); `replay` works, writing does not. */
    static read(path: string): Journal;
    /** Batch numbers with records, in ascending order. */
    batches(): number[];
    /** Written and flushed before a request: these items of the batch are about to be sent. */
    start(batch: number, firstSequence: number, count: number, fingerprint: string, offsets: number[]): void;
    /** Written and flushed after an answer (or error): one outcome per item sent. */
    end(batch: number, outcomes: readonly ItemOutcome[]): void;
    /** Written when a run ended with nothing left to send: later runs know this campaign is done. */
    finish(counts: Omit<JournalFinish, 't' | 'at'>): void;
    /** Written after Email Logs settled uncertain items: `sent` with the id found, or proven `unsent`. */
    settle(batch: number, entries: ReadonlyArray<Pick<SettledItem, 'offset' | 'status' | 'messageId'>>): void;
    /** True when the journal has any record for the batch. */
    has(batch: number): boolean;
    /** Replays a batch's records into one state per item mentioned; items in flight at a crash stay `i`. */
    replay(batch: number): ReplayedBatch;
    close(): void;
    private write;
}
/**
 * What a journal says about its run, in the states every report uses: for `mailtrap-bulk status`.
 * `unsent` counts recipients known not accepted (a resume sends them) and, when the journal knows
 * how many recipients the run has, those no batch reached yet.
 */
interface JournalSummary {
    path: string;
    runId: string;
    startedAt: string;
    /** Valid recipients of the run, when the journal's writer knew it (the CLI does). */
    recipients: number | undefined;
    /** Batches with at least one request recorded. */
    batches: number;
    sent: number;
    /** Refused for good, invalid rows of the batches recorded included. */
    failed: number;
    uncertain: number;
    /** Known not accepted (sent by a resume) plus, when `recipients` is known, those not reached yet. */
    unsent: number;
    /** Of `unsent`: proven unsent by Email Logs, re-sent only with --resend-unsent. */
    unsentByEmailLogs: number;
    /** In a request when the process stopped: settled through Email Logs on resume. */
    inFlight: number;
    /** True when the run recorded that nothing was left to send. */
    finished: boolean;
}
/** Reads a journal without changing it and counts its recipients by state. */
declare function summarizeJournal(path: string): JournalSummary;

interface BulkRunSettings {
    recipients: Iterable<RecipientInput> | AsyncIterable<RecipientInput>;
    /** The shared message: `from` plus a template (`template_uuid`) or content (`subject` + `text`/`html`). */
    base: BulkBase;
    /** A client (core's MailtrapClient or the same two methods). Default: one built from the settings below. */
    client?: BatchSendingClient & Partial<EmailLogsClient>;
    /** Default `process.env.MAILTRAP_API_TOKEN` (only when no client is given). */
    token?: string;
    /**
     * Account id (only when no client is given): Email Logs settlement then reads
     * `/api/accounts/{accountId}/email_logs` instead of the token-scoped `/api/email_logs`.
     */
    accountId?: number | string;
    /** Default 'bulk'. */
    stream?: 'bulk' | 'transactional';
    /** Base URLs: `bulk` / `send` replace the stream's host (an emulator, a proxy), `general` the account API's. */
    endpoints?: Pick<MailtrapEndpoints, 'bulk' | 'send' | 'general'>;
    /** First backoff before re-sending recipients known unsent; doubles per attempt (full jitter, ≤ 30 s). Default 500 ms. */
    retryDelayMs?: number;
    /** Per request attempt (only when no client is given). Default 30,000 ms. */
    timeoutMs?: number;
    /** Requests in flight at once. Default 4. */
    concurrency?: number;
    /** Default 150 requests / 10 s (Mailtrap's limit); `store` shares it with other processes; false = off. */
    rateLimit?: {
        requests: number;
        windowMs: number;
        store?: RateLimitStore;
        key?: string;
    } | false;
    /** Requests per batch (≤ 500). Default 500. */
    batchSize?: number;
    /**
     * Attempts per recipient for failures known not to have sent anything (429, refused connection).
     * The only retry budget: the client the run builds does not retry on its own. Default 5.
     */
    maxAttempts?: number;
    /**
     * Skip a recipient whose address (any case) came earlier in the input, and count it in
     * `summary.duplicates`. Default false (the CLI turns it on unless `--allow-duplicates`): the check
     * keeps 8 bytes per address (about 18 MB per million recipients), which a list that is unique
     * already (a database query) does not need.
     */
    skipDuplicates?: boolean;
    /** Path of the append-only journal. Without one a crash loses track of in-flight batches. */
    journal?: string;
    /** Continue the run recorded in `journal`. */
    resume?: boolean;
    /** Hash of the input, stored in the journal and compared on resume (the CLI hashes the file). */
    inputHash?: string;
    /** Run id for the tags (default: random, or the journal's on resume). */
    runId?: string;
    /** Look uncertain recipients up in Email Logs at the end. Default true when the client has emailLogs. */
    settle?: boolean;
    /** Wait this long after the last uncertain request before asking Email Logs. Default 30,000 ms. */
    settleDelayMs?: number;
    /** Email Logs' rate limit (default 60 requests / minute); false = off (tests). */
    emailLogsRateLimit?: {
        requests: number;
        windowMs: number;
        store?: RateLimitStore;
    } | false;
    /** Re-send recipients that Email Logs proves were never accepted. Default false (they end `unsent`). */
    resendUnsent?: boolean;
    /** Path of an NDJSON results file: one `{email, status, message_id?, error?}` line per recipient. */
    results?: string;
    /** Called once per recipient with its final state. */
    onResult?: (result: RecipientResult) => void;
    /** Stops cleanly: no new request starts, the ones in flight are awaited, the journal is flushed. */
    signal?: AbortSignal;
    /** Validate and pack every recipient, count requests, bytes and the expected duration; send nothing. */
    dryRun?: boolean;
    /**
     * The number of valid recipients, when known (the CLI reads the file first): the ETA before the
     * input was read to its end, and the count of recipients left unsent by a stopped run.
     */
    total?: number;
    /** Progress events at most this often. Default 250 ms. */
    progressIntervalMs?: number;
}

interface BulkRunSummary {
    runId: string;
    /** Valid recipients (rows that can be sent); invalid rows are in `invalid`, duplicates in `duplicates`. */
    total: number;
    sent: number;
    /** Refused for good, invalid rows included. */
    failed: number;
    /** Of `failed`: rows refused before sending (their reasons, with line numbers, in `reasons`). */
    invalid: number;
    uncertain: number;
    /** Not accepted: given up on, stopped before they were sent, or proven unsent. A resume sends them. */
    unsent: number;
    /** Rows skipped because their address came earlier in the input (with `skipDuplicates`). */
    duplicates: number;
    /** Batch requests sent (attempts included). */
    requests: number;
    /** Why the run ended early: 'aborted' (the signal), 'fatal' (a refusal that would refuse everyone). */
    stopped?: 'aborted' | 'fatal';
    fatalError?: StopReason;
    /** Everything that did not end `sent`, grouped by state and reason, largest group first. */
    reasons: ReasonCount[];
    /** Email Logs could not be read: the uncertain recipients stay uncertain. */
    settlementError?: string;
    journal?: string;
    dryRun?: DryRunReport;
    durationMs: number;
}
interface BulkRun {
    /** Resolves when the run ended (finished, stopped or fatal); rejects on bad input or settings. */
    readonly done: Promise<BulkRunSummary>;
    on(event: 'progress', listener: (progress: BulkProgress) => void): this;
    on(event: 'result', listener: (result: RecipientResult) => void): this;
    off(event: 'progress' | 'result', listener: (...args: any[]) => void): this;
    /** Progress snapshots as they change (coalesced: a slow reader skips to the newest); ends with the run. */
    progress(): AsyncIterableIterator<BulkProgress>;
    /** The latest progress. */
    snapshot(): BulkProgress;
}
/**
 * Starts sending a campaign. Every recipient ends in exactly one state — `sent` with its message
 * id, `failed` with the reason, `uncertain`, or `unsent` (not accepted: a resume sends it) — reported
 * through `result` events, `onResult` and the results file. See the README for the reliability model.
 */
declare function createBulkRun(settings: BulkRunSettings): BulkRun;

/** Where a reader takes its bytes from: a file path, a Node stream, or any (async) iterable of chunks. */
type RecipientSource = string | NodeJS.ReadableStream | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
interface ReaderOptions {
    /** A row (line) longer than this is rejected, not buffered. Default 1,048,576 bytes. */
    maxRowBytes?: number;
}
interface CsvReaderOptions extends ReaderOptions {
    /** Field delimiter. Default: detected from the header row (`,`, `;` or tab, whichever it has most). */
    delimiter?: string;
    /** A quoted field may span at most this many lines before the row is declared broken. Default 50. */
    maxLinesPerRow?: number;
}
/** The delimiter of a header row: `,`, `;` or tab, whichever appears most outside quotes (`,` on a tie). */
declare function detectDelimiter(header: string): string;
/**
 * Reads recipients from CSV with a header row (delimiter `,`, `;` or tab, detected, or given).
 * `email` is required (any case), `name` optional; a column named `custom_variables.<key>` goes into
 * custom_variables; every other column becomes a variable of the recipient (`template_variables`; the
 * packer adds `email` and `name`), so `{{first_name}}` in the content or the template is filled in. Blank lines are skipped. A broken row (bad quoting, wrong
 * number of columns, too long, an empty email) is yielded as a rejected recipient naming the line and
 * the reason, and reading goes on; an unclosed quote rejects its line and reading resumes on the next.
 * A missing header or `email` column throws `BulkInputError` before anything is yielded.
 */
declare function readCsvRecipients(source: RecipientSource, options?: CsvReaderOptions): AsyncGenerator<RecipientInput>;
/**
 * Reads recipients from NDJSON: one JSON object per line with `email` and optionally `name`,
 * `template_variables`, `custom_variables`, `overrides`; any other field is a variable of the
 * recipient (merged into `template_variables`, like a CSV column). Blank lines are skipped. A line
 * that is not JSON, not an object or too long is yielded as a rejected recipient naming the line and
 * the reason.
 */
declare function readNdjsonRecipients(source: RecipientSource, options?: ReaderOptions): AsyncGenerator<RecipientInput>;

/** The custom_variables keys the batcher adds to every message. Users may not set them. */
declare const TAG_RUN_KEY = "mtk_run";
declare const TAG_ID_KEY = "mtk_id";
/**
 * The deterministic tag of one recipient: `{ mtk_run: runId, mtk_id: String(sequence) }`.
 * It goes into the message's `custom_variables`, shows up in Email Logs and webhook events, and is
 * how an uncertain batch is settled without re-sending. Same run id + same sequence = same tag.
 */
declare function recipientTag(runId: string, sequence: number): Record<string, string>;
/** Reads a tag back from a message's custom_variables; undefined when it carries none. */
declare function parseRecipientTag(customVariables: Record<string, unknown> | null | undefined): {
    runId: string;
    sequence: number;
} | undefined;
/** A new random run id: 12 lowercase base-32 characters (small, to leave custom_variables room). */
declare function createRunId(): string;

export { API_LIMITS, type BatchAttemptResult, type BulkBase, BulkInputError, BulkJournalError, type BulkProgress, type BulkRun, type BulkRunSettings, type BulkRunSummary, type CsvReaderOptions, type DryRunReport, type EmailLogsClient, type ItemOutcome, Journal, type JournalHeader, type JournalItemState, type JournalSummary, type PackSettings, type PackedBatch, type PackedItem, type PersistencePort, type ReaderOptions, type ReasonCount, type Recipient, type RecipientInput, type RecipientOverrides, type RecipientResult, type RecipientSource, type RecipientStatus, type RejectedRecipient, type ReplayedBatch, SendEngine, type SendEngineSettings, type SendPackedBatchOptions, type SendRoundsResult, type SettleOptions, type SettledItem, type Settlement, type StopReason, TAG_ID_KEY, TAG_RUN_KEY, type UncertainRecipient, type VariableUse, buildBatchRequest, campaignRefusal, classifyBatchError, classifyBatchResponse, createBulkRun, createRunId, createWindowRateLimitStore, detectDelimiter, isRetryableItemError, isSendable, journalPort, jsonBytes, loadMergeSupport, noPersistence, packRecipients, parseRecipientTag, prepareBase, readCsvRecipients, readNdjsonRecipients, recipientTag, sendPackedBatch, settleUncertain, summarizeJournal };
