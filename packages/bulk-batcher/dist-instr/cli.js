#!/usr/bin/env node

// src/cli.ts
import { processIo } from "@mailtrap-kit/cli-kit";

// src/cli-main.ts
import { runProgram } from "@mailtrap-kit/cli-kit";
import { MailtrapError as MailtrapError3 } from "@mailtrap-kit/core";

// src/cli-program.ts
import {
  addConnectionOptions,
  createProgram,
  integerParser,
  jsonOption,
  Option,
  parseAddress,
  rateOption,
  streamOption,
  action,
  withExamples
} from "@mailtrap-kit/cli-kit";

// package.json
var version = "0.0.0";

// src/cli-args.ts
import {
  durationParser,
  InvalidArgumentError,
  parseAddress as parseKitAddress,
  parseRate as parseKitRate
} from "@mailtrap-kit/cli-kit";

// src/errors.ts
import {
  MailtrapConfigurationError,
  MailtrapValidationError,
  markErrorClass
} from "@mailtrap-kit/core";
var BulkInputError = class _BulkInputError extends MailtrapValidationError {
  static {
    markErrorClass(_BulkInputError, "BulkInputError");
  }
  constructor(message, field, options = {}) {
    super(message, { code: "bulk.input", ...options, ...field === void 0 ? {} : { field } });
  }
};
var BulkJournalError = class _BulkJournalError extends MailtrapConfigurationError {
  static {
    markErrorClass(_BulkJournalError, "BulkJournalError");
  }
  /** The journal's path. */
  journal;
  constructor(message, options = {}) {
    super(message, { code: "bulk.journal", ...options });
    this.journal = options.journal;
  }
};

// src/cli-args.ts
function boundedDuration(minimumMs, maximumMs) {
  return (value) => {
    const parsed = durationParser(value);
    if (parsed < minimumMs || parsed > maximumMs)
      throw new InvalidArgumentError(
        `expected a duration from ${minimumMs}ms to ${maximumMs / 6e4} minutes, got ${JSON.stringify(value)}`
      );
    return parsed;
  };
}
function parseDelimiter(value) {
  const known = { ",": ",", ";": ";", tab: "	", "\\t": "	", "	": "	" };
  const delimiter2 = known[value];
  if (!delimiter2) throw new InvalidArgumentError(`expected , ; or tab, got ${JSON.stringify(value)}`);
  return delimiter2;
}
function sendOptionsFrom(flags) {
  const { recipients } = flags;
  if (!recipients) throw new BulkInputError("--recipients <file.csv|file.ndjson> is required", "recipients");
  if (!flags.from) throw new BulkInputError("--from <address> is required", "from");
  let format = flags.format;
  if (format === void 0) {
    if (/\.csv$/i.test(recipients)) format = "csv";
    else if (/\.(ndjson|jsonl)$/i.test(recipients)) format = "ndjson";
    else
      throw new BulkInputError(
        "cannot tell the format from the file name: name it .csv or .ndjson, or pass --format",
        "format"
      );
  }
  if (flags.templateUuid !== void 0) {
    if (flags.subject !== void 0 || flags.text !== void 0 || flags.html !== void 0)
      throw new BulkInputError(
        "--template-uuid cannot be combined with --subject, --text or --html (the template has them)",
        "template-uuid"
      );
    if (flags.category !== void 0)
      throw new BulkInputError(
        "--category cannot be combined with --template-uuid (the template has its category)",
        "category"
      );
  } else {
    if (!flags.subject)
      throw new BulkInputError("give --subject with --text and/or --html, or --template-uuid", "subject");
    if (!flags.text && !flags.html)
      throw new BulkInputError("give --text <file> and/or --html <file> with --subject", "text");
  }
  const options = {
    recipients,
    format,
    from: flags.from,
    stream: flags.stream,
    resume: flags.resume === true,
    allowDuplicates: flags.allowDuplicates === true,
    concurrency: flags.concurrency,
    rate: flags.rate,
    dryRun: flags.dryRun === true,
    resendUnsent: flags.resendUnsent === true,
    settleDelayMs: flags.settleDelay,
    progress: flags.progress,
    progressIntervalMs: flags.progressInterval,
    json: flags.json === true
  };
  if (flags.subject !== void 0) options.subject = flags.subject;
  if (flags.text !== void 0) options.textFile = flags.text;
  if (flags.html !== void 0) options.htmlFile = flags.html;
  if (flags.templateUuid !== void 0) options.templateUuid = flags.templateUuid;
  if (flags.category !== void 0) options.category = flags.category;
  if (flags.results !== void 0) options.results = flags.results;
  if (flags.journal !== void 0) options.journal = flags.journal;
  if (flags.delimiter !== void 0) options.delimiter = flags.delimiter;
  if (flags.accountId !== void 0) options.accountId = flags.accountId;
  if (flags.batchSize !== void 0) options.batchSize = flags.batchSize;
  if (flags.timeout !== void 0) options.timeoutMs = flags.timeout;
  return options;
}

// src/cli-program.ts
var description = "Send one campaign to a list of recipients through Mailtrap's bulk stream: resumable, paced at Mailtrap's limit per token (--rate, default 150/10s), no recipient lost or sent twice. The API token (of the sending domain) comes from $MAILTRAP_API_TOKEN, --token or the config file.";
var stateHelp = `
States: sent, failed (refused for good), uncertain (may or may not have been accepted),
unsent (not accepted: a resume sends it).`;
var endpointHelp = `
Endpoints: --endpoint is one base URL, as in every mailtrap-kit command: the bulk stream at
<url>/bulk, the transactional stream at <url>/transactional, Email Logs at <url>. It used to be
the stream's own URL: that is --bulk-endpoint / --send-endpoint now, and an --endpoint ending in
/bulk or /transactional is still read that way (with a note). The stream and its URL are always
stated before anything is sent.`;
function sendCommand(program, handlers) {
  const send2 = program.command("send").description(
    "send the campaign (or check it with --dry-run); Ctrl-C stops cleanly and prints how to resume"
  ).usage(
    "--recipients <file> --from <address> (--subject <text> (--text <file> | --html <file>) | --template-uuid <uuid>) [options]"
  ).optionsGroup("Message:").addOption(
    new Option("--from <address>", '"news@example.com" or "News <news@example.com>"').argParser(
      parseAddress
    )
  ).addOption(
    new Option("--subject <text>", "with --text and/or --html; {{variables}} are filled per recipient")
  ).addOption(new Option("--text <file>", "the text body")).addOption(new Option("--html <file>", "the HTML body")).addOption(
    new Option(
      "--template-uuid <uuid>",
      "a Mailtrap template; the recipient's columns go as template_variables"
    )
  ).addOption(new Option("--category <name>", "not with --template-uuid: the template has its own")).optionsGroup("Recipients:").addOption(
    new Option(
      "--recipients <file>",
      "CSV with a header row (email required; every column is a variable; custom_variables.<key> columns go to custom_variables) or NDJSON"
    )
  ).addOption(
    new Option("--format <format>", "the recipients file format (default: from the file name)").choices([
      "csv",
      "ndjson"
    ])
  ).addOption(
    new Option(
      "--delimiter <c>",
      "CSV delimiter: , ; or tab (default: detected from the header)"
    ).argParser(parseDelimiter)
  ).addOption(
    new Option("--allow-duplicates", "send a repeated address again (default: skipped and counted)")
  ).optionsGroup("Connection:");
  addConnectionOptions(send2, { hosts: ["send", "bulk", "general"] }).optionsGroup("Sending:").addOption(streamOption("bulk", ["bulk", "transactional"])).addOption(
    rateOption(
      { requests: 150, windowMs: 1e4 },
      "at most this many requests per window (Mailtrap's limit per token; off for an emulator)"
    )
  ).addOption(
    new Option("--concurrency <n>", "requests in flight").argParser(integerParser(1, 64)).default(4)
  ).addOption(
    new Option("--batch-size <n>", "messages per request").argParser(integerParser(1, 500)).default(500)
  ).addOption(
    new Option("--timeout <duration>", "per request: 30s, 500ms, 2m, or milliseconds").argParser(boundedDuration(100, 6e5)).default(3e4, "30s")
  ).addOption(new Option("--dry-run", "check and pack everything, list the variables used, send nothing")).optionsGroup("Resuming:").addOption(
    new Option(
      "--journal <file>",
      "the run journal (default: <recipients>.<campaign>.journal, one per campaign and file)"
    )
  ).addOption(new Option("--resume", "continue the run the journal records")).addOption(new Option("--resend-unsent", "re-send recipients Email Logs proves were never accepted")).addOption(
    new Option("--settle-delay <duration>", "wait before asking Email Logs about uncertain requests").argParser(boundedDuration(0, 36e5)).default(3e4, "30s")
  ).optionsGroup("Output:").addOption(
    new Option("--results <file>", "NDJSON, one {email, status, message_id?, error?} per recipient")
  ).addOption(
    new Option("--progress <mode>", "auto: a bar on a terminal, a line every 5 s otherwise").choices(["auto", "bar", "lines", "off"]).default("auto")
  ).addOption(
    new Option("--progress-interval <duration>", "how often --progress lines prints").argParser(boundedDuration(100, 36e5)).default(5e3, "5s").hideHelp()
  ).addOption(jsonOption("print the summary (or the dry run report) as one JSON document on stdout")).optionsGroup("Options:").addHelpText("after", `${endpointHelp}
${stateHelp}`).action(action((flags, command) => handlers.send(flags, command)));
  return withExamples(
    send2,
    `mailtrap-bulk send --recipients subscribers.csv --from 'News <news@example.com>' --subject 'Spring sale, {{first_name}}' --html spring.html --dry-run`,
    "mailtrap-bulk send --recipients list.ndjson --from news@example.com --template-uuid <uuid> --endpoint http://127.0.0.1:4025 --rate off"
  );
}
function statusCommand(program, handlers) {
  return withExamples(
    program.command("status").description("counts by state from a run's journal, and how to resume it (the journal is not changed)").usage("--journal <file> [--json]").argument(
      "[campaign]",
      "not for mailtrap-bulk: a @mailtrap-kit/bulk-bullmq campaign is `mailtrap-bulk-bullmq status <campaign>`"
    ).addOption(new Option("--journal <file>", "the journal of a mailtrap-bulk send run")).addOption(jsonOption("print the counts as one JSON document")).addHelpText(
      "after",
      "\nA campaign sent with @mailtrap-kit/bulk-bullmq lives in Redis: its status is\n  mailtrap-bulk-bullmq status <campaign> [--redis <url>]"
    ).action(action((flags, command, campaign) => handlers.status(flags, command, campaign))),
    "mailtrap-bulk status --journal subscribers.csv.3f2a9c1e.journal"
  );
}
function createBulkProgram(io, handlers, version2 = version) {
  const program = createProgram({
    name: "mailtrap-bulk",
    version: version2,
    description,
    io,
    exitCodes: {
      failure: "some recipients failed or are uncertain (a dry run: some rows are invalid)",
      stopped: "stopped before the end (Ctrl-C, a refusal that would refuse everyone, recipients left unsent): run the printed command to resume"
    }
  });
  sendCommand(program, handlers);
  statusCommand(program, handlers);
  withExamples(
    program,
    `mailtrap-bulk send --recipients subscribers.csv --from 'News <news@example.com>' --subject 'Spring sale, {{first_name}}' --html spring.html --dry-run`
  );
  return program;
}

// src/cli-send.ts
import { existsSync, statSync as statSync2 } from "fs";
import {
  CliUsageError,
  MAILTRAP_ENDPOINTS,
  resolveConnection,
  TOKEN_VARIABLE,
  tokenHint,
  writeJson
} from "@mailtrap-kit/cli-kit";
import { MailtrapError as MailtrapError2 } from "@mailtrap-kit/core";

// src/cli-endpoints.ts
import { ENDPOINT_VARIABLE } from "@mailtrap-kit/cli-kit";
import { defaultEndpoints, endpointLayout, environmentVariables } from "@mailtrap-kit/core";
function hostOf(stream) {
  return stream === "bulk" ? "bulk" : "send";
}
var streamPaths = [
  ["bulk", endpointLayout.bulk],
  ["transactional", endpointLayout.send]
];
function readEndpointFlags(flags) {
  const given = flags.endpoint;
  if (!given) return { flags };
  let url;
  try {
    url = new URL(given);
  } catch {
    return { flags };
  }
  const path = url.pathname.replace(/\/+$/, "");
  const mailtrapHost = ["bulk", "send"].find((host) => defaultEndpoints[host] === url.origin);
  if (mailtrapHost && path === "") {
    const flag = mailtrapHost === "bulk" ? "--bulk-endpoint" : "--send-endpoint";
    const read = { ...flags, endpoint: void 0 };
    if (mailtrapHost === "bulk") read.bulkEndpoint = url.origin;
    else read.sendEndpoint = url.origin;
    return {
      flags: read,
      note: `--endpoint ${given} is Mailtrap's ${mailtrapHost === "bulk" ? "bulk" : "transactional"} stream host, not a base URL: read as ${flag} ${url.origin} (Mailtrap's hosts are the default: no endpoint option is needed).`
    };
  }
  for (const [stream, suffix] of streamPaths) {
    if (!path.endsWith(suffix)) continue;
    const base = `${url.origin}${path.slice(0, -suffix.length)}`;
    const flag = stream === "bulk" ? "--bulk-endpoint" : "--send-endpoint";
    return {
      flags: { ...flags, endpoint: base },
      note: `--endpoint ${given} names the ${stream} stream, not a base URL: read as --endpoint ${base} (the streams at ${base}${endpointLayout.bulk} and ${base}${endpointLayout.send}). Write --endpoint ${base}, or ${flag} ${given} for that one host.`
    };
  }
  return { flags };
}
function streamSource(stream, flags, env) {
  const host = hostOf(stream);
  if (host === "bulk" ? flags.bulkEndpoint : flags.sendEndpoint)
    return host === "bulk" ? "--bulk-endpoint" : "--send-endpoint";
  if (flags.endpoint) return "--endpoint";
  if (env[environmentVariables[host]]) return environmentVariables[host];
  if (env[ENDPOINT_VARIABLE]) return ENDPOINT_VARIABLE;
  return void 0;
}

// src/cli-input.ts
import { createHash } from "crypto";
import { createReadStream as createReadStream2, readdirSync, readFileSync } from "fs";
import { basename, dirname, join } from "path";

