import { benchNodemailerMessage } from '../fixtures.js';
import {
  type BenchCase,
  type CaseContext,
  measureSubjects,
  ratio,
  type SubjectRunner,
  subject,
  target,
} from '../framework.js';
import { measureRun } from '../measure.js';
import { loadOfficial, officialVersion } from '../official.js';
import { importPackage } from '../packages.js';
import { type ServerProcess, startServerProcess } from '../processes.js';

const sizes = {
  full: {
    limit: { requests: 150, windowMs: 10_000 },
    measureMs: 20_000,
    oursSenders: 5_000,
    officialSenders: 50,
  },
  quick: {
    limit: { requests: 15, windowMs: 1_000 },
    measureMs: 8_000,
    oursSenders: 5_000,
    officialSenders: 50,
  },
  tiny: { limit: { requests: 15, windowMs: 1_000 }, measureMs: 1_500, oursSenders: 200, officialSenders: 10 },
};

interface RateLimitSettings {
  sendUrl: string;
  token: string;
  limit: { requests: number; windowMs: number };
  measureMs: number;
  senders: number;
  failureBackoffMs: number;
}

interface Transporter {
  sendMail(message: Record<string, unknown>): Promise<unknown>;
}

/**
 * `senders` loops, each calling sendMail one message after another for `measureMs`; a sender
 * whose send failed (the official transport gets 429s) waits `failureBackoffMs` before its next
 * message, as a polite application would. Delivered = sendMail calls that resolved in the window.
 */
async function deliverFor(settings: RateLimitSettings, transporter: Transporter) {
  let delivered = 0;
  let failed = 0;
  const run = await measureRun(0, async () => {
    const end = Date.now() + settings.measureMs;
    let stopped = false;
    const sender = async () => {
      while (!stopped) {
        try {
          await transporter.sendMail({ ...benchNodemailerMessage });
          if (Date.now() <= end) delivered++;
        } catch {
          if (Date.now() <= end) failed++;
          await new Promise((resolve) => setTimeout(resolve, settings.failureBackoffMs));
        }
      }
    };
    for (let index = 0; index < settings.senders; index++) void sender();
    await new Promise((resolve) => setTimeout(resolve, settings.measureMs));
    stopped = true;
    return undefined;
  });
  run.operations = Math.max(delivered, 1e-9);
  run.extra = {
    delivered,
    failedSends: failed,
    emailsPerSecond: delivered / (settings.measureMs / 1000),
    ceilingRequestsPerSecond: settings.limit.requests / (settings.limit.windowMs / 1000),
  };
  return [run];
}

export const subjects: Record<string, SubjectRunner> = {
  async ours(raw) {
    const settings = raw as unknown as RateLimitSettings;
    const nodemailer = await import('nodemailer');
    const { MailtrapTransport } = await importPackage('@mailtrap-kit/nodemailer-transport', [
      'MailtrapTransport',
    ]);
    const transporter = nodemailer.createTransport(
      MailtrapTransport({
        token: settings.token,
        endpoints: { send: settings.sendUrl },
        rateLimit: settings.limit,
        batching: true,
      }),
    ) as unknown as Transporter;
    return deliverFor(settings, transporter);
  },

  async official(raw) {
    const settings = raw as unknown as RateLimitSettings;
    const nodemailer = await import('nodemailer');
    const { MailtrapTransport } = loadOfficial(settings.sendUrl);
    const transporter = nodemailer.createTransport(
      MailtrapTransport({ token: settings.token }) as never,
    ) as unknown as Transporter;
    return deliverFor(settings, transporter);
  },
};

/** Emails per second as a percentage of the ceiling: the limit's requests per second, 500 messages each. */
function ceilingShare(
  emailsPerSecond: number | undefined,
  limit: { requests: number; windowMs: number },
): number | null {
  const ceiling = (limit.requests / (limit.windowMs / 1000)) * 500;
  return emailsPerSecond === undefined ? null : (100 * emailsPerSecond) / ceiling;
}

