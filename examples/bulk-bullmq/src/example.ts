import { createBulkQueue, createBulkWorker } from '@mailtrap-kit/bulk-bullmq';

export interface ExampleOptions {
  token: string;
  /** Base URLs of a Mailtrap-compatible API (the emulator); omit them to send through Mailtrap. */
  endpoints?: { bulk?: string; general?: string };
  from: { email: string; name?: string };
  /** Each generated recipient is a plus address of this one (ada+00001@example.org). */
  to: { email: string };
  /** Where Redis is, e.g. redis://127.0.0.1:6379. */
  redisUrl: string;
  /** How many recipients the campaign has. Default 5,000. */
  recipients?: number;
  log?: (line: string) => void;
}

export interface ExampleResult {
  sent: number;
  failed: number;
}

/** Kept apart from any other BullMQ queue on the same Redis. */
const queueName = 'mailtrap-kit-example';

/** A campaign produced into Redis and sent by two workers sharing one rate limit. */
export async function run(options: ExampleOptions): Promise<ExampleResult> {
  const { token, endpoints, from, redisUrl, log = console.log } = options;
  const count = options.recipients ?? 5_000;

  // Workers: usually one per process, on as many machines as you like, all with these settings.
  const workers = [1, 2].map(() =>
    createBulkWorker({ connection: redisUrl, queueName, client: { token, endpoints }, concurrency: 2 }),
  );

  // The producer streams the list into chunk jobs of 500 recipients (one batch request each).
  const bulk = createBulkQueue({ connection: redisUrl, queueName });
  try {
    const campaign = `example-${Date.now().toString(36)}`; // a fixed id makes a re-run resume instead
    const produced = await bulk.produce({
      campaign,
      base: {
        from,
        subject: 'Our spring collection is here',
        html: '<h1>Spring is here</h1><p>Twenty new pieces, in store and online.</p>',
        text: 'Spring is here: twenty new pieces, in store and online.',
        category: 'spring-campaign',
      },
      recipients: recipientsFor(options.to.email, count),
    });
    log(`produced ${produced.recipients} recipients in ${produced.chunks} chunks (campaign ${campaign})`);

    const status = await bulk.waitUntilFinished(campaign, { pollMs: 200 });
    const { sent, failed, uncertain } = status.recipients;
    log(`finished: ${sent} sent, ${failed} failed, ${uncertain} uncertain`);
    for await (const result of bulk.results(campaign)) {
      if (result.state !== 'sent') log(`  ${result.email}: ${result.state} ${result.error ?? ''}`);
    }
    await bulk.remove(campaign); // its state and results leave Redis (keep them as long as you need them)
    return { sent, failed: failed + uncertain };
  } finally {
    await bulk.close();
    await Promise.all(workers.map((worker) => worker.close()));
  }
}

/** Stands in for a database cursor: recipients generated one at a time. */
async function* recipientsFor(address: string, count: number) {
  const at = address.lastIndexOf('@');
  for (let index = 1; index <= count; index += 1) {
    const tag = String(index).padStart(5, '0');
    yield { email: `${address.slice(0, at)}+${tag}${address.slice(at)}`, name: `Customer ${index}` };
  }
}