// src/journal.ts
import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from "fs";
var recordTypes = /* @__PURE__ */ new Set(["start", "end", "settle"]);
function journalPort(journal) {
  return {
    start: (batch, items) => journal.start(
      batch.batch,
      batch.firstSequence,
      batch.count,
      batch.fingerprint,
      items.map((item) => item.offset)
    ),
    end: (batch, outcomes) => journal.end(batch.batch, outcomes),
    settle: (batch, settlements) => journal.settle(batch.batch, settlements)
  };
}
var Journal = class _Journal {
  path;
  header;
  descriptor;
  index;
  /** The `finish` record, when the run it records left nothing to send. */
  finished;
  closed = false;
  readOnly = false;
  constructor(path, descriptor, header, index) {
    this.path = path;
    this.descriptor = descriptor;
    this.header = header;
    this.index = index;
  }
  /**
   * Opens a journal. Without `resume` the file must not exist or be empty (so a rerun never silently
   * resends); with `resume` an existing journal must have the same settings (and input hash when given)
   * and its run id is kept. A missing or empty file with `resume` starts a new journal.
   */
  static open(path, header, options) {
    let descriptor;
    try {
      descriptor = openSync(path, "a+");
    } catch (error) {
      throw new BulkJournalError(`cannot open the journal ${path}: ${error.message}`, {
        journal: path,
        cause: error
      });
    }
    try {
      const size = fstatSync(descriptor).size;
      if (size > 0 && !options.resume)
        throw new BulkJournalError(
          `the journal ${path} already exists: resume that run (--resume / resume: true) or remove the file to start a new one`,
          { journal: path }
        );
      const {
        header: existing,
        index,
        torn,
        finished
      } = size > 0 ? readIndex(descriptor, size, path) : { header: void 0, index: /* @__PURE__ */ new Map(), torn: false, finished: void 0 };
      if (existing) {
        if (existing.settings !== header.settings)
          throw new BulkJournalError(
            `the journal ${path} was written with other settings (base message, batch size or stream changed); resume with the same command`,
            { journal: path }
          );
        if (header.input !== void 0 && existing.input !== void 0 && existing.input !== header.input)
          throw new BulkJournalError(
            `the recipients file changed since the journal ${path} was written; resume with the same file`,
            { journal: path }
          );
        if (torn) appendLine(descriptor, "");
        const journal = new _Journal(path, descriptor, existing, index);
        journal.finished = finished;
        return journal;
      }
      const fresh = { t: "run", version: 1, ...header, startedAt: (/* @__PURE__ */ new Date()).toISOString() };
      if (size > 0) appendLine(descriptor, "");
      appendLine(descriptor, JSON.stringify(fresh));
      return new _Journal(path, descriptor, fresh, /* @__PURE__ */ new Map());
    } catch (error) {
      closeSync(descriptor);
      throw error;
    }
  }
  /** Opens an existing journal read-only (to report on it); `replay` works, writing does not. */
  static read(path) {
    let descriptor;
    try {
      descriptor = openSync(path, "r");
    } catch (error) {
      throw new BulkJournalError(`cannot read the journal ${path}: ${error.message}`, {
        journal: path,
        cause: error
      });
    }
    try {
      const size = fstatSync(descriptor).size;
      const { header, index, finished } = readIndex(descriptor, size, path);
      if (!header)
        throw new BulkJournalError(`${path} is empty: no run was recorded in it`, { journal: path });
      const journal = new _Journal(path, descriptor, header, index);
      journal.finished = finished;
      journal.readOnly = true;
      return journal;
    } catch (error) {
      closeSync(descriptor);
      throw error;
    }
  }
  /** Batch numbers with records, in ascending order. */
  batches() {
    return [...this.index.keys()].sort((left, right) => left - right);
  }
  /** Written and flushed before a request: these items of the batch are about to be sent. */
  start(batch, firstSequence, count, fingerprint, offsets) {
    this.write(batch, { t: "start", b: batch, first: firstSequence, count, fp: fingerprint, items: offsets });
  }
  /** Written and flushed after an answer (or error): one outcome per item sent. */
  end(batch, outcomes) {
    const entries = outcomes.map((outcome) => {
      const code = outcome.status === "sent" ? "s" : outcome.status === "failed" ? "f" : outcome.status === "uncertain" ? "u" : "r";
      const detail = outcome.status === "sent" ? outcome.messageId : outcome.error;
      return detail === void 0 ? [outcome.offset, code] : [outcome.offset, code, detail];
    });
    this.write(batch, { t: "end", b: batch, o: entries });
  }
  /** Written when a run ended with nothing left to send: later runs know this campaign is done. */
  finish(counts) {
    const record = { t: "finish", at: (/* @__PURE__ */ new Date()).toISOString(), ...counts };
    appendLine(this.descriptor, JSON.stringify(record));
    this.finished = record;
  }
  /** Written after Email Logs settled uncertain items: `sent` with the id found, or proven `unsent`. */
  settle(batch, entries) {
    const encoded = entries.map(
      (entry) => entry.status === "sent" ? [entry.offset, "s", entry.messageId] : [entry.offset, "n"]
    );
    this.write(batch, { t: "settle", b: batch, o: encoded });
  }
  /** True when the journal has any record for the batch. */
  has(batch) {
    return this.index.has(batch);
  }
  /** Replays a batch's records into one state per item mentioned; items in flight at a crash stay `i`. */
  replay(batch) {
    const result = { items: /* @__PURE__ */ new Map() };
    for (const [position, length] of this.index.get(batch) ?? []) {
      const buffer = Buffer.alloc(length);
      readSync(this.descriptor, buffer, 0, length, position);
      const record = JSON.parse(buffer.toString("utf8"));
      if (record.t === "start") {
        result.fingerprint = record.fp;
        result.firstSequence = record.first;
        result.count = record.count;
        for (const offset of record.items) result.items.set(offset, { state: "i" });
      } else if (record.t === "end") {
        for (const [offset, code, detail] of record.o) {
          if (code === "s")
            result.items.set(
              offset,
              detail === void 0 ? { state: "s" } : { state: "s", messageId: detail }
            );
          else if (code === "f") result.items.set(offset, { state: "f", error: detail ?? "failed" });
          else if (code === "u")
            result.items.set(offset, detail === void 0 ? { state: "u" } : { state: "u", error: detail });
          else
            result.items.set(offset, detail === void 0 ? { state: "p" } : { state: "p", error: detail });
        }
      } else {
        for (const [offset, code, detail] of record.o)
          result.items.set(
            offset,
            code === "s" ? detail === void 0 ? { state: "s" } : { state: "s", messageId: detail } : { state: "n" }
          );
      }
    }
    return result;
  }
  close() {
    if (this.closed) return;
    this.closed = true;
    try {
      if (!this.readOnly) fsyncSync(this.descriptor);
    } finally {
      closeSync(this.descriptor);
    }
  }
  write(batch, record) {
    if (this.closed) throw new BulkJournalError(`the journal ${this.path} is closed`, { journal: this.path });
    if (this.readOnly)
      throw new BulkJournalError(`the journal ${this.path} was opened read-only`, { journal: this.path });
    const position = fstatSync(this.descriptor).size;
    const line2 = JSON.stringify(record);
    appendLine(this.descriptor, line2);
    const entry = [position, Buffer.byteLength(line2)];
    const list = this.index.get(batch);
    if (list) list.push(entry);
    else this.index.set(batch, [entry]);
  }
};
function appendLine(descriptor, line2) {
  const buffer = Buffer.from(`${line2}
`, "utf8");
  let written = 0;
  while (written < buffer.length) written += writeSync(descriptor, buffer, written, buffer.length - written);
  fsyncSync(descriptor);
}
function readIndex(descriptor, size, path) {
  const index = /* @__PURE__ */ new Map();
  let header;
  let finished;
  const chunk = Buffer.alloc(1 << 20);
  let carry = Buffer.alloc(0);
  let carryStart = 0;
  let position = 0;
  let lineNumber = 0;
  const handle = (line2, start) => {
    lineNumber += 1;
    if (line2.length === 0) return;
    const text = line2.toString("utf8");
    if (!header) {
      try {
        const parsed = JSON.parse(text);
        if (parsed.t !== "run" || typeof parsed.runId !== "string") throw new Error("not a run header");
        header = parsed;
        return;
      } catch (error) {
        throw new BulkJournalError(
          `${path} is not a bulk-batcher journal (line ${lineNumber}: ${error.message})`,
          { journal: path, cause: error }
        );
      }
    }
    let record;
    try {
      record = JSON.parse(text);
    } catch {
      return;
    }
    if (record.t === "finish") {
      finished = record;
      return;
    }
    finished = void 0;
    if (!recordTypes.has(record.t) || typeof record.b !== "number")
      throw new BulkJournalError(`${path} line ${lineNumber} is not a journal record`, { journal: path });
    const batch = record.b;
    const entry = [start, line2.length];
    const list = index.get(batch);
    if (list) list.push(entry);
    else index.set(batch, [entry]);
  };
  while (position < size) {
    const read = readSync(descriptor, chunk, 0, Math.min(chunk.length, size - position), position);
    if (read === 0) break;
    let data = Buffer.concat([carry, chunk.subarray(0, read)]);
    let dataStart = carryStart;
    position += read;
    for (let newline = data.indexOf(10); newline !== -1; newline = data.indexOf(10)) {
      handle(data.subarray(0, newline), dataStart);
      dataStart += newline + 1;
      data = data.subarray(newline + 1);
    }
    carry = Buffer.from(data);
    carryStart = dataStart;
  }
  return { header, index, torn: carry.length > 0, finished };
}
function summarizeJournal(path) {
  const journal = Journal.read(path);
  try {
    const summary = {
      path,
      runId: journal.header.runId,
      startedAt: journal.header.startedAt,
      recipients: journal.header.recipients,
      batches: 0,
      sent: 0,
      failed: 0,
      uncertain: 0,
      unsent: 0,
      unsentByEmailLogs: 0,
      inFlight: 0,
      finished: journal.finished !== void 0
    };
    let invalid = 0;
    for (const batch of journal.batches()) {
      const replayed = journal.replay(batch);
      summary.batches += 1;
      invalid += Math.max(0, (replayed.count ?? 0) - replayed.items.size);
      for (const item of replayed.items.values()) {
        if (item.state === "s") summary.sent += 1;
        else if (item.state === "f") summary.failed += 1;
        else if (item.state === "u") summary.uncertain += 1;
        else if (item.state === "n") {
          summary.unsent += 1;
          summary.unsentByEmailLogs += 1;
        } else if (item.state === "i") summary.inFlight += 1;
        else summary.unsent += 1;
      }
    }
    if (summary.recipients !== void 0) {
      const reached = summary.sent + summary.failed + summary.uncertain + summary.unsent + summary.inFlight;
      summary.unsent += Math.max(0, summary.recipients - reached);
    }
    summary.failed += invalid;
    return summary;
  } finally {
    journal.close();
  }
}

// src/readers.ts
import { createReadStream } from "fs";

// src/line-splitter.ts
var LineSplitter = class {
  /** `maxLength`: a line longer than this (in UTF-16 code units, CR included) is reported as too long. */
  constructor(maxLength) {
    this.maxLength = maxLength;
  }
  maxLength;
  decoder = new TextDecoder("utf-8");
  /** The start of the line the last chunk ended in ('' when it ended with a newline). */
  carry = "";
  /** The line being read is over the limit: its text is dropped up to its newline. */
  tooLong = false;
  number = 0;
  first = true;
  /** Splits one chunk; completed lines go to `sink`, the rest waits for the next chunk. */
  feed(chunk, sink) {
    const text = typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let index = text.indexOf("\n"); index !== -1; index = text.indexOf("\n", start)) {
      this.complete(text, start, index, sink);
      start = index + 1;
    }
    this.keep(text, start);
  }
  /** The end of the input: the last line when it has no newline. */
  end(sink) {
    this.keep(this.decoder.decode(), 0);
    if (this.carry !== "" || this.tooLong) this.complete("", 0, 0, sink);
  }
  complete(text, start, end, sink) {
    this.number += 1;
    const tooLong = this.tooLong || this.carry.length + (end - start) > this.maxLength;
    let line2 = "";
    if (!tooLong) {
      line2 = this.carry === "" ? text.slice(start, end) : this.carry + text.slice(start, end);
      if (line2.charCodeAt(line2.length - 1) === 13) line2 = line2.slice(0, -1);
      if (this.first && line2.charCodeAt(0) === 65279) line2 = line2.slice(1);
    }
    this.first = false;
    this.carry = "";
    this.tooLong = false;
    sink.line(line2, this.number, tooLong);
  }
  keep(text, start) {
    if (this.tooLong || start === text.length) return;
    if (this.carry.length + (text.length - start) > this.maxLength) {
      this.tooLong = true;
      this.carry = "";
    } else this.carry += start === 0 ? text : text.slice(start);
  }
};

// src/recipient-blocks.ts
var recipientBlocks = /* @__PURE__ */ Symbol("mailtrap-kit.recipientBlocks");
function withRecipientBlocks(recipients, blocks) {
  return Object.assign(recipients, { [recipientBlocks]: blocks });
}
function hasRecipientBlocks(recipients) {
  return typeof recipients?.[recipientBlocks] === "function";
}
function blocksOf(recipients) {
  return hasRecipientBlocks(recipients) ? recipients[recipientBlocks]() : void 0;
}

