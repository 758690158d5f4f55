import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import {
  action,
  type CliIo,
  CliUsageError,
  type Command,
  collect,
  integerParser,
  Option,
  parseAddress,
  streamOption,
  withExamples,
  writeJson,
} from '@mailtrap-kit/cli-kit';
import type { Address, MailtrapStream, SendMail } from '@mailtrap-kit/core';
import { openSession } from '../session';
import { accountCommand, type Flags } from './shared';

interface SendFlags extends Flags {
  message?: string;
  from?: Address;
  to?: Address[];
  cc?: Address[];
  bcc?: Address[];
  replyTo?: Address;
  subject?: string;
  text?: string;
  html?: string;
  attach?: string[];
  templateUuid?: string;
  variables?: string;
  category?: string;
  customVariable?: string[];
  header?: string[];
  stream: MailtrapStream;
  sandboxId?: number;
}

async function readText(io: CliIo, path: string, option: string): Promise<string> {
  try {
    return await readFile(resolve(io.cwd, path), 'utf8');
  } catch (error) {
    throw new CliUsageError(
      `${option} takes a file: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      {
        option,
        cause: error,
      },
    );
  }
}

async function readJsonObject(io: CliIo, value: string, option: string): Promise<Record<string, unknown>> {
  const text = value.startsWith('@') ? await readText(io, value.slice(1), option) : value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`${option}: not valid JSON (${(error as Error).message})`, {
      option,
      cause: error,
    });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new CliUsageError(`${option}: expected a JSON object`, { option });
  return parsed as Record<string, unknown>;
}

function pairs(
  values: string[] | undefined,
  separator: RegExp,
  option: string,
): Record<string, string> | undefined {
  if (!values?.length) return undefined;
  const out: Record<string, string> = {};
  for (const value of values) {
    const match = separator.exec(value);
    if (!match || match.index === 0)
      throw new CliUsageError(
        `${option}: expected ${option === '--header' ? '"Name: value"' : 'key=value'} (got ${JSON.stringify(value)})`,
        { option },
      );
    out[value.slice(0, match.index).trim()] = value.slice(match.index + match[0].length);
  }
  return out;
}

/** The message of the command line: `--message` (the API's JSON shape) with every flag over it. */
export async function messageFromFlags(io: CliIo, flags: SendFlags): Promise<SendMail> {
  const base = flags.message ? await readJsonObject(io, `@${flags.message}`, '--message') : {};
  const mail = { ...base } as unknown as SendMail;
  if (flags.from) mail.from = flags.from;
  if (flags.to) mail.to = flags.to;
  if (flags.cc) mail.cc = flags.cc;
  if (flags.bcc) mail.bcc = flags.bcc;
  if (flags.replyTo) mail.reply_to = flags.replyTo;
  if (flags.subject !== undefined) mail.subject = flags.subject;
  if (flags.text) mail.text = await readText(io, flags.text, '--text');
  if (flags.html) mail.html = await readText(io, flags.html, '--html');
  if (flags.attach?.length) {
    mail.attachments = [
      ...(mail.attachments ?? []),
      ...flags.attach.map((path) => ({ filename: basename(path), path: resolve(io.cwd, path) })),
    ];
  }
  if (flags.templateUuid) mail.template_uuid = flags.templateUuid;
  if (flags.variables) mail.template_variables = await readJsonObject(io, flags.variables, '--variables');
  if (flags.category) mail.category = flags.category;
  const custom = pairs(flags.customVariable, /=/, '--custom-variable');
  if (custom) mail.custom_variables = { ...mail.custom_variables, ...custom };
  const headers = pairs(flags.header, /:\s*/, '--header');
  if (headers) mail.headers = { ...mail.headers, ...headers };
  if (!mail.from)
    throw new CliUsageError('--from <address> is required (or "from" in --message)', { option: '--from' });
  if (!mail.to?.length && !mail.cc?.length && !mail.bcc?.length)
    throw new CliUsageError('--to <address> is required (or --cc/--bcc, or "to" in --message)', {
      option: '--to',
    });
  return mail;
}

/** `mailtrap-kit send`. */
export function registerSend(program: Command, io: CliIo): void {
  const address = collect(parseAddress);
  withExamples(
    accountCommand(program, 'send', 'send one email from flags or a JSON file; prints the message ids')
      .addOption(
        new Option(
          '--message <file>',
          "a JSON file in the API's shape (from, to, subject, text, ...); flags override it",
        ),
      )
      .addOption(
        new Option('--from <address>', 'sender, "address" or "Name <address>"').argParser(parseAddress),
      )
      .addOption(new Option('--to <address>', 'recipient (repeatable)').argParser(address))
      .addOption(new Option('--cc <address>', 'copy recipient (repeatable)').argParser(address))
      .addOption(new Option('--bcc <address>', 'blind copy recipient (repeatable)').argParser(address))
      .addOption(new Option('--reply-to <address>', 'reply-to address').argParser(parseAddress))
      .addOption(new Option('--subject <text>', 'subject (not with --template-uuid)'))
      .addOption(new Option('--text <file>', 'plain-text body from a file'))
      .addOption(new Option('--html <file>', 'HTML body from a file'))
      .addOption(
        new Option('--attach <file>', 'attach a file (repeatable; streamed, not read into memory)').argParser(
          collect(String),
        ),
      )
      .addOption(new Option('--template-uuid <uuid>', 'send a template of the account'))
      .addOption(new Option('--variables <json>', 'template variables: a JSON object, or @file.json'))
      .addOption(new Option('--category <category>', 'category (stats and Email Logs group by it)'))
      .addOption(
        new Option(
          '--custom-variable <key=value>',
          'custom variable (repeatable; shown in Email Logs and webhooks)',
        ).argParser(collect(String)),
      )
      .addOption(
        new Option('--header <"Name: value">', 'extra header (repeatable)').argParser(collect(String)),
      )
      .addOption(streamOption('transactional', ['transactional', 'bulk', 'sandbox']))
      .addOption(
        new Option('--sandbox-id <id>', 'the sandbox (inbox) id of --stream sandbox').argParser(
          integerParser(1),
        ),
      )
      .action(
        action(async (flags: SendFlags, command) => {
          if (flags.stream === 'sandbox' && flags.sandboxId === undefined)
            throw new CliUsageError(
              '--stream sandbox needs --sandbox-id <id> (the sandbox to deliver into)',
              { option: '--sandbox-id' },
            );
          if (flags.sandboxId !== undefined && flags.stream !== 'sandbox')
            throw new CliUsageError('--sandbox-id is only for --stream sandbox', { option: '--sandbox-id' });
          const mail = await messageFromFlags(io, flags);
          const session = openSession(command, flags, {
            stream: flags.stream,
            ...(flags.sandboxId === undefined ? {} : { sandboxId: flags.sandboxId }),
          });
          try {
            const result = await session.client.send(mail);
            if (flags.json) return writeJson(io, { stream: flags.stream, message_ids: result.message_ids });
            const host =
              session.connection.endpoints[flags.stream === 'transactional' ? 'send' : flags.stream];
            io.stdout.write(`Sent on the ${flags.stream} stream via ${host}:\n`);
            for (const id of result.message_ids) io.stdout.write(`  ${id}\n`);
            io.stdout.write(`Follow it: mailtrap-kit logs ${result.message_ids[0]}\n`);
          } finally {
            await session.close();
          }
        }),
      ),
    'mailtrap-kit send --from "Shop <shop@example.com>" --to ada@example.org --subject Hi --text body.txt',
    'mailtrap-kit send --message welcome.json --to delivered@simulator.mailtrap-kit.test --endpoint http://127.0.0.1:4025',
  );
}