export const rateLimitCase: BenchCase = {
  id: 'rate-limit',
  title: 'nodemailer-transport: emails per second under the rate limit',
  async run(context: CaseContext) {
    const size = sizes[context.mode];
    const limitText = `${size.limit.requests} requests / ${size.limit.windowMs / 1000} s`;
    const results = [] as Awaited<ReturnType<typeof measureSubjects>>;
    // A fresh emulator (own process, the rate limit on) for each subject, so neither inherits
    // the other's rate-limit window.
    for (const entry of [
      { name: 'ours', label: '@mailtrap-kit/nodemailer-transport, batching on', senders: size.oursSenders },
      {
        name: 'official',
        label: `official mailtrap@${officialVersion()} MailtrapTransport`,
        senders: size.officialSenders,
      },
    ]) {
      let emulator: ServerProcess | undefined;
      try {
        emulator = await startServerProcess('emulator', {
          rateLimit: size.limit,
          retainBodies: 100,
          retainLogs: 1000,
          retainRequests: 1000,
        });
        const endpoints = emulator.info.endpoints as { send: string };
        const settings = {
          sendUrl: endpoints.send,
          token: emulator.info.token as string,
          limit: size.limit,
          measureMs: size.measureMs,
          senders: entry.senders,
          failureBackoffMs: 1000,
        };
        results.push(...(await measureSubjects(context, 'rate-limit', [{ ...entry, settings }], 1)));
      } catch (error) {
        results.push({
          name: entry.name,
          label: entry.label,
          runs: [],
          unavailable: (error as Error).message,
        });
      } finally {
        await emulator?.close();
      }
    }
    const ours = subject(results, 'ours');
    const official = subject(results, 'official');
    return {
      id: 'rate-limit',
      title: 'nodemailer-transport: emails per second under the rate limit',
      method:
        `The emulator (separate process) enforces ${limitText} per token (Mailtrap's real limit is 150 / 10 s: ` +
        `${size.limit.requests === 150 ? 'used as is' : 'same ceiling, scaled window'}). Each subject gets a fresh emulator and ` +
        `sends for ${size.measureMs / 1000} s from concurrent sendMail loops (ours: ${size.oursSenders}, official: ` +
        `${size.officialSenders}; both offer more than the limit lets through); a failed send waits 1 s before the sender's ` +
        'next message. Delivered = sendMail calls resolved within the window. One run each (the window is the repetition); no warm-up, ' +
        'so both start with the same full rate-limit window.',
      notes: [
        `Our transport: batching: true (defaults: up to 500 messages per /api/batch, 5 ms wait; a batch that is not full waits while an earlier one is in flight), core's client-side limiter set to ${limitText} (its memory store adds a 250 ms margin to each window).`,
        "The ceiling is the limit's requests per second times 500 messages (the most one batch request may carry).",
        'The official transport sends one request per message and has no rate limiting or retries: past the limit it gets 429 answers.',
        `Our ${size.oursSenders.toLocaleString('en-US')} senders fill every request slot of the transport (maxConcurrentRequests 10 x 500 messages), so the limit, not the emulator's time per batch, sets the pace; with 2,000 only 4 batches are ever in flight and a loaded machine's slower batches cap the rate below the limit.`,
      ],
      reference: 'ours',
      primary: {
        key: 'extra.emailsPerSecond',
        label: 'emails delivered per second',
        unit: '/s',
        lowerIsBetter: false,
      },
      secondary: { key: 'extra.delivered', label: 'delivered', unit: 'emails' },
      subjects: results,
      targets: [
        target(
          `emails per second, ours (batching) vs the ceiling (${limitText} x 500 messages)`,
          'min',
          97,
          '%',
          ceilingShare(ours?.extra.emailsPerSecond as number | undefined, size.limit),
        ),
        target(
          'emails per second, ours (batching) vs official',
          'min',
          100,
          'x',
          ratio(
            ours?.extra.emailsPerSecond as number | undefined,
            official?.extra.emailsPerSecond as number | undefined,
          ),
        ),
      ],
    };
  },
};