// src/readers.ts
function chunksOf(source) {
  if (typeof source === "string") return createReadStream(source);
  return source;
}
async function* readLines(source, maxBytes) {
  const splitter = new LineSplitter(maxBytes);
  let lines = [];
  const sink = { line: (text, number, tooLong) => lines.push({ text, number, tooLong }) };
  for await (const chunk of chunksOf(source)) {
    splitter.feed(chunk, sink);
    const done = lines;
    lines = [];
    yield* done;
  }
  splitter.end(sink);
  yield* lines;
}
function countQuotes(text) {
  let count = 0;
  for (let index = text.indexOf('"'); index !== -1; index = text.indexOf('"', index + 1)) count += 1;
  return count;
}
function detectDelimiter(header) {
  const counts = /* @__PURE__ */ new Map([
    [",", 0],
    [";", 0],
    ["	", 0]
  ]);
  let quoted = false;
  for (const character of header) {
    if (character === '"') quoted = !quoted;
    else if (!quoted && counts.has(character)) counts.set(character, counts.get(character) + 1);
  }
  let best = ",";
  for (const [candidate, count] of counts) if (count > counts.get(best)) best = candidate;
  return best;
}
var csvParse;
async function loadCsvParse() {
  csvParse ??= (await import("csv-parse/sync")).parse;
  return csvParse;
}
function parseFields(text, delimiter2) {
  const rows = csvParse(text, { delimiter: delimiter2, relax_column_count: true, bom: false });
  if (rows.length !== 1) throw new Error(`expected one row, found ${rows.length}`);
  return rows[0] ?? [];
}
async function* readCsvRecipients(source, options = {}) {
  const maxRowBytes = options.maxRowBytes ?? 1048576;
  let delimiter2 = options.delimiter ?? ",";
  const maxLinesPerRow = options.maxLinesPerRow ?? 50;
  await loadCsvParse();
  const lines = readLines(source, maxRowBytes);
  const pushedBack = [];
  const next = async () => {
    const back = pushedBack.shift();
    if (back) return back;
    const result = await lines.next();
    return result.done ? void 0 : result.value;
  };
  let header;
  let emailIndex = -1;
  let nameIndex = -1;
  for (let line2 = await next(); line2; line2 = await next()) {
    if (line2.tooLong)
      throw new BulkInputError(
        `CSV header (line ${line2.number}) is longer than ${maxRowBytes} bytes`,
        "recipients"
      );
    if (line2.text.trim() === "") continue;
    if (options.delimiter === void 0) delimiter2 = detectDelimiter(line2.text);
    try {
      header = parseFields(line2.text, delimiter2).map((column) => column.trim());
    } catch (error) {
      throw new BulkInputError(
        `CSV header (line ${line2.number}) cannot be parsed: ${error.message}`,
        "recipients"
      );
    }
    break;
  }
  if (!header)
    throw new BulkInputError(
      'the CSV file is empty: a header row with an "email" column is required',
      "recipients"
    );
  const lower = header.map((column) => column.toLowerCase());
  emailIndex = lower.indexOf("email");
  nameIndex = lower.indexOf("name");
  if (emailIndex === -1)
    throw new BulkInputError(
      `the CSV header has no "email" column (columns: ${header.join(", ")}; delimiter ${JSON.stringify(delimiter2)}${options.delimiter === void 0 ? ", detected" : ""})`,
      "recipients"
    );
  const duplicate = lower.find((column, index) => column !== "" && lower.indexOf(column) !== index);
  if (duplicate) throw new BulkInputError(`the CSV header has the column "${duplicate}" twice`, "recipients");
  const columns = header;
  for (let line2 = await next(); line2; line2 = await next()) {
    if (line2.tooLong) {
      yield {
        email: "",
        rejected: `line ${line2.number}: the row is longer than ${maxRowBytes} bytes`,
        line: line2.number
      };
      continue;
    }
    if (line2.text.trim() === "") continue;
    let text = line2.text;
    const startLine = line2;
    if (countQuotes(text) % 2 === 1) {
      const taken = [];
      let closed = false;
      let bytes = text.length;
      while (taken.length < maxLinesPerRow) {
        const more = await next();
        if (!more) break;
        taken.push(more);
        if (more.tooLong) break;
        bytes += more.text.length + 1;
        if (bytes > maxRowBytes) break;
        text += `
${more.text}`;
        if (countQuotes(more.text) % 2 === 1) {
          closed = true;
          break;
        }
      }
      if (!closed) {
        pushedBack.unshift(...taken);
        const guess = startLine.text.split(delimiter2)[emailIndex]?.trim() ?? "";
        yield { email: guess, rejected: `line ${startLine.number}: unclosed quote`, line: startLine.number };
        continue;
      }
    }
    let fields;
    try {
      fields = parseFields(text, delimiter2);
    } catch (error) {
      const guess = text.split(delimiter2)[emailIndex]?.trim() ?? "";
      const reason = error.message.replace(/\s+/g, " ");
      yield {
        email: guess,
        rejected: `line ${startLine.number}: broken CSV row: ${reason}`,
        line: startLine.number
      };
      continue;
    }
    const email = (fields[emailIndex] ?? "").trim();
    if (fields.length !== columns.length) {
      yield {
        email,
        rejected: `line ${startLine.number}: expected ${columns.length} columns (${columns.join(", ")}), got ${fields.length}`,
        line: startLine.number
      };
      continue;
    }
    if (email === "") {
      yield {
        email,
        rejected: `line ${startLine.number}: the email column is empty`,
        line: startLine.number
      };
      continue;
    }
    const recipient = { email, line: startLine.number };
    const name = nameIndex === -1 ? "" : (fields[nameIndex] ?? "").trim();
    if (name !== "") recipient.name = name;
    for (const [index, column] of columns.entries()) {
      if (index === emailIndex || index === nameIndex || column === "") continue;
      const value = fields[index] ?? "";
      if (column.startsWith("custom_variables.")) {
        recipient.custom_variables ??= {};
        recipient.custom_variables[column.slice("custom_variables.".length)] = value;
      } else {
        recipient.template_variables ??= {};
        recipient.template_variables[column] = value;
      }
    }
    yield recipient;
  }
}
function readNdjsonRecipients(source, options = {}) {
  const blocks = readNdjsonBlocks(source, options.maxRowBytes ?? 1048576);
  let current = [];
  let next = 0;
  async function* oneByOne() {
    for (; ; ) {
      while (next < current.length) yield current[next++];
      const read = await blocks.next();
      if (read.done) return;
      current = read.value;
      next = 0;
    }
  }
  async function* afterRemainder(remainder) {
    yield remainder;
    yield* blocks;
  }
  const rest = () => {
    if (next >= current.length) return blocks;
    const remainder = current.slice(next);
    next = current.length;
    return afterRemainder(remainder);
  };
  return withRecipientBlocks(oneByOne(), rest);
}
async function* readNdjsonBlocks(source, maxRowBytes) {
  const splitter = new LineSplitter(maxRowBytes);
  const parser = new NdjsonLines(maxRowBytes);
  for await (const chunk of chunksOf(source)) {
    splitter.feed(chunk, parser);
    if (parser.recipients.length > 0) yield parser.take();
  }
  splitter.end(parser);
  if (parser.recipients.length > 0) yield parser.take();
}
var NdjsonLines = class {
  constructor(maxRowBytes) {
    this.maxRowBytes = maxRowBytes;
  }
  maxRowBytes;
  recipients = [];
  /** The recipients parsed since the last call. */
  take() {
    const taken = this.recipients;
    this.recipients = [];
    return taken;
  }
  line(text, number, tooLong) {
    if (tooLong) {
      this.recipients.push({
        email: "",
        rejected: `line ${number}: longer than ${this.maxRowBytes} bytes`,
        line: number
      });
      return;
    }
    if (text.charCodeAt(0) !== 123 && text.trim() === "") return;
    let value;
    try {
      value = JSON.parse(text);
    } catch (error) {
      this.recipients.push({
        email: "",
        rejected: `line ${number}: not valid JSON (${error.message})`,
        line: number
      });
      return;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      this.recipients.push({
        email: "",
        rejected: `line ${number}: expected a JSON object with an email`,
        line: number
      });
      return;
    }
    this.recipients.push(recipientOf(value, number));
  }
};
function recipientOf(record, number) {
  const email = record.email;
  if (typeof email !== "string" || email.trim() === "")
    return {
      email: typeof email === "string" ? email : "",
      rejected: `line ${number}: "email" is missing or not a string`,
      line: number
    };
  const recipient = { email: email.trim(), line: number };
  let variables;
  for (const key in record) {
    const value = record[key];
    if (key === "email") continue;
    if (key === "name") recipient.name = value;
    else if (key === "custom_variables") recipient.custom_variables = value;
    else if (key === "overrides") recipient.overrides = value;
    else if (key === "template_variables") {
      if (typeof value !== "object" || value === null || Array.isArray(value)) {
        variables = void 0;
        recipient.template_variables = value;
        break;
      }
      variables = variables ? Object.assign(variables, value) : { ...value };
    } else {
      variables ??= {};
      variables[key] = value;
    }
  }
  if (variables) recipient.template_variables = variables;
  return recipient;
}

// src/cli-input.ts
async function hashFile(path) {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream2(path)) hash.update(chunk);
  return hash.digest("hex");
}
function readBody(path, option) {
  try {
    const text = readFileSync(path, "utf8");
    if (text.trim() === "") throw new Error("the file is empty");
    return text;
  } catch (error) {
    throw new BulkInputError(`--${option} ${path}: ${error.message}`, option, { cause: error });
  }
}
function buildBase(options) {
  const base = { from: options.from };
  if (options.templateUuid) base.template_uuid = options.templateUuid;
  else {
    base.subject = options.subject;
    if (options.textFile) base.text = readBody(options.textFile, "text");
    if (options.htmlFile) base.html = readBody(options.htmlFile, "html");
  }
  if (options.category !== void 0) base.category = options.category;
  return base;
}
function reader(options) {
  return options.format === "csv" ? readCsvRecipients(options.recipients, options.delimiter ? { delimiter: options.delimiter } : {}) : readNdjsonRecipients(options.recipients);
}
async function primed(source) {
  const first = await source.next();
  const all = (async function* () {
    if (first.done) return;
    yield first.value;
    yield* source;
  })();
  if (!hasRecipientBlocks(source)) return all;
  return withRecipientBlocks(all, async function* () {
    if (first.done) return;
    yield [first.value];
    yield* blocksOf(source);
  });
}
function interruptedCampaigns(recipients, except) {
  const directory = dirname(recipients);
  const prefix = `${basename(recipients)}.`;
  let names;
  try {
    names = readdirSync(directory);
  } catch {
    return [];
  }
  const found = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(".journal")) continue;
    const path = join(directory, name);
    if (path === except) continue;
    try {
      const summary = summarizeJournal(path);
      if (!summary.finished) found.push(path);
    } catch {
    }
  }
  return found;
}

// src/cli-report.ts
function shellQuote(value) {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
function formatReasons(reasons, limit = 10) {
  if (reasons.length === 0) return [];
  const lines = ["Not sent, by reason:"];
  for (const group of reasons.slice(0, limit)) {
    const where = group.lines?.length ? ` (line${group.lines.length > 1 ? "s" : ""} ${group.lines.join(", ")}${group.count > group.lines.length ? ", \u2026" : ""})` : "";
    lines.push(`  ${String(group.count).padStart(7)} ${group.status}: ${group.reason}${where}`);
  }
  if (reasons.length > limit) {
    const rest = reasons.slice(limit).reduce((sum, group) => sum + group.count, 0);
    lines.push(
      `  ${String(rest).padStart(7)} more, for ${reasons.length - limit} other reasons (see --results)`
    );
  }
  return lines;
}
var plural = (count, word) => `${count} ${word}${count === 1 ? "" : "s"}`;
function countsLine(summary, check) {
  const skipped = [];
  if (check.invalid > 0) skipped.push(plural(check.invalid, "invalid row"));
  if (check.duplicates > 0) skipped.push(plural(check.duplicates, "duplicate row"));
  return `${summary.sent} sent, ${summary.failed - summary.invalid} failed, ${summary.uncertain} uncertain, ${summary.unsent} unsent, of ${check.total} recipients${skipped.length ? `; ${skipped.join(" and ")} not sent` : ""}`;
}

// src/cli-progress.ts
import cliProgress from "cli-progress";
function duration(ms) {
  if (ms === void 0) return "?";
  const seconds = Math.round(ms / 1e3);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}
function describeProgress(progress) {
  return `${progress.finished}/${progress.total ?? "?"} sent ${progress.sent} failed ${progress.failed - progress.invalid} uncertain ${progress.uncertain} unsent ${progress.unsent} | ${progress.recipientsPerSecond}/s | ETA ${duration(progress.etaMs)}${progress.phase === "settling" ? " | checking Email Logs" : ""}`;
}
var CliProgress = class {
  constructor(stream, mode, total, intervalMs) {
    this.stream = stream;
    this.mode = mode;
    this.total = total;
    this.intervalMs = intervalMs;
  }
  stream;
  mode;
  total;
  intervalMs;
  bar;
  timer;
  run;
  stopped = false;
  onProgress = (progress) => {
    if (this.stopped || !this.bar) return;
    this.bar.setTotal(progress.total ?? this.total);
    this.bar.update(progress.finished, {
      speed: progress.recipientsPerSecond,
      eta_text: duration(progress.etaMs),
      failed: progress.failed - progress.invalid,
      uncertain: progress.uncertain
    });
  };
  follow(run) {
    this.run = run;
    if (this.mode === "bar") {
      this.bar = new cliProgress.SingleBar(
        {
          stream: this.stream,
          format: "{bar} {value}/{total} | {speed}/s | ETA {eta_text} | failed {failed} | uncertain {uncertain}",
          hideCursor: true,
          etaBuffer: 50
        },
        cliProgress.Presets.shades_classic
      );
      this.bar.start(this.total, 0, { speed: 0, eta_text: "?", failed: 0, uncertain: 0 });
      run.on("progress", this.onProgress);
    } else if (this.mode === "lines") {
      this.timer = setInterval(
        () => this.stream.write(`mailtrap-bulk: ${describeProgress(run.snapshot())}
`),
        this.intervalMs
      );
      this.timer.unref();
    }
  }
  /** Ends the bar or the lines; safe to call more than once. */
  stop() {
    if (this.stopped) return;
    this.stopped = true;
    this.run?.off("progress", this.onProgress);
    if (this.timer) clearInterval(this.timer);
    this.bar?.stop();
    this.bar = void 0;
  }
};

// src/packer.ts
import { createHash as createHash2 } from "crypto";
import { statSync } from "fs";
import { emailAddressProblem, MailtrapError, toWireMail, validateSendMail } from "@mailtrap-kit/core";

// src/address-set.ts
var AddressSet = class {
  high = new Uint32Array(1 << 12);
  low = new Uint32Array(1 << 12);
  used = new Uint8Array(1 << 12);
  count = 0;
  /** Adds the address; false when it was there already. */
  add(email) {
    let first = 2166136261;
    let second = 16777619 ^ email.length;
    for (let index = 0; index < email.length; index += 1) {
      let code = email.charCodeAt(index);
      if (code >= 65 && code <= 90) code += 32;
      first = Math.imul(first ^ code, 16777619);
      second = Math.imul(second ^ code, 1540483477);
      second ^= second >>> 15;
    }
    first >>>= 0;
    second = (second ^ second >>> 13) >>> 0;
    if (this.count * 2 >= this.used.length) this.grow();
    return this.insert(first, second);
  }
  get size() {
    return this.count;
  }
  insert(first, second) {
    const mask = this.used.length - 1;
    for (let slot = (first ^ Math.imul(second, 2654435761)) & mask; ; slot = slot + 1 & mask) {
      if (this.used[slot] === 0) {
        this.used[slot] = 1;
        this.high[slot] = first;
        this.low[slot] = second;
        this.count += 1;
        return true;
      }
      if (this.high[slot] === first && this.low[slot] === second) return false;
    }
  }
  grow() {
    const { high, low, used } = this;
    this.high = new Uint32Array(used.length * 2);
    this.low = new Uint32Array(used.length * 2);
    this.used = new Uint8Array(used.length * 2);
    this.count = 0;
    for (let slot = 0; slot < used.length; slot += 1) if (used[slot]) this.insert(high[slot], low[slot]);
  }
};

// src/tag.ts
import { randomBytes } from "crypto";
var TAG_RUN_KEY = "mtk_run";
var TAG_ID_KEY = "mtk_id";
function recipientTag(runId, sequence) {
  return { mtk_run: runId, mtk_id: sequenceText(sequence) };
}
var lastThreeDigits = Array.from({ length: 1e3 }, (_, index) => String(index).padStart(3, "0"));
var belowThousand = Array.from({ length: 1e3 }, (_, index) => String(index));
var thousands = -1;
var thousandsText = "";
function sequenceText(sequence) {
  if (sequence < 1e3) return belowThousand[sequence] ?? String(sequence);
  const high = Math.floor(sequence / 1e3);
  if (high !== thousands) {
    thousands = high;
    thousandsText = String(high);
  }
  return thousandsText + lastThreeDigits[sequence - high * 1e3];
}
function parseRecipientTag(customVariables) {
  if (!customVariables) return void 0;
  const runId = customVariables[TAG_RUN_KEY];
  const id = customVariables[TAG_ID_KEY];
  if (typeof runId !== "string" || typeof id !== "string" || !/^\d+$/.test(id)) return void 0;
  return { runId, sequence: Number(id) };
}
function createRunId() {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  const bytes = randomBytes(12);
  let id = "";
  for (const byte of bytes) id += alphabet[byte % 32];
  return id;
}

// src/wire.ts
import {
  LIMITS
} from "@mailtrap-kit/core";
var API_LIMITS = LIMITS;

// src/packer.ts
var uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function addressProblem(email) {
  return typeof email === "string" ? emailAddressProblem(email) : "is not a string";
}
function isValidEmail(email) {
  return addressProblem(email) === void 0;
}
function isPlainObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
var lineBreak = /[\r\n]/;
function plainLayout(runId) {
  return { tagPrefix: `,"custom_variables":{"${TAG_RUN_KEY}":${JSON.stringify(runId)},"${TAG_ID_KEY}":"` };
}
function base64Length(bytes) {
  return Math.ceil(bytes / 3) * 4;
}
function attachmentBytes(attachment) {
  const { content, path, stream: _stream, ...meta } = attachment;
  let contentBytes = 0;
  if (typeof content === "string") contentBytes = content.length;
  else if (content instanceof Uint8Array) contentBytes = base64Length(content.byteLength);
  else if (typeof path === "string") contentBytes = base64Length(statSync(path).size);
  return Buffer.byteLength(JSON.stringify(meta)) + ',"content":""'.length + contentBytes;
}
function jsonBytes(message) {
  if (!message.attachments) return Buffer.byteLength(JSON.stringify(message));
  const { attachments, ...rest } = message;
  let size = Buffer.byteLength(JSON.stringify(rest));
  if (attachments && attachments.length > 0) {
    size += ',"attachments":[]'.length + attachments.length - 1;
    for (const attachment of attachments) size += attachmentBytes(attachment);
  }
  return size;
}
function checkAttachments(attachments, field) {
  if (attachments === void 0) return void 0;
  if (!Array.isArray(attachments)) return `${field} must be an array`;
  for (const [index, attachment] of attachments.entries()) {
    if (!isPlainObject(attachment)) return `${field}[${index}] must be an object`;
    if (typeof attachment.filename !== "string" || attachment.filename === "")
      return `${field}[${index}].filename is required`;
    if (attachment.stream !== void 0)
      return `${field}[${index}].stream cannot be used in a bulk send (it can be read only once); give a path or content`;
    if (attachment.content === void 0 && attachment.path === void 0)
      return `${field}[${index}] needs content or path`;
    if (typeof attachment.path === "string") {
      try {
        statSync(attachment.path);
      } catch {
        return `${field}[${index}].path ${JSON.stringify(attachment.path)} cannot be read`;
      }
    }
  }
  return void 0;
}
function checkAddressList(list, field, maximum) {
  if (list === void 0) return void 0;
  if (!Array.isArray(list)) return `${field} must be an array of {email, name}`;
  if (list.length > maximum) return `${field} has ${list.length} addresses; at most ${maximum} are allowed`;
  for (const [index, address] of list.entries()) {
    if (!isPlainObject(address) || !isValidEmail(address.email))
      return `${field}[${index}] is not a valid address: ${JSON.stringify(isPlainObject(address) ? address.email : address)}`;
  }
  return void 0;
}
function checkStringMap(value, field) {
  if (value === void 0) return void 0;
  if (!isPlainObject(value)) return `${field} must be an object of strings`;
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== "string") return `${field}.${key} must be a string (got ${typeof entry})`;
  }
  return void 0;
}
var contentFields = ["subject", "text", "html", "category"];
var templatesModule;
function usesHandlebars(base) {
  if (base.template_uuid !== void 0) return false;
  for (const part of [base.subject, base.text, base.html])
    if (typeof part === "string" && part.includes("{{")) return true;
  return false;
}
async function loadMergeSupport(base) {
  if (templatesModule || !isPlainObject(base) || !usesHandlebars(toWireMail(base))) return;
  templatesModule = await import("@mailtrap-kit/templates");
}
var variableStash = /\{\{\{?\s*[A-Za-z_][A-Za-z0-9_]*\s*\}?\}\}/g;
function subjectMayBeBlank(subject) {
  if (subject === void 0) return false;
  const rest = subject.replace(variableStash, "");
  return rest.includes("{{") || rest.trim() === "";
}
function prepareBase(given, maxMessageBytes = API_LIMITS.maxMessageBytes) {
  if (!isPlainObject(given)) throw new BulkInputError("base must be an object (the shared message)", "base");
  const base = toWireMail(given);
  for (const field of ["to", "cc", "bcc"]) {
    if (base[field] !== void 0)
      throw new BulkInputError(
        `base.${field} is not allowed: recipients come from the recipient list`,
        `base.${field}`
      );
  }
  if (!isPlainObject(base.from) || !isValidEmail(base.from.email))
    throw new BulkInputError(
      `base.from must be {email, name?} with a valid address (got ${JSON.stringify(base.from?.email ?? base.from)})`,
      "base.from"
    );
  const templateMode = base.template_uuid !== void 0;
  if (templateMode) {
    if (typeof base.template_uuid !== "string" || !uuidPattern.test(base.template_uuid))
      throw new BulkInputError(
        `base.template_uuid must be a UUID (got ${JSON.stringify(base.template_uuid)})`,
        "base.template_uuid"
      );
    for (const field of contentFields) {
      if (base[field] !== void 0)
        throw new BulkInputError(
          `base.${field} cannot be combined with template_uuid (the template defines it)`,
          `base.${field}`
        );
    }
    if (base.template_variables !== void 0 && !isPlainObject(base.template_variables))
      throw new BulkInputError("base.template_variables must be an object", "base.template_variables");
  } else {
    if (typeof base.subject !== "string" || base.subject.trim() === "")
      throw new BulkInputError("base.subject is required (or give template_uuid)", "base.subject");
    const hasText = typeof base.text === "string" && base.text !== "";
    const hasHtml = typeof base.html === "string" && base.html !== "";
    if (!hasText && !hasHtml)
      throw new BulkInputError("base needs text or html (or template_uuid)", "base.text");
    if (base.template_variables !== void 0)
      throw new BulkInputError("base.template_variables needs template_uuid", "base.template_variables");
  }
  if (base.category !== void 0 && (typeof base.category !== "string" || base.category.length > 255))
    throw new BulkInputError("base.category must be a string of at most 255 characters", "base.category");
  const mapError = checkStringMap(base.custom_variables, "base.custom_variables") ?? checkStringMap(base.headers, "base.headers");
  if (mapError) throw new BulkInputError(mapError, mapError.split(" ")[0]);
  if (base.custom_variables && (TAG_RUN_KEY in base.custom_variables || TAG_ID_KEY in base.custom_variables))
    throw new BulkInputError(
      `base.custom_variables may not use ${TAG_RUN_KEY} or ${TAG_ID_KEY} (reserved for the recipient tag)`,
      "base.custom_variables"
    );
  const attachmentError = checkAttachments(base.attachments, "base.attachments");
  if (attachmentError) throw new BulkInputError(attachmentError, "base.attachments");
  if (base.reply_to !== void 0 && (!isPlainObject(base.reply_to) || !isValidEmail(base.reply_to.email)))
    throw new BulkInputError(
      "base.reply_to must be ONE {email, name?} with a valid address",
      "base.reply_to"
    );
  const { custom_variables, template_variables, ...rest } = base;
  const prepared = { ...rest };
  if (template_variables !== void 0) prepared.template_variables = template_variables;
  let merge;
  let variables;
  if (!templateMode && usesHandlebars(base)) {
    const templates = templatesModule;
    if (!templates)
      throw new BulkInputError(
        "base: content with {{variables}} needs the mail-merge renderer: call `await loadMergeSupport(base)` before prepareBase",
        "base"
      );
    const { analyzeTemplate, compileTemplate, renderTemplate, TemplateRenderError } = templates;
    const content = {};
    if (base.subject) content.subject = base.subject;
    if (typeof base.text === "string" && base.text) content.body_text = base.text;
    if (typeof base.html === "string" && base.html) content.body_html = base.html;
    const analysis = analyzeTemplate(content);
    const problem = analysis.unknownHelpers[0] ?? analysis.unsupported[0];
    if (problem)
      throw new BulkInputError(
        `base.${problem.part}: ${"name" in problem ? `helper "${problem.name}" does not exist in Mailtrap templates (only if, unless, each, with)` : `${problem.feature} cannot be used in Mailtrap templates`}`,
        `base.${problem.part}`
      );
    variables = Object.keys(analysis.variables);
    if (variables.length > 0) {
      try {
        renderTemplate(content, {});
      } catch (error) {
        if (!TemplateRenderError.isInstance(error)) throw error;
        throw new BulkInputError(`base.${error.part}: ${error.message}`, `base.${error.part}`, {
          cause: error
        });
      }
      merge = {
        ...content,
        compiled: compileTemplate(content),
        subjectMayBeBlank: subjectMayBeBlank(content.subject)
      };
      delete prepared.subject;
      delete prepared.text;
      delete prepared.html;
    }
  }
  const baseBytes = jsonBytes(prepared);
  if (baseBytes > maxMessageBytes)
    throw new BulkInputError(
      `base is ${baseBytes} bytes with base64 attachments; a message may be at most ${maxMessageBytes}`,
      "base"
    );
  const { attachments: _attachments, ...checkBase } = prepared;
  for (const field of ["text", "html"])
    if (typeof checkBase[field] === "string" && checkBase[field] !== "") checkBase[field] = "x";
  try {
    const sample = { ...base, to: [{ email: "recipient@example.com" }] };
    if (merge) {
      if (merge.subject !== void 0) sample.subject = "x";
      if (merge.body_text !== void 0) sample.text = "x";
      if (merge.body_html !== void 0) sample.html = "x";
    }
    validateSendMail(sample, { maxMessageBytes });
  } catch (error) {
    if (!MailtrapError.isInstance(error)) throw error;
    const field = error.field;
    throw new BulkInputError(`base: ${error.message}`, field ? `base.${field}` : "base", { cause: error });
  }
  return {
    base: prepared,
    checkBase,
    // checkStringMap above refused anything but string values.
    baseCustomVariables: custom_variables ?? {},
    noBaseCustomVariables: custom_variables === void 0 || Object.keys(custom_variables).length === 0,
    baseTemplateVariables: template_variables,
    templateMode,
    baseBytes,
    merge,
    variables
  };
}
function readsAttachments(message) {
  if (!message.attachments) return false;
  for (const attachment of message.attachments) if (typeof attachment.content !== "string") return true;
  return false;
}
function sizeProblem(bytes, prepared, maxMessageBytes, maxItemBytes) {
  if (bytes + prepared.baseBytes > maxMessageBytes)
    return `message is ${bytes + prepared.baseBytes} bytes with the base and base64 attachments; at most ${maxMessageBytes} are allowed`;
  if (bytes > maxItemBytes)
    return `message is ${bytes} bytes; it cannot fit in a batch of at most ${maxItemBytes + 0} bytes`;
  return void 0;
}
function buildMessage(input, sequence, runId, prepared, maxMessageBytes, maxItemBytes, plain) {
  if ("rejected" in input) return { bytes: 0, error: input.rejected };
  if (!isPlainObject(input)) return { bytes: 0, error: "recipient must be an object with an email" };
  const { email, name, template_variables, custom_variables, overrides } = input;
  const problem = addressProblem(email);
  if (problem)
    return { bytes: 0, error: `invalid email address: ${JSON.stringify(email ?? null)} ${problem}` };
  if (name !== void 0 && (typeof name !== "string" || lineBreak.test(name)))
    return { bytes: 0, error: "name must be a string without line breaks" };
  if (template_variables !== void 0 && !isPlainObject(template_variables))
    return { bytes: 0, error: "template_variables must be an object" };
  if (custom_variables === void 0 && overrides === void 0 && plain !== void 0) {
    let json2 = name ? `{"to":[{"email":${JSON.stringify(email)},"name":${JSON.stringify(name)}}]` : `{"to":[{"email":${JSON.stringify(email)}}]`;
    if (prepared.merge) {
      const content = renderContentJson(prepared, email, name, template_variables);
      if (content.error !== void 0) return { bytes: 0, error: content.error };
      json2 += content.json;
    }
    json2 += `${plain.tagPrefix}${sequenceText(sequence)}"}}`;
    const bytes2 = Buffer.byteLength(json2);
    const tooLarge2 = sizeProblem(bytes2, prepared, maxMessageBytes, maxItemBytes);
    return tooLarge2 ? { bytes: bytes2, error: tooLarge2 } : { json: json2, bytes: bytes2 };
  }
  const variablesError = checkStringMap(custom_variables, "custom_variables");
  if (variablesError) return { bytes: 0, error: variablesError };
  if (custom_variables && (TAG_RUN_KEY in custom_variables || TAG_ID_KEY in custom_variables))
    return {
      bytes: 0,
      error: `custom_variables may not use ${TAG_RUN_KEY} or ${TAG_ID_KEY} (reserved for the recipient tag)`
    };
  const message = {};
  let templateMode = prepared.templateMode;
  if (overrides !== void 0) {
    if (!isPlainObject(overrides)) return { bytes: 0, error: "overrides must be an object" };
    for (const key of ["to", "template_variables", "custom_variables"])
      if (key in overrides)
        return { bytes: 0, error: `overrides.${key} is not allowed; use the recipient's own field` };
    const problem2 = checkAddressList(overrides.cc, "overrides.cc", API_LIMITS.maxRecipientsPerField) ?? checkAddressList(overrides.bcc, "overrides.bcc", API_LIMITS.maxRecipientsPerField) ?? checkAttachments(overrides.attachments, "overrides.attachments") ?? checkStringMap(overrides.headers, "overrides.headers");
    if (problem2) return { bytes: 0, error: problem2 };
    if (overrides.from !== void 0 && (!isPlainObject(overrides.from) || !isValidEmail(overrides.from.email)))
      return { bytes: 0, error: "overrides.from must be {email, name?} with a valid address" };
    if (overrides.template_uuid !== void 0) {
      if (typeof overrides.template_uuid !== "string" || !uuidPattern.test(overrides.template_uuid))
        return { bytes: 0, error: "overrides.template_uuid must be a UUID" };
      templateMode = true;
    }
    if (templateMode) {
      for (const field of contentFields)
        if (overrides[field] !== void 0)
          return { bytes: 0, error: `overrides.${field} cannot be combined with a template` };
    }
    Object.assign(message, toWireMail(overrides));
  }
  message.to = [name ? { email, name } : { email }];
  if (templateMode) {
    const merged = { ...prepared.baseTemplateVariables, email };
    if (name) merged.name = name;
    message.template_variables = template_variables ? Object.assign(merged, template_variables) : merged;
  } else if (prepared.merge) {
    const error = renderContent(prepared, message, email, name, template_variables, overrides);
    if (error) return { bytes: 0, error };
  }
  let variables;
  let variablesBytes = 0;
  if (custom_variables === void 0 && prepared.noBaseCustomVariables && runId.length <= 256)
    variables = recipientTag(runId, sequence);
  else {
    variables = {
      ...prepared.baseCustomVariables,
      ...custom_variables,
      ...recipientTag(runId, sequence)
    };
    variablesBytes = Buffer.byteLength(JSON.stringify(variables));
  }
  if (variablesBytes > API_LIMITS.maxCustomVariablesBytes)
    return {
      bytes: 0,
      error: `custom_variables are ${variablesBytes} bytes as JSON including the ${TAG_RUN_KEY}/${TAG_ID_KEY} tag; at most ${API_LIMITS.maxCustomVariablesBytes} are allowed`
    };
  message.custom_variables = variables;
  let json;
  let bytes;
  try {
    if (readsAttachments(message)) bytes = jsonBytes(message);
    else {
      json = JSON.stringify(message);
      bytes = Buffer.byteLength(json);
    }
  } catch (error) {
    return { bytes: 0, error: `cannot be serialized: ${error.message}` };
  }
  if (bytes + prepared.baseBytes > maxMessageBytes)
    return { bytes, error: sizeProblem(bytes, prepared, maxMessageBytes, maxItemBytes) };
  if (overrides !== void 0) {
    try {
      validateSendMail({ ...prepared.checkBase, ...message }, {
        maxMessageBytes: Number.MAX_SAFE_INTEGER
      });
    } catch (error) {
      if (!MailtrapError.isInstance(error)) throw error;
      return { bytes, error: error.message };
    }
  }
  const tooLarge = sizeProblem(bytes, prepared, maxMessageBytes, maxItemBytes);
  if (tooLarge) return { bytes, error: tooLarge };
  return json !== void 0 ? { json, bytes } : { message, bytes };
}
var fingerprintBytes = Buffer.allocUnsafe(64 * 1024);
function fingerprintOf(items) {
  let length = 0;
  for (const item of items) {
    const most = length + 18 + item.email.length * 3;
    if (most > fingerprintBytes.length) {
      const larger = Buffer.allocUnsafe(Math.max(most, fingerprintBytes.length * 2));
      fingerprintBytes.copy(larger, 0, 0, length);
      fingerprintBytes = larger;
    }
    length = writeDecimal(fingerprintBytes, length, item.sequence);
    fingerprintBytes[length++] = 58;
    length += fingerprintBytes.write(item.email, length, "utf8");
    fingerprintBytes[length++] = 10;
  }
  return createHash2("sha256").update(fingerprintBytes.subarray(0, length)).digest("hex").slice(0, 16);
}
function writeDecimal(bytes, at, value) {
  let digits = 1;
  for (let rest2 = value; rest2 >= 10; rest2 = Math.floor(rest2 / 10)) digits += 1;
  let rest = value;
  for (let index = at + digits - 1; index >= at; index -= 1) {
    bytes[index] = 48 + rest % 10;
    rest = Math.floor(rest / 10);
  }
  return at + digits;
}
function renderContent(prepared, message, email, name, variables, overrides) {
  const merge = prepared.merge;
  const rendered = renderFor(merge, "render", email, name, variables);
  if (typeof rendered === "string") return rendered;
  if (overrides?.subject === void 0) {
    if (merge.subject !== void 0 && rendered.subject.trim() === "") return blankSubject;
    if (rendered.subject !== "") message.subject = rendered.subject;
  }
  if (overrides?.text === void 0 && rendered.text) message.text = rendered.text;
  if (overrides?.html === void 0 && rendered.html) message.html = rendered.html;
  if (!message.text && !message.html) return emptyBodies;
  return void 0;
}
var blankSubject = "the subject is empty for this recipient (its variables are empty)";
var emptyBodies = "the text and html are empty for this recipient (its variables are empty)";
function renderFor(merge, form, email, name, variables) {
  const merged = { email };
  if (name) merged.name = name;
  if (variables) Object.assign(merged, variables);
  try {
    return merge.compiled[form](merged);
  } catch (error) {
    return `the content cannot be rendered for this recipient: ${error.message}`;
  }
}
var blankJsonString = /^"(?:\s|\\[tnfr]|\\u000b)*"$/;
function renderContentJson(prepared, email, name, variables) {
  const merge = prepared.merge;
  const rendered = renderFor(merge, "renderJson", email, name, variables);
  if (typeof rendered === "string") return { error: rendered };
  if (merge.subjectMayBeBlank && blankJsonString.test(rendered.subject)) return { error: blankSubject };
  const text = rendered.text !== void 0 && rendered.text.length > 2;
  const html = rendered.html !== void 0 && rendered.html.length > 2;
  if (!text && !html) return { error: emptyBodies };
  let json = rendered.subject.length > 2 ? `,"subject":${rendered.subject}` : "";
  if (text) json += `,"text":${rendered.text}`;
  if (html) json += `,"html":${rendered.html}`;
  return { json };
}
function batchOverhead(baseBytes) {
  return '{"base":'.length + baseBytes + ',"requests":[]}'.length;
}
async function* packRecipients(recipients, settings) {
  const maxMessageBytes = settings.maxMessageBytes ?? API_LIMITS.maxMessageBytes;
  const maxBatchBytes = settings.maxBatchBytes ?? API_LIMITS.maxBatchBytes;
  const maxRequests = settings.maxBatchRequests ?? API_LIMITS.maxBatchRequests;
  if (!Number.isInteger(maxRequests) || maxRequests < 1 || maxRequests > API_LIMITS.maxBatchRequests)
    throw new BulkInputError(
      `maxBatchRequests must be an integer from 1 to ${API_LIMITS.maxBatchRequests} (got ${maxRequests})`,
      "maxBatchRequests"
    );
  if (typeof settings.runId !== "string" || settings.runId === "")
    throw new BulkInputError("runId must be a non-empty string", "runId");
  await loadMergeSupport(settings.base);
  const prepared = prepareBase(settings.base, maxMessageBytes);
  const overhead = batchOverhead(prepared.baseBytes);
  const maxItemBytes = maxBatchBytes - overhead;
  if (maxItemBytes <= 0)
    throw new BulkInputError(`base is ${prepared.baseBytes} bytes; it leaves no room in a batch`, "base");
  let batchNumber = 0;
  let sequence = 0;
  let items = [];
  let firstSequence = 0;
  let bytes = overhead;
  let sendable = 0;
  const plain = !prepared.templateMode && prepared.noBaseCustomVariables && settings.runId.length <= 256 ? plainLayout(settings.runId) : void 0;
  const seen = settings.skipDuplicates === true ? new AddressSet() : void 0;
  const flush = () => {
    const packed = {
      batch: batchNumber,
      firstSequence,
      count: items.length,
      items,
      base: prepared.base,
      fingerprint: fingerprintOf(items)
    };
    batchNumber += 1;
    items = [];
    firstSequence = sequence;
    bytes = overhead;
    sendable = 0;
    return packed;
  };
  const place = (input) => {
    const built = buildMessage(
      input,
      sequence,
      settings.runId,
      prepared,
      maxMessageBytes,
      maxItemBytes,
      plain
    );
    const line2 = input?.line;
    if (built.error !== void 0 && line2 !== void 0 && !built.error.startsWith("line "))
      built.error = `line ${line2}: ${built.error}`;
    const email = typeof input?.email === "string" ? input.email : "";
    const sendableItem = built.json !== void 0 || built.message !== void 0;
    const duplicate = sendableItem && seen !== void 0 && !seen.add(email);
    const added = sendableItem && !duplicate ? built.bytes + (sendable > 0 ? 1 : 0) : 0;
    const full = items.length >= maxRequests || added > 0 && bytes + added > maxBatchBytes ? flush() : void 0;
    const item = built.json !== void 0 && !duplicate ? { sequence, offset: items.length, email, bytes: built.bytes, json: built.json } : { sequence, offset: items.length, email, bytes: built.bytes };
    if (duplicate) {
      item.duplicate = true;
      item.bytes = 0;
    } else if (sendableItem) {
      if (built.json === void 0) item.message = built.message;
      bytes += built.bytes + (sendable > 0 ? 1 : 0);
      sendable += 1;
    } else {
      item.error = built.error;
    }
    items.push(item);
    sequence += 1;
    return full;
  };
  const blocks = blocksOf(recipients);
  if (blocks) {
    for await (const block of blocks)
      for (const input of block) {
        const full = place(input);
        if (full) yield full;
      }
  } else {
    for await (const input of recipients) {
      const full = place(input);
      if (full) yield full;
    }
  }
  if (items.length > 0) yield flush();
}
function isSendable(item) {
  return item.json !== void 0 || item.message !== void 0;
}
function buildBatchRequest(batch, items) {
  const chosen = items ?? batch.items.filter(isSendable);
  return {
    base: batch.base,
    requests: chosen.map((item) => {
      if (item.json !== void 0) return JSON.parse(item.json);
      if (!item.message)
        throw new BulkInputError(`recipient ${item.sequence} was rejected and cannot be sent`);
      return item.message;
    })
  };
}

// src/run.ts
import { delay as delay4 } from "@mailtrap-kit/core";
import { createMemoryRateLimitStore, MailtrapClient } from "@mailtrap-kit/core";

// src/dry-run.ts
function hasValue(value) {
  return value !== void 0 && value !== null && value !== "";
}
async function dryRun(options) {
  await loadMergeSupport(options.base);
  const prepared = prepareBase(options.base);
  const used = prepared.variables ?? [];
  const missing = new Map(used.map((name) => [name, 0]));
  let inspectedRows = 0;
  async function* inspected() {
    for await (const input of options.recipients) {
      if (used.length > 0 && input && typeof input === "object" && !("rejected" in input)) {
        const recipient = input;
        inspectedRows += 1;
        for (const name of used) {
          const value = name === "email" ? recipient.email : name === "name" ? recipient.name : recipient.template_variables?.[name];
          if (!hasValue(value)) missing.set(name, missing.get(name) + 1);
        }
      }
      yield input;
    }
  }
  const report = {
    requests: 0,
    bytes: 0,
    expectedDurationMs: 0,
    valid: 0,
    invalid: 0,
    duplicates: 0,
    variables: prepared.variables === void 0 ? void 0 : []
  };
  let total = 0;
  for await (const batch of packRecipients(inspected(), {
    base: options.base,
    runId: options.runId,
    maxBatchRequests: options.batchSize,
    skipDuplicates: options.skipDuplicates
  })) {
    if (options.signal?.aborted) break;
    total += batch.count;
    options.tracker.read = total;
    let sendable = 0;
    let batchBytes = '{"base":,"requests":[]}'.length + prepared.baseBytes;
    for (const item of batch.items) {
      if (item.duplicate) {
        report.duplicates += 1;
        continue;
      }
      if (item.error !== void 0) {
        report.invalid += 1;
        const result = {
          email: item.email,
          status: "failed",
          error: item.error,
          sequence: item.sequence
        };
        options.tally.add("failed", item.error);
        options.results?.add(result);
        options.onResult?.(result);
        options.tracker.record(result, { invalid: true });
        continue;
      }
      batchBytes += item.bytes + (sendable > 0 ? 1 : 0);
      sendable += 1;
    }
    report.valid += sendable;
    if (sendable > 0) {
      report.requests += 1;
      report.bytes += batchBytes;
    }
  }
  if (report.variables) {
    for (const name of used)
      report.variables.push({ name, missing: Math.min(missing.get(name), report.valid) });
    if (inspectedRows > 0) {
      const absent = used.filter((name) => missing.get(name) >= inspectedRows);
      if (absent.length > 0)
        throw new BulkInputError(
          `the content uses ${absent.map((name) => `{{${name}}}`).join(", ")} but no recipient has ${absent.length === 1 ? "it" : "them"}: add the column${absent.length === 1 ? "" : "s"} to the recipients or fix the content`,
          "base"
        );
    }
  }
  options.tracker.total = report.valid;
  report.expectedDurationMs = options.rateLimit ? Math.round(report.requests / options.rateLimit.requests * options.rateLimit.windowMs) : 0;
  return report;
}

// src/engine.ts
import { delay as delay2 } from "@mailtrap-kit/core";

// src/outcomes.ts
var retryableItemPattern = /rate limit|too many requests|throttl|temporar|try again|timed? ?out|unavailable/i;
function isRetryableItemError(errors) {
  return errors.some((message) => retryableItemPattern.test(message));
}
var campaignRefusalPattern = /not verified|unverified|forbidden|unauthori[sz]ed|does not match any template|template (was )?not found|unknown template|invalid api token/i;
var noSuchHostCodes = /* @__PURE__ */ new Set(["ENOTFOUND", "EAI_NONAME", "EAI_FAIL"]);
var unreachableCodes = /* @__PURE__ */ new Set([
  ...noSuchHostCodes,
  "ECONNREFUSED",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT"
]);
function causeCode(error) {
  let current = error?.cause;
  for (let depth = 0; depth < 4 && current && typeof current === "object"; depth += 1) {
    const code = current.code;
    if (typeof code === "string") return code;
    current = current.cause;
  }
  return void 0;
}
function campaignRefusal(outcomes) {
  if (outcomes.length === 0) return void 0;
  for (const outcome of outcomes)
    if (outcome.status !== "failed" || !campaignRefusalPattern.test(outcome.error ?? "")) return void 0;
  for (const outcome of outcomes) outcome.status = "retry";
  return { code: "refused", message: outcomes[0].error ?? "refused" };
}
function errorText(errors, fallback) {
  if (Array.isArray(errors) && errors.length > 0) return errors.map(String).join("; ");
  return fallback;
}
function classifyBatchResponse(items, response) {
  const responses = Array.isArray(response?.responses) ? response.responses : [];
  const topErrors = Array.isArray(response?.errors) ? response.errors.map(String) : [];
  const outcomes = new Array(items.length);
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index];
    const answer = responses[index];
    if (answer?.success === true) {
      const messageId = Array.isArray(answer.message_ids) ? answer.message_ids[0] : void 0;
      outcomes[index] = messageId ? { sequence: item.sequence, offset: item.offset, email: item.email, status: "sent", messageId } : { sequence: item.sequence, offset: item.offset, email: item.email, status: "sent" };
      continue;
    }
    let status;
    let error;
    if (!answer) {
      if (responses.length === 0 && response?.success === false) {
        status = isRetryableItemError(topErrors) ? "retry" : "failed";
        error = errorText(topErrors, "the batch was refused without a reason");
      } else {
        status = "uncertain";
        error = "the batch answer has no entry for this message";
      }
    } else {
      const errors = Array.isArray(answer.errors) ? answer.errors.map(String) : [];
      status = isRetryableItemError(errors) ? "retry" : "failed";
      error = errorText(errors, "the message was refused without a reason");
    }
    outcomes[index] = { sequence: item.sequence, offset: item.offset, email: item.email, status, error };
  }
  return outcomes;
}
function classifyBatchError(items, error) {
  const like = typeof error === "object" && error !== null ? error : {};
  const code = typeof like.code === "string" ? like.code : void 0;
  const message = errorText(like.errors, typeof like.message === "string" ? like.message : String(error));
  const retryAfterMs = typeof like.retryAfterMs === "number" ? like.retryAfterMs : void 0;
  const known = code !== void 0 && typeof like.retryable === "boolean";
  let status;
  let fatal;
  if (!known || like.maybeSent === true) status = "uncertain";
  else if (code === "authentication" || code === "permission") {
    status = "retry";
    fatal = { code, message };
  } else if (code === "aborted") status = "retry";
  else if (like.retryable === true && unreachableCodes.has(causeCode(error) ?? "")) {
    status = "retry";
    if (noSuchHostCodes.has(causeCode(error))) fatal = { code: "unreachable", message };
  } else if (like.retryable === true) status = "retry";
  else status = "failed";
  const detail = typeof like.status === "number" ? `${like.status} ${message}` : message;
  const outcomes = items.map((item) => ({
    sequence: item.sequence,
    offset: item.offset,
    email: item.email,
    status,
    error: detail
  }));
  const result = { outcomes };
  if (fatal) result.fatal = fatal;
  if (status === "retry" && unreachableCodes.has(causeCode(error) ?? "")) result.unreachable = true;
  if (retryAfterMs !== void 0) result.retryAfterMs = retryAfterMs;
  return result;
}
async function sendPackedBatch(client, batch, options = {}) {
  const items = options.items ?? batch.items.filter(isSendable);
  if (items.length === 0) return { outcomes: [] };
  const validated = options.validated ?? true;
  const signal = options.signal ? { signal: options.signal } : {};
  let response;
  try {
    if (validated && typeof client.batchSendJson === "function" && items.every((item) => item.json !== void 0)) {
      const requests = new Array(items.length);
      for (let index = 0; index < items.length; index += 1) requests[index] = items[index].json;
      response = await client.batchSendJson({ base: batch.base, requests }, signal);
    } else {
      response = await client.batchSend(buildBatchRequest(batch, items), { validated, ...signal });
    }
  } catch (error) {
    return classifyBatchError(items, error);
  }
  const outcomes = classifyBatchResponse(items, response);
  const refusal2 = campaignRefusal(outcomes);
  return refusal2 ? { outcomes, fatal: refusal2 } : { outcomes };
}

// src/settle.ts
import { delay } from "@mailtrap-kit/core";
function createWindowRateLimitStore() {
  const windows = /* @__PURE__ */ new Map();
  return {
    async reserve(key, limit) {
      const now = Date.now();
      const slots = (windows.get(key) ?? []).filter((time) => time > now - limit.windowMs);
      let at = now;
      if (slots.length >= limit.requests) at = (slots[slots.length - limit.requests] ?? now) + limit.windowMs;
      slots.push(at);
      windows.set(key, slots);
      return Math.max(0, at - now);
    }
  };
}
var defaultEmailLogsStore = createWindowRateLimitStore();
function recipientsOf(message) {
  const to = message.to;
  if (typeof to === "string") return to.split(",").map((part) => part.trim().toLowerCase());
  if (Array.isArray(to))
    return to.map((entry) => String(entry?.email ?? entry).toLowerCase());
  return [];
}
async function settleUncertain(client, recipients, options) {
  const perQuery = options.addressesPerQuery ?? 50;
  const limit = options.rateLimit === false ? void 0 : options.rateLimit ?? { requests: 60, windowMs: 6e4 };
  const store = limit && "store" in limit && limit.store || defaultEmailLogsStore;
  const key = limit && "key" in limit && limit.key || "email_logs:list";
  const bySequence = /* @__PURE__ */ new Map();
  for (const recipient of recipients) bySequence.set(recipient.sequence, recipient);
  const found = /* @__PURE__ */ new Map();
  for (let start = 0; start < recipients.length; start += perQuery) {
    const chunk = recipients.slice(start, start + perQuery);
    const filters = {
      [`custom_variables.${TAG_ID_KEY}`]: {
        operator: "equal",
        value: chunk.map((recipient) => String(recipient.sequence))
      },
      [`custom_variables.${TAG_RUN_KEY}`]: { operator: "equal", value: options.runId },
      to: {
        operator: "ci_equal",
        value: [...new Set(chunk.map((recipient) => recipient.email.toLowerCase()))]
      }
    };
    if (options.sentAfter) filters.sent_after = options.sentAfter.toISOString();
    let cursor;
    const seenCursors = /* @__PURE__ */ new Set();
    do {
      if (limit) await delay(await store.reserve(key, limit), options.signal);
      const params = { filters };
      if (cursor) params.search_after = cursor;
      const page = await client.emailLogs.list(params, options.signal ? { signal: options.signal } : {});
      for (const message of page.messages ?? []) {
        const tag = parseRecipientTag(message.custom_variables);
        if (!tag || tag.runId !== options.runId) continue;
        const recipient = bySequence.get(tag.sequence);
        if (!recipient) continue;
        const listed = recipientsOf(message);
        if (listed.length > 0 && !listed.includes(recipient.email.toLowerCase())) continue;
        found.set(tag.sequence, message.message_id);
      }
      cursor = page.next_page_cursor ?? void 0;
      if (cursor && seenCursors.has(cursor)) break;
      if (cursor) seenCursors.add(cursor);
    } while (cursor);
  }
  return recipients.map((recipient) => {
    const messageId = found.get(recipient.sequence);
    return messageId ? { sequence: recipient.sequence, email: recipient.email, status: "sent", messageId } : { sequence: recipient.sequence, email: recipient.email, status: "unsent" };
  });
}

// src/engine.ts
var noPersistence = {
  start() {
  },
  end() {
  },
  settle() {
  }
};
var notResentReason = "Email Logs shows no message for this recipient: never accepted; not re-sent (allow with resendUnsent / --resend-unsent)";
var SendEngine = class {
  constructor(settings) {
    this.settings = settings;
  }
  settings;
  get stopped() {
    return this.settings.signal.aborted;
  }
  /** Sends `items` of `batch` in attempts until each is final, uncertain or given up on. */
  async send(batch, items) {
    const { port, report, signal } = this.settings;
    let remaining = items;
    let reason;
    const uncertain = [];
    const stoppedEarly = () => ({
      uncertain,
      unsent: remaining,
      reason: reason ? `the run stopped before it was sent again (${reason})` : "the run was stopped"
    });
    for (let attempt = 1; remaining.length > 0; attempt += 1) {
      if (signal.aborted) return stoppedEarly();
      const release = this.settings.acquire ? await this.settings.acquire() : () => void 0;
      if (!release) return stoppedEarly();
      let result;
      try {
        await port.start(batch, remaining);
        this.settings.onRequest?.(remaining.length);
        try {
          result = await sendPackedBatch(this.settings.client, batch, { items: remaining });
        } finally {
          this.settings.onAnswer?.(remaining.length);
        }
        if (result.fatal) this.settings.onStop?.(result.fatal);
      } finally {
        release();
      }
      await port.end(batch, result.outcomes);
      const inOrder = result.outcomes.length === remaining.length && result.outcomes.every((outcome, index) => outcome.offset === remaining[index].offset);
      const byOffset = inOrder ? void 0 : new Map(remaining.map((item) => [item.offset, item]));
      const retry = [];
      for (let index = 0; index < result.outcomes.length; index += 1) {
        const outcome = result.outcomes[index];
        const item = byOffset ? byOffset.get(outcome.offset) : remaining[index];
        if (outcome.status === "sent") report(item, "sent", outcome.messageId);
        else if (outcome.status === "failed") report(item, "failed", outcome.error);
        else if (outcome.status === "uncertain") uncertain.push(item);
        else {
          retry.push(item);
          reason = outcome.error ?? reason;
        }
      }
      if (result.fatal) return { uncertain, unsent: retry, reason: result.fatal.message, stop: result.fatal };
      if (retry.length === 0) return { uncertain, unsent: [] };
      if (attempt >= this.settings.maxAttempts) {
        const text = `not sent after ${attempt} attempts: ${reason ?? "not accepted"}`;
        const done = { uncertain, unsent: retry, reason: text };
        if (result.unreachable) done.stop = { code: "unreachable", message: text };
        return done;
      }
      remaining = retry;
      const backoff = result.retryAfterMs ?? Math.random() * Math.min(3e4, this.settings.retryDelayMs * 2 ** (attempt - 1));
      await delay2(backoff, signal).catch(() => void 0);
    }
    return { uncertain, unsent: [] };
  }
  /**
   * Looks uncertain items up in Email Logs and records what it says: found → `sent` with its id;
   * absent → proven unsent, returned for sending again when `resendUnsent`, else reported `unsent`.
   * Throws when Email Logs cannot be read (nothing is recorded then).
   */
  async settle(candidates) {
    const resend = /* @__PURE__ */ new Map();
    if (candidates.length === 0) return resend;
    if (!this.settings.emailLogs) throw new Error("no Email Logs client to settle with");
    const settlements = await settleUncertain(
      this.settings.emailLogs,
      candidates.map(({ item }) => ({ sequence: item.sequence, email: item.email })),
      {
        runId: this.settings.runId,
        sentAfter: this.settings.sentAfter,
        ...this.settings.emailLogsRateLimit !== void 0 ? { rateLimit: this.settings.emailLogsRateLimit } : {},
        signal: this.settings.signal
      }
    );
    const perBatch = /* @__PURE__ */ new Map();
    settlements.forEach((settlement, index) => {
      const { batch, item } = candidates[index];
      const entry = { offset: item.offset, sequence: item.sequence, status: settlement.status };
      if (settlement.messageId) entry.messageId = settlement.messageId;
      const list = perBatch.get(batch);
      if (list) list.push(entry);
      else perBatch.set(batch, [entry]);
    });
    for (const [batch, entries] of perBatch) await this.settings.port.settle(batch, entries);
    settlements.forEach((settlement, index) => {
      const { batch, item } = candidates[index];
      if (settlement.status === "sent") this.settings.report(item, "sent", settlement.messageId);
      else if (this.settings.resendUnsent) {
        const list = resend.get(batch);
        if (list) list.push(item);
        else resend.set(batch, [item]);
      } else this.settings.report(item, "unsent", notResentReason);
    });
    return resend;
  }
};

// src/progress.ts
import { EventEmitter } from "events";
var ProgressTracker = class {
  constructor(intervalMs) {
    this.intervalMs = intervalMs;
  }
  intervalMs;
  emitter = new EventEmitter();
  runId = "";
  phase = "sending";
  total;
  read = 0;
  sent = 0;
  failed = 0;
  invalid = 0;
  uncertain = 0;
  unsent = 0;
  inFlight = 0;
  resumed = 0;
  requests = 0;
  batchSize = 500;
  rateLimit;
  startedAt = Date.now();
  finishedTimes = [];
  timer;
  closed = false;
  waiters = /* @__PURE__ */ new Set();
  get finished() {
    return this.sent + this.failed - this.invalid + this.uncertain + this.unsent;
  }
  /** True when someone listens to `result` events (otherwise a result object need not be built). */
  get announcesResults() {
    return this.emitter.listenerCount("result") > 0;
  }
  /** Counts one recipient's final state and announces it. */
  record(result, options = {}) {
    this.count(result.status, options.invalid === true, options.resumed === true);
    this.emitter.emit("result", result);
  }
  /** Counts one recipient's final state (no event: nobody listens). */
  count(status, invalid, resumed) {
    this[status] += 1;
    if (invalid) this.invalid += 1;
    if (resumed) this.resumed += 1;
    const now = Date.now();
    const last = this.finishedTimes[this.finishedTimes.length - 1];
    const done = this.finished;
    if (last && now - last[0] < 100) last[1] = done;
    else this.finishedTimes.push([now, done]);
    if (this.finishedTimes.length > 200) this.finishedTimes.shift();
    this.schedule();
  }
  snapshot() {
    const now = Date.now();
    const done = this.finished;
    while (this.finishedTimes.length > 1 && this.finishedTimes[0][0] < now - 1e4)
      this.finishedTimes.shift();
    let rate = 0;
    const first = this.finishedTimes[0];
    if (first && now - first[0] > 0) rate = (done - first[1]) * 1e3 / Math.max(now - first[0], 1e3);
    let etaMs;
    if (this.total !== void 0) {
      const remaining = Math.max(0, this.total - done);
      const requestsLeft = Math.ceil(remaining / this.batchSize);
      const floor = this.rateLimit ? requestsLeft * this.rateLimit.windowMs / this.rateLimit.requests : 0;
      etaMs = remaining === 0 ? 0 : Math.max(floor, rate > 0 ? remaining / rate * 1e3 : floor);
    }
    return {
      runId: this.runId,
      phase: this.phase,
      total: this.total,
      read: this.read,
      sent: this.sent,
      failed: this.failed,
      invalid: this.invalid,
      uncertain: this.uncertain,
      unsent: this.unsent,
      finished: done,
      inFlight: this.inFlight,
      resumed: this.resumed,
      requests: this.requests,
      recipientsPerSecond: Math.round(rate * 10) / 10,
      etaMs: etaMs === void 0 ? void 0 : Math.round(etaMs),
      elapsedMs: now - this.startedAt
    };
  }
  /** A progress event at most once per interval. */
  schedule() {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => this.emit(), this.intervalMs);
    this.timer.unref?.();
  }
  /** The last event: phase `done`; no event after it. */
  close() {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.phase = "done";
    this.emit();
  }
  emit() {
    this.timer = void 0;
    this.emitter.emit("progress", this.snapshot());
    for (const wake of this.waiters) wake();
  }
  /** Progress snapshots as they change (a slow reader skips to the newest); ends when `ended` settles. */
  iterate(ended) {
    let latest;
    let over = false;
    const listener = (progress) => {
      latest = progress;
    };
    this.emitter.on("progress", listener);
    const finish = () => {
      over = true;
    };
    ended.then(finish, finish);
    const waiters = this.waiters;
    const emitter = this.emitter;
    const iterator = {
      [Symbol.asyncIterator]() {
        return iterator;
      },
      async next() {
        while (!latest) {
          if (over) {
            emitter.off("progress", listener);
            return { done: true, value: void 0 };
          }
          await new Promise((resolve) => {
            const wake = () => {
              waiters.delete(wake);
              resolve();
            };
            waiters.add(wake);
            ended.then(wake, wake);
          });
        }
        const value = latest;
        latest = void 0;
        return { done: false, value };
      },
      async return() {
        emitter.off("progress", listener);
        over = true;
        return { done: true, value: void 0 };
      }
    };
    return iterator;
  }
};

// src/reasons.ts
var linePrefix = /^line (\d+): /;
function reasonKey(reason) {
  const match = linePrefix.exec(reason);
  const text = (match ? reason.slice(match[0].length) : reason).replace(/"(?:[^"\\]|\\.)*"/g, '"\u2026"');
  return match ? { key: text, line: Number(match[1]) } : { key: text };
}
var ReasonTally = class _ReasonTally {
  groups = /* @__PURE__ */ new Map();
  static maxGroups = 1e3;
  add(status, reason, count = 1) {
    const { key, line: line2 } = reasonKey(reason ?? "no reason given");
    const id = `${status}\0${key}`;
    let group = this.groups.get(id);
    if (!group) {
      if (this.groups.size >= _ReasonTally.maxGroups) {
        this.add(status, "other reasons", count);
        return;
      }
      group = { status, reason: key, count: 0 };
      this.groups.set(id, group);
    }
    group.count += count;
    if (line2 !== void 0) {
      group.lines ??= [];
      if (group.lines.length < 10) group.lines.push(line2);
    }
  }
  list() {
    return [...this.groups.values()].sort((left, right) => right.count - left.count);
  }
};

// src/results-file.ts
import { closeSync as closeSync2, openSync as openSync2, writeSync as writeSync2 } from "fs";
var ResultsFile = class {
  constructor(path) {
    this.path = path;
    try {
      this.descriptor = openSync2(path, "w");
    } catch (error) {
      throw new BulkInputError(
        `cannot write the results file ${path}: ${error.message}`,
        "results",
        {
          cause: error
        }
      );
    }
  }
  path;
  descriptor;
  buffer = [];
  size = 0;
  add(result) {
    const line2 = { email: result.email, status: result.status };
    if (result.message_id !== void 0) line2.message_id = result.message_id;
    if (result.error !== void 0) line2.error = result.error;
    const text = `${JSON.stringify(line2)}
`;
    this.buffer.push(text);
    this.size += text.length;
    if (this.size > 65536) this.flush();
  }
  flush() {
    if (this.buffer.length === 0) return;
    writeSync2(this.descriptor, this.buffer.join(""));
    this.buffer = [];
    this.size = 0;
  }
  close() {
    this.flush();
    closeSync2(this.descriptor);
  }
};

// src/resume.ts
var notResent = "Email Logs shows no message for this recipient: never accepted; not re-sent (allow with resendUnsent / --resend-unsent)";
function planBatch(batch, journal, options) {
  const plan = { send: [], known: [], settle: [], duplicates: 0 };
  const replayed = journal?.has(batch.batch) ? journal.replay(batch.batch) : void 0;
  if (replayed?.fingerprint !== void 0 && replayed.fingerprint !== batch.fingerprint) {
    plan.mismatch = {
      code: "journal_mismatch",
      message: `batch ${batch.batch} (recipients ${batch.firstSequence}..${batch.firstSequence + batch.count - 1}) differs from the journal: the input changed since the run started`
    };
    return plan;
  }
  for (const item of batch.items) {
    if (item.duplicate) {
      plan.duplicates += 1;
      continue;
    }
    if (item.error !== void 0) {
      plan.known.push({ item, status: "failed", detail: item.error, invalid: true });
      continue;
    }
    const known = replayed?.items.get(item.offset);
    if (!known || known.state === "p") plan.send.push(item);
    else if (known.state === "s")
      plan.known.push({ item, status: "sent", detail: known.messageId, invalid: false });
    else if (known.state === "f")
      plan.known.push({ item, status: "failed", detail: known.error, invalid: false });
    else if (known.state === "n") {
      if (options.resendUnsent) plan.send.push(item);
      else plan.known.push({ item, status: "unsent", detail: notResent, invalid: false });
    } else if (options.settle) plan.settle.push(item);
    else
      plan.known.push({
        item,
        status: "uncertain",
        detail: known.state === "u" ? known.error : "in flight when the previous run stopped",
        invalid: false
      });
  }
  return plan;
}

// src/run-settings.ts
import { createHash as createHash3 } from "crypto";
function positiveInteger(value, name, fallback, maximum = Number.MAX_SAFE_INTEGER) {
  if (value === void 0) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > maximum)
    throw new BulkInputError(
      `${name} must be an integer from 1 to ${maximum} (got ${JSON.stringify(value)})`,
      name
    );
  return value;
}
function milliseconds(value, name, fallback) {
  if (value === void 0) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
    throw new BulkInputError(`${name} must be a number of ms >= 0`, name);
  return value;
}
function resolveRunSettings(settings) {
  if (!settings || typeof settings !== "object")
    throw new BulkInputError("settings are required", "settings");
  const recipients = settings.recipients;
  if (!recipients || typeof recipients[Symbol.asyncIterator] !== "function" && typeof recipients[Symbol.iterator] !== "function")
    throw new BulkInputError("recipients must be an iterable or async iterable", "recipients");
  const stream = settings.stream ?? "bulk";
  if (stream !== "bulk" && stream !== "transactional")
    throw new BulkInputError(
      `stream must be 'bulk' or 'transactional' (got ${JSON.stringify(stream)})`,
      "stream"
    );
  let rateLimit = { requests: 150, windowMs: 1e4 };
  if (settings.rateLimit === false) rateLimit = void 0;
  else if (settings.rateLimit !== void 0) {
    positiveInteger(settings.rateLimit.requests, "rateLimit.requests", 150);
    positiveInteger(settings.rateLimit.windowMs, "rateLimit.windowMs", 1e4);
    rateLimit = { requests: settings.rateLimit.requests, windowMs: settings.rateLimit.windowMs };
  }
  if (settings.resume && !settings.journal)
    throw new BulkInputError("resume needs the journal path of the run to continue", "journal");
  if (settings.accountId !== void 0) {
    const text = String(settings.accountId).trim();
    if (!/^[1-9]\d*$/.test(text))
      throw new BulkInputError(
        `accountId must be a positive integer (got ${JSON.stringify(settings.accountId)})`,
        "accountId"
      );
    if (settings.client)
      throw new BulkInputError(
        "accountId applies to the client the run builds: with your own client, give accountId to it",
        "accountId"
      );
  }
  return {
    stream,
    concurrency: positiveInteger(settings.concurrency, "concurrency", 4, 64),
    batchSize: positiveInteger(
      settings.batchSize,
      "batchSize",
      API_LIMITS.maxBatchRequests,
      API_LIMITS.maxBatchRequests
    ),
    maxAttempts: positiveInteger(settings.maxAttempts, "maxAttempts", 5, 100),
    rateLimit,
    retryDelayMs: milliseconds(settings.retryDelayMs, "retryDelayMs", 500),
    settleDelayMs: milliseconds(settings.settleDelayMs, "settleDelayMs", 3e4)
  };
}
function campaignHash(base, batchSize, stream, skipDuplicates = false) {
  const replacer = (_key, value) => value instanceof Uint8Array ? createHash3("sha256").update(value).digest("hex") : value;
  return createHash3("sha256").update(
    JSON.stringify(
      skipDuplicates ? { base, batchSize, stream, skipDuplicates } : { base, batchSize, stream },
      replacer
    )
  ).digest("hex").slice(0, 32);
}

// src/scheduler.ts
import { delay as delay3 } from "@mailtrap-kit/core";
var RATE_LIMIT_MARGIN = 0.015;
var Scheduler = class {
  constructor(concurrency, rateLimit, signal, readyBatches = 2) {
    this.concurrency = concurrency;
    this.signal = signal;
    this.readyBatches = readyBatches;
    this.spacingMs = rateLimit ? rateLimit.windowMs * (1 + RATE_LIMIT_MARGIN) / rateLimit.requests : 0;
  }
  concurrency;
  signal;
  readyBatches;
  active = 0;
  slotWaiters = [];
  spacingMs;
  nextRequestAt = 0;
  /** Under a rate limit: when the next batch may be packed (see `room`). */
  nextPackAt = 0;
  running = /* @__PURE__ */ new Set();
  probing = false;
  openGate = () => void 0;
  gate = new Promise((resolve) => {
    this.openGate = resolve;
  });
  /**
   * Waits for a request slot and its moment; returns the release, or undefined when stopped. The
   * first request goes alone: the others wait for its answer (`open`), so a refusal that would refuse
   * every recipient (a bad token, an unverified sender) costs one request, not `concurrency`.
   */
  async acquire() {
    if (this.probing) await this.gate;
    else this.probing = true;
    while (this.active >= this.concurrency)
      await new Promise((resolve) => this.slotWaiters.push(resolve));
    this.active += 1;
    const release = () => {
      this.active -= 1;
      this.slotWaiters.shift()?.();
    };
    if (this.spacingMs > 0) {
      const now = Date.now();
      const at = Math.max(now, this.nextRequestAt);
      this.nextRequestAt = at + this.spacingMs;
      if (at > now) await delay3(at - now, this.signal).catch(() => void 0);
    }
    if (this.signal.aborted) {
      release();
      return void 0;
    }
    return release;
  }
  /** The first request answered (or the run stopped): the others may go. */
  open() {
    this.openGate();
  }
  /**
   * Waits until another batch may be held (back-pressure on the packer). Under a rate limit also
   * until one slot before the batch's moment: batches come one slot apart, each packed about one slot
   * ahead of its request, so its messages live a slot or two, not `concurrency + readyBatches` slots
   * (held longer, most of them would outlive young-generation collections and be promoted, to be
   * collected later by full ones: more memory and more CPU for the same campaign).
   */
  async room() {
    while (this.running.size >= this.concurrency + this.readyBatches) await Promise.race(this.running);
    if (this.spacingMs <= 0) return;
    const now = Date.now();
    const at = Math.max(this.nextPackAt, now - this.spacingMs);
    this.nextPackAt = at + this.spacingMs;
    if (at > now) await delay3(at - now, this.signal).catch(() => void 0);
  }
  /** Tracks the work of one batch. */
  launch(work) {
    const tracked = work.finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }
  /** Waits for every batch launched. */
  async idle() {
    await Promise.all(this.running);
  }
};

// src/run.ts
var SETTLE_ROUNDS = 5;
function buildClient(settings, resolved) {
  const rateLimit = resolved.rateLimit;
  const given = settings.rateLimit || void 0;
  const options = {
    stream: resolved.stream,
    retry: false,
    // The scheduler spaces requests evenly, 1.5% wider than the limit. Under it, core's limiter is the
    // net: the same 1.5% wider window, in its own memory store without the store's fixed 250 ms margin
    // (a fixed margin costs 2.5% of Mailtrap's 10 s window and 25% of a scaled 1 s one). The server
    // counts a request when it arrives, a limiter when it leaves: the margin absorbs a request held up
    // by GC or a busy machine, so it does not draw a 429. A store given in `rateLimit.store` is used as
    // it is (shared with other processes, with its own margin).
    rateLimit: rateLimit ? {
      requests: rateLimit.requests,
      windowMs: Math.ceil(rateLimit.windowMs * (1 + RATE_LIMIT_MARGIN)),
      store: given?.store ?? createMemoryRateLimitStore({ safetyMarginMs: 0 }),
      ...given?.key !== void 0 ? { key: given.key } : {}
    } : false
  };
  if (settings.token !== void 0) options.token = settings.token;
  if (settings.accountId !== void 0) options.accountId = settings.accountId;
  if (settings.endpoints) options.endpoints = settings.endpoints;
  if (settings.timeoutMs !== void 0) options.timeoutMs = settings.timeoutMs;
  try {
    return new MailtrapClient(options);
  } catch (error) {
    throw new BulkInputError(error.message, "client", { cause: error });
  }
}
function createBulkRun(settings) {
  const tracker = new ProgressTracker(settings?.progressIntervalMs ?? 250);
  tracker.runId = settings?.runId ?? "";
  tracker.total = settings?.total;
  if (settings?.rateLimit !== false)
    tracker.rateLimit = settings?.rateLimit ? { requests: settings.rateLimit.requests, windowMs: settings.rateLimit.windowMs } : { requests: 150, windowMs: 1e4 };
  if (typeof settings?.batchSize === "number") tracker.batchSize = settings.batchSize;
  const done = (async () => {
    await Promise.resolve();
    try {
      return await execute(settings, tracker);
    } finally {
      tracker.close();
    }
  })();
  const run = {
    done,
    on(event, listener) {
      tracker.emitter.on(event, listener);
      return run;
    },
    off(event, listener) {
      tracker.emitter.off(event, listener);
      return run;
    },
    snapshot: () => tracker.snapshot(),
    progress: () => tracker.iterate(done)
  };
  return run;
}
async function execute(settings, tracker) {
  const startedAt = Date.now();
  const resolved = resolveRunSettings(settings);
  tracker.batchSize = resolved.batchSize;
  tracker.rateLimit = resolved.rateLimit;
  await loadMergeSupport(settings.base);
  prepareBase(settings.base);
  const tally = new ReasonTally();
  const results = settings.results ? new ResultsFile(settings.results) : void 0;
  const report = (result, invalid = false, resumed = false) => {
    if (result.status !== "sent") tally.add(result.status, result.error);
    results?.add(result);
    settings.onResult?.(result);
    tracker.record(result, { invalid, resumed });
  };
  if (settings.dryRun) {
    tracker.runId = settings.runId ?? "dry-run";
    try {
      const dry = await dryRun({
        recipients: settings.recipients,
        base: settings.base,
        runId: tracker.runId,
        batchSize: resolved.batchSize,
        skipDuplicates: settings.skipDuplicates === true,
        rateLimit: resolved.rateLimit,
        signal: settings.signal,
        tracker,
        tally,
        results,
        onResult: settings.onResult
      });
      return {
        runId: tracker.runId,
        total: dry.valid,
        sent: 0,
        failed: tracker.failed,
        invalid: tracker.invalid,
        uncertain: 0,
        unsent: dry.valid,
        duplicates: dry.duplicates,
        requests: 0,
        reasons: tally.list(),
        durationMs: Date.now() - startedAt,
        dryRun: dry
      };
    } finally {
      results?.close();
    }
  }
  let client = settings.client;
  let ownClient;
  let journal;
  try {
    if (!client) {
      ownClient = buildClient(settings, resolved);
      client = ownClient;
    }
    if (settings.journal) {
      const header = {
        runId: settings.runId ?? createRunId(),
        settings: campaignHash(
          settings.base,
          resolved.batchSize,
          resolved.stream,
          settings.skipDuplicates === true
        )
      };
      if (settings.inputHash) header.input = settings.inputHash;
      if (settings.total !== void 0) header.recipients = settings.total;
      journal = Journal.open(settings.journal, header, { resume: settings.resume === true });
      tracker.runId = journal.header.runId;
    } else tracker.runId = settings.runId ?? createRunId();
  } catch (error) {
    results?.close();
    await ownClient?.close();
    throw error;
  }
  try {
    return await send(settings, resolved, tracker, {
      client,
      ownClient,
      journal,
      report,
      announces: () => results !== void 0 || settings.onResult !== void 0 || tracker.announcesResults,
      tally,
      startedAt
    });
  } finally {
    results?.close();
    journal?.close();
    await ownClient?.close();
  }
}
async function send(settings, resolved, tracker, context) {
  const { client, journal } = context;
  const emailLogs = client.emailLogs ? client : void 0;
  const settle = settings.settle ?? emailLogs !== void 0;
  const runStartedAt = journal ? new Date(journal.header.startedAt) : new Date(context.startedAt);
  let stopped;
  let fatalError;
  let scheduler;
  const stopController = new AbortController();
  const stop = (reason, error) => {
    stopped ??= reason;
    if (error) fatalError ??= error;
    stopController.abort();
    scheduler?.open();
  };
  const userSignal = settings.signal;
  const onAbort = () => stop("aborted");
  if (userSignal?.aborted) stop("aborted");
  userSignal?.addEventListener("abort", onAbort, { once: true });
  const emit = (item, status, detail, invalid = false, resumed = false) => {
    if (status === "sent" && !context.announces()) {
      tracker.count(status, invalid, resumed);
      return;
    }
    const result = { email: item.email, status, sequence: item.sequence };
    if (detail !== void 0) {
      if (status === "sent") result.message_id = detail;
      else result.error = detail;
    }
    context.report(result, invalid, resumed);
  };
  scheduler = new Scheduler(
    resolved.concurrency,
    context.ownClient ? resolved.rateLimit : void 0,
    stopController.signal
  );
  if (stopController.signal.aborted) scheduler.open();
  const engine = new SendEngine({
    client,
    emailLogs: settle ? emailLogs : void 0,
    runId: tracker.runId,
    port: journal ? journalPort(journal) : noPersistence,
    report: (item, status, detail) => emit(item, status, detail),
    maxAttempts: resolved.maxAttempts,
    retryDelayMs: resolved.retryDelayMs,
    resendUnsent: settings.resendUnsent === true,
    emailLogsRateLimit: settings.emailLogsRateLimit ?? { requests: 60, windowMs: 6e4 },
    sentAfter: new Date(runStartedAt.getTime() - 5 * 6e4),
    signal: stopController.signal,
    acquire: () => scheduler.acquire(),
    onStop: (reason) => stop("fatal", reason),
    onRequest: (items) => {
      tracker.inFlight += items;
      tracker.requests += 1;
      tracker.schedule();
    },
    onAnswer: (items) => {
      tracker.inFlight -= items;
      scheduler.open();
    }
  });
  const stoppedReason = () => fatalError ? `not sent: the run stopped (${fatalError.message})` : "not sent: the run stopped";
  const settleQueue = [];
  let lastUncertainAt = 0;
  const leftUnsent = [];
  const lightBatches = /* @__PURE__ */ new WeakMap();
  const light = (batch) => {
    let kept = lightBatches.get(batch);
    if (!kept) {
      kept = { ...batch, items: [] };
      lightBatches.set(batch, kept);
    }
    return kept;
  };
  const sendBatch = async (batch, items) => {
    const outcome = await engine.send(batch, items);
    if (outcome.uncertain.length > 0) {
      lastUncertainAt = Date.now();
      for (const item of outcome.uncertain)
        if (settle) settleQueue.push({ batch: light(batch), item });
        else emit(item, "uncertain", "the request may or may not have been accepted");
    }
    if (outcome.stop) stop("fatal", outcome.stop);
    const reason = outcome.stop?.message ?? (stopController.signal.aborted ? stoppedReason() : outcome.reason ?? "not sent");
    if (stopController.signal.aborted) for (const item of outcome.unsent) leftUnsent.push({ item, reason });
    else for (const item of outcome.unsent) emit(item, "unsent", reason);
  };
  let duplicates = 0;
  let rows = 0;
  let packingError;
  try {
    for await (const batch of packRecipients(settings.recipients, {
      base: settings.base,
      runId: tracker.runId,
      maxBatchRequests: resolved.batchSize,
      skipDuplicates: settings.skipDuplicates === true
    })) {
      if (stopController.signal.aborted) break;
      rows += batch.count;
      tracker.read = rows;
      const plan = planBatch(batch, journal, { resendUnsent: settings.resendUnsent === true, settle });
      if (plan.mismatch) {
        stop("fatal", plan.mismatch);
        break;
      }
      duplicates += plan.duplicates;
      for (const known of plan.known)
        emit(known.item, known.status, known.detail, known.invalid, !known.invalid);
      for (const item of plan.settle) {
        tracker.resumed += 1;
        settleQueue.push({ batch, item });
      }
      if (plan.send.length === 0) continue;
      await scheduler.room();
      if (stopController.signal.aborted) {
        for (const item of plan.send) leftUnsent.push({ item, reason: stoppedReason() });
        break;
      }
      scheduler.launch(sendBatch(batch, plan.send));
    }
  } catch (error) {
    packingError = error;
    stop("aborted");
  }
  await scheduler.idle();
  const readToEnd = !stopController.signal.aborted && packingError === void 0;
  let settlementError;
  for (let round = 0; round < SETTLE_ROUNDS && settleQueue.length > 0 && !stopped && emailLogs; round += 1) {
    tracker.phase = "settling";
    tracker.schedule();
    const settleIn = lastUncertainAt + resolved.settleDelayMs - Date.now();
    if (settleIn > 0) await delay4(settleIn, stopController.signal).catch(() => void 0);
    if (stopController.signal.aborted) break;
    const candidates = settleQueue.splice(0);
    let resend;
    try {
      resend = await engine.settle(candidates);
    } catch (error) {
      settleQueue.push(...candidates);
      settlementError = `Email Logs could not be read: ${error.message}`;
      break;
    }
    tracker.phase = "sending";
    for (const [batch, items] of resend) {
      await scheduler.room();
      if (stopController.signal.aborted) {
        for (const item of items) leftUnsent.push({ item, reason: stoppedReason() });
        continue;
      }
      scheduler.launch(sendBatch(batch, items));
    }
    await scheduler.idle();
  }
  for (const { item } of settleQueue.splice(0))
    emit(
      item,
      "uncertain",
      settlementError ?? (stopped ? "the run stopped before Email Logs was checked" : "unknown")
    );
  for (const { item, reason } of leftUnsent) emit(item, "unsent", reason);
  userSignal?.removeEventListener("abort", onAbort);
  if (packingError) throw packingError;
  const valid = tracker.finished;
  const total = readToEnd ? valid : Math.max(valid, settings.total ?? valid);
  tracker.total = total;
  const notReached = total - valid;
  if (notReached > 0) context.tally.add("unsent", stoppedReason(), notReached);
  if (journal && readToEnd && tracker.unsent === 0 && tracker.uncertain === 0 && !stopped)
    journal.finish({ sent: tracker.sent, failed: tracker.failed, uncertain: 0, unsent: 0 });
  const summary = {
    runId: tracker.runId,
    total,
    sent: tracker.sent,
    failed: tracker.failed,
    invalid: tracker.invalid,
    uncertain: tracker.uncertain,
    unsent: tracker.unsent + notReached,
    duplicates,
    requests: tracker.requests,
    reasons: context.tally.list(),
    durationMs: Date.now() - context.startedAt
  };
  if (stopped) summary.stopped = stopped;
  if (fatalError) summary.fatalError = fatalError;
  if (settlementError) summary.settlementError = settlementError;
  if (journal) summary.journal = journal.path;
  return summary;
}

// src/cli-send.ts
var exitCodes = { sent: 0, incomplete: 1, badInput: 2, stopped: 3 };
function resumeCommand(invocation2, argv, journal) {
  const words = [];
  for (let index = 0; index < argv.length; index += 1) {
    const word = argv[index];
    if (word === "--token") {
      index += 1;
      continue;
    }
    if (word.startsWith("--token=")) continue;
    words.push(word);
  }
  if (!words.includes("--resume")) words.push("--resume");
  if (journal !== void 0 && !words.includes("--journal")) words.push("--journal", journal);
  return [invocation2, ...words.map(shellQuote)].join(" ");
}
function refusal(io, error) {
  if (!MailtrapError2.isInstance(error) || CliUsageError.isInstance(error)) throw error;
  io.stderr.write(`mailtrap-bulk: ${error.message}
`);
  return exitCodes.badInput;
}
async function prepare(argv, flags, command, io) {
  const write = (stream, text) => stream.write(`${text}
`);
  const options = sendOptionsFrom(flags);
  const endpointFlags = readEndpointFlags(flags);
  const connection = resolveConnection(command, endpointFlags.flags);
  const token = connection.token?.token;
  if (!options.dryRun && !token)
    throw new BulkInputError(
      `No API token (${TOKEN_VARIABLE} is not set). ${tokenHint(connection.configPath)}: the API token of the sending domain. Or check the campaign without one: --dry-run.`,
      "token"
    );
  try {
    if (!statSync2(options.recipients).isFile()) throw new Error("not a file");
  } catch (error) {
    throw new BulkInputError(
      `--recipients ${options.recipients}: ${error.message}`,
      "recipients",
      {
        cause: error
      }
    );
  }
  const base = buildBase(options);
  await loadMergeSupport(base);
  prepareBase(base);
  const batchSize = options.batchSize ?? 500;
  const journalPath = options.journal ?? `${options.recipients}.${campaignHash(base, batchSize, options.stream, !options.allowDuplicates).slice(0, 8)}.journal`;
  const check = await createBulkRun({
    recipients: await primed(reader(options)),
    base,
    batchSize,
    rateLimit: options.rate,
    skipDuplicates: !options.allowDuplicates,
    dryRun: true,
    ...options.dryRun && options.results ? { results: options.results } : {}
  }).done;
  if (options.dryRun) return reportDryRun(options, check, io);
  const missing = check.dryRun?.variables?.filter((variable) => variable.missing > 0) ?? [];
  if (missing.length > 0)
    write(
      io.stderr,
      `mailtrap-bulk: note: ${missing.map((variable) => `{{${variable.name}}} is empty for ${variable.missing}`).join(", ")} recipients (run with --dry-run to see the counts).`
    );
  const inputHash = await hashFile(options.recipients);
  if (!options.resume && existsSync(journalPath) && statSync2(journalPath).size > 0) {
    const known = summarizeJournal(journalPath);
    if (known.finished)
      throw new BulkInputError(
        `this campaign was already sent to ${options.recipients} (journal ${journalPath}, run ${known.runId}: ${known.sent} sent). To send it again anyway, remove the journal or give --journal <new file>.`,
        "journal"
      );
    throw new BulkInputError(
      `this campaign was started before and did not finish (journal ${journalPath}: ${known.sent} sent, ${known.unsent} unsent, ${known.uncertain + known.inFlight} uncertain). Resume it with:
  ${resumeCommand(io.invocation, argv, void 0)}`,
      "journal"
    );
  }
  if (!options.resume && options.journal === void 0)
    for (const other of interruptedCampaigns(options.recipients, journalPath))
      write(
        io.stderr,
        `mailtrap-bulk: note: another campaign from this file did not finish (journal ${other}); this one starts fresh. Resume that one with its own command and --resume.`
      );
  const { endpoints } = connection;
  const settings = {
    recipients: await primed(reader(options)),
    base,
    stream: options.stream,
    concurrency: options.concurrency,
    rateLimit: options.rate,
    resendUnsent: options.resendUnsent,
    settleDelayMs: options.settleDelayMs,
    skipDuplicates: !options.allowDuplicates,
    inputHash,
    total: check.total,
    batchSize,
    journal: journalPath,
    resume: options.resume,
    endpoints: { send: endpoints.send, bulk: endpoints.bulk, general: endpoints.general }
  };
  if (token) settings.token = token;
  if (options.results) settings.results = options.results;
  if (options.timeoutMs) settings.timeoutMs = options.timeoutMs;
  if (connection.accountId) settings.accountId = connection.accountId;
  const host = hostOf(options.stream);
  const url = endpoints[host];
  const from = streamSource(options.stream, endpointFlags.flags, io.env) ?? (url === MAILTRAP_ENDPOINTS[host] ? void 0 : `the config file ${connection.configPath}`);
  write(
    io.stderr,
    `mailtrap-bulk: sending on the ${options.stream} stream via ${url}${from ? ` (${from})` : ""}: ${plural(check.total, "recipient")}${check.invalid ? `, ${plural(check.invalid, "invalid row")} not sent` : ""}${check.duplicates ? `, ${plural(check.duplicates, "duplicate row")} skipped` : ""}; journal ${journalPath}.`
  );
  if (endpointFlags.note) write(io.stderr, `mailtrap-bulk: note: ${endpointFlags.note}`);
  return { options, settings, journalPath, check, tokenFromFlag: connection.token?.source === "flag" };
}
function reportDryRun(options, check, io) {
  const write = (text) => io.stdout.write(`${text}
`);
  const dry = check.dryRun;
  const code = dry.invalid > 0 ? exitCodes.incomplete : exitCodes.sent;
  if (options.json) {
    writeJson(io, { dryRun: dry, reasons: check.reasons });
    return code;
  }
  write(
    `Dry run: ${dry.valid + dry.invalid + dry.duplicates} rows: ${dry.valid} recipients to send, ${dry.invalid} invalid${dry.duplicates ? `, ${plural(dry.duplicates, "duplicate")} skipped` : ""}; ${dry.requests} requests, ${dry.bytes} bytes, expected duration ${duration(dry.expectedDurationMs)}${options.rate ? ` at ${options.rate.requests} requests/${options.rate.windowMs / 1e3}s` : ""}. Nothing was sent.`
  );
  if (dry.variables === void 0)
    write(
      "Variables: every column goes to the template as template_variables (the template itself is on Mailtrap: its variables are not checked here)."
    );
  else if (dry.variables.length === 0)
    write("Variables: the content uses none: every recipient gets the same message.");
  else
    write(
      `Variables the content uses: ${dry.variables.map((variable) => `{{${variable.name}}}${variable.missing ? ` (missing for ${variable.missing})` : ""}`).join(", ")}. Each message is rendered for its recipient.`
    );
  for (const line2 of formatReasons(check.reasons)) write(line2);
  return code;
}
async function sendCampaign(argv, flags, command, io) {
  const write = (stream, text) => stream.write(`${text}
`);
  let prepared;
  try {
    prepared = await prepare(argv, flags, command, io);
  } catch (error) {
    return refusal(io, error);
  }
  if (typeof prepared === "number") return prepared;
  const { options, settings, journalPath, check } = prepared;
  const controller = new AbortController();
  settings.signal = controller.signal;
  const resume = resumeCommand(io.invocation, argv, options.journal === void 0 ? journalPath : void 0);
  const tokenNote = prepared.tokenFromFlag ? `
(the token given with --token is not printed: pass it again, or export ${TOKEN_VARIABLE})` : "";
  const run = createBulkRun(settings);
  const mode = options.progress === "auto" ? io.stderr.isTTY ? "bar" : "lines" : options.progress;
  const progress = new CliProgress(
    io.stderr,
    mode,
    check.total,
    options.progressIntervalMs
  );
  progress.follow(run);
  let interrupts = 0;
  const removeInterrupt = io.onInterrupt?.(() => {
    interrupts += 1;
    progress.stop();
    if (interrupts === 1) {
      write(
        io.stderr,
        "\nStopping: no new request starts; waiting for the ones in flight (Ctrl-C again to quit now)."
      );
      controller.abort();
    } else {
      write(io.stderr, `
Quit. The journal is up to date; resume with:
  ${resume}${tokenNote}`);
      process.exit(exitCodes.stopped);
    }
  });
  try {
    const summary = await run.done;
    progress.stop();
    const resendable = summary.reasons.some(
      (group) => group.status === "unsent" && /Email Logs/.test(group.reason)
    );
    const resumeLine = `${resume}${resendable && !options.resendUnsent ? " --resend-unsent" : ""}`;
    const resumable = summary.stopped || summary.unsent > 0 || summary.uncertain > 0;
    const reasons = [...check.reasons, ...summary.reasons.filter((group) => group.lines === void 0)].sort(
      (left, right) => right.count - left.count
    );
    if (options.json)
      writeJson(io, {
        ...summary,
        total: check.total,
        invalid: check.invalid,
        duplicates: check.duplicates,
        reasons,
        journal: journalPath,
        ...options.results ? { results: options.results } : {},
        ...resumable ? { resume: resumeLine } : {}
      });
    else {
      write(
        io.stdout,
        `${countsLine(summary, check)} in ${duration(summary.durationMs)} (${summary.requests} requests, run ${summary.runId}).`
      );
      if (options.results) write(io.stdout, `Results: ${options.results}`);
      for (const line2 of formatReasons(reasons)) write(io.stdout, line2);
    }
    if (summary.settlementError) write(io.stderr, `mailtrap-bulk: ${summary.settlementError}`);
    if (summary.uncertain > 0)
      write(
        io.stderr,
        `mailtrap-bulk: ${summary.uncertain} recipients are uncertain (their request may or may not have been accepted); a resume asks Email Logs again.`
      );
    if (summary.fatalError)
      write(
        io.stderr,
        `mailtrap-bulk: stopped after a refusal that would refuse every recipient (${summary.fatalError.code}): ${summary.fatalError.message}
Nothing more was sent; fix it, then resume.`
      );
    if (resumable) {
      write(io.stderr, `Resume with:
  ${resumeLine}${tokenNote}`);
      return summary.stopped || summary.unsent > 0 ? exitCodes.stopped : exitCodes.incomplete;
    }
    return summary.failed > 0 ? exitCodes.incomplete : exitCodes.sent;
  } catch (error) {
    progress.stop();
    return refusal(io, error);
  } finally {
    progress.stop();
    removeInterrupt?.();
  }
}

// src/cli-status.ts
function statusOptionsFrom(flags, campaign) {
  if (campaign !== void 0)
    throw new BulkInputError(
      `${JSON.stringify(campaign)} looks like a campaign id: a @mailtrap-kit/bulk-bullmq campaign's status is \`mailtrap-bulk-bullmq status ${campaign}\`; a mailtrap-bulk send run's is \`mailtrap-bulk status --journal <file>\``,
      "campaign"
    );
  if (flags.journal === void 0)
    throw new BulkInputError(
      "status needs --journal <file> (the journal of a mailtrap-bulk send run)",
      "journal"
    );
  return { journal: flags.journal, json: flags.json === true };
}
function line(label, value) {
  return `  ${`${label}:`.padEnd(12)}${value}`;
}
function statusCommand2(options, command = "mailtrap-bulk") {
  const summary = summarizeJournal(options.journal);
  if (options.json) return JSON.stringify(summary);
  const lines = [
    `run ${summary.runId} (journal ${summary.path}, started ${summary.startedAt}${summary.finished ? ", finished" : ""})`,
    line("recipients", summary.recipients ?? `? (${summary.batches} batches recorded)`),
    line("sent", summary.sent),
    line("failed", summary.failed),
    line("uncertain", summary.uncertain),
    line("in flight", `${summary.inFlight} (when the process stopped; settled through Email Logs on resume)`),
    line(
      "unsent",
      `${summary.unsent}${summary.unsentByEmailLogs ? ` (${summary.unsentByEmailLogs} proven unsent by Email Logs: re-sent only with --resend-unsent)` : ""}`
    )
  ];
  if (summary.recipients === void 0 && !summary.finished)
    lines.push(
      "  (recipients after the last batch shown are not counted: the journal does not know how many there are)"
    );
  if (!summary.finished && summary.unsent + summary.inFlight + summary.uncertain > 0)
    lines.push(`Resume: run the same ${command} send command with --journal ${summary.path} --resume`);
  return lines.join("\n");
}

// src/invocation.ts
import { existsSync as existsSync2, realpathSync } from "fs";
import { delimiter, join as join2, relative, sep } from "path";
function sameFile(left, right) {
  try {
    return realpathSync(left) === realpathSync(right);
  } catch {
    return false;
  }
}
function invocation(context, bin = "mailtrap-bulk") {
  const { env, script, cwd } = context;
  const agent = env.npm_config_user_agent ?? "";
  const local = script?.includes(`${sep}node_modules${sep}`) === true;
  if (agent.startsWith("pnpm")) return `pnpm exec ${bin}`;
  if (agent.startsWith("yarn")) return `yarn ${bin}`;
  if (agent.startsWith("bun")) return `bunx ${bin}`;
  if (agent.startsWith("npm") && env.npm_command === "exec")
    return local && script.startsWith(cwd) ? `npx ${bin}` : `npx --package @mailtrap-kit/bulk-batcher ${bin}`;
  if (script) {
    for (const directory of (env.PATH ?? "").split(delimiter)) {
      if (!directory) continue;
      const candidate = join2(directory, bin);
      if (existsSync2(candidate) && sameFile(candidate, script)) return bin;
    }
    const path = relative(cwd, script);
    const shown = path.startsWith("..") || path === "" ? script : `.${sep}${path}`;
    return /\.(ts|mts|cts)$/.test(script) ? `node --import tsx ${shown}` : shown.endsWith(".js") ? `node ${shown}` : shown;
  }
  return bin;
}

// src/cli-main.ts
function runCli(argv, io) {
  const cwd = io.cwd ?? process.cwd();
  const started = invocation({ env: io.env, script: io.script, cwd });
  const args = argv[0] === "version" ? ["--version", ...argv.slice(1)] : argv;
  const program = createBulkProgram(
    { stdout: io.stdout, stderr: io.stderr, env: io.env, cwd },
    {
      send: (flags, command) => sendCampaign(args, flags, command, {
        stdout: io.stdout,
        stderr: io.stderr,
        env: io.env,
        invocation: started,
        ...io.onInterrupt ? { onInterrupt: io.onInterrupt } : {}
      }),
      async status(flags, _command, campaign) {
        try {
          io.stdout.write(`${statusCommand2(statusOptionsFrom(flags, campaign), started)}
`);
          return exitCodes.sent;
        } catch (error) {
          if (!MailtrapError3.isInstance(error)) throw error;
          io.stderr.write(`mailtrap-bulk: ${error.message}
`);
          return exitCodes.badInput;
        }
      }
    },
    io.version
  );
  return runProgram(program, args);
}

// src/cli.ts
runCli(process.argv.slice(2), {
  ...processIo(),
  stdout: process.stdout,
  stderr: process.stderr,
  script: process.argv[1],
  onInterrupt(handler) {
    process.on("SIGINT", handler);
    process.on("SIGTERM", handler);
    return () => {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    };
  }
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`mailtrap-bulk: unexpected error: ${error?.stack ?? String(error)}
`);
    process.exitCode = 70;
  }
);
//# sourceMappingURL=cli.js.map