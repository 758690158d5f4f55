import { describe, expect, it } from 'vitest';
import { transportFailure } from './failure';
import { createFetchTransport } from './fetch-transport';
import { AttemptError } from './transport';

// How other runtimes' fetch fails to connect, as they word it (recorded from Deno 2 and Bun 1.x;
// workerd gives no detail). The real runtimes run the same build in the smoke suites; here the
// mapping of each shape is pinned.
const request = { origin: 'http://127.0.0.1:1', path: '/api/send', method: 'POST', headers: {}, body: '{}' };
const attempt = {
  where: 'POST http://127.0.0.1:1/api/send',
  idempotent: false,
  signal: undefined,
  streamError: undefined,
  totalBound: false,
  timeoutMs: 30_000,
  totalTimeoutMs: 120_000,
};

function failingWith(error: unknown) {
  return createFetchTransport(() => Promise.reject(error));
}

async function failure(error: unknown) {
  const caught = await failingWith(error)
    .dispatch(request, 1_000, undefined)
    .catch((rejected: unknown) => rejected);
  expect(caught).toBeInstanceOf(AttemptError);
  return transportFailure(caught, attempt);
}

describe('fetch failures', () => {
  it("takes Deno's connect errors (refused, DNS) as not sent, and retryable", async () => {
    for (const inner of [
      'error sending request for url (http://127.0.0.1:1/api/send): client error (Connect): tcp connect error: Connection refused (os error 111)',
      'error sending request for url (https://no-such-host.invalid/api/send): client error (Connect): dns error: failed to lookup address information: Name or service not known',
    ]) {
      const error = await failure(new TypeError('fetch failed', { cause: new Error(inner) }));
      expect(error).toMatchObject({ code: 'network', maybeSent: false, retryable: true });
      expect(error.message).toMatch(
        /^Could not connect for POST http:\/\/127\.0\.0\.1:1\/api\/send \(.*client error \(Connect\).*\); nothing was sent$/,
      );
    }
  });

  it("takes Bun's and Node's coded errors by their code", async () => {
    const refused = Object.assign(new TypeError('ECONNREFUSED: Unable to connect.'), {
      code: 'ECONNREFUSED',
    });
    expect(await failure(refused)).toMatchObject({ code: 'network', maybeSent: false, retryable: true });
    const nodeShape = new TypeError('fetch failed', {
      cause: Object.assign(new Error('getaddrinfo ENOTFOUND x.invalid'), { code: 'ENOTFOUND' }),
    });
    expect(await failure(nodeShape)).toMatchObject({ maybeSent: false, retryable: true });
  });

  it("takes Deno's refused net permission (NotCapable, --allow-net without the host) as not sent, not retryable, saying what to allow", async () => {
    // As Deno 2.9 throws it from fetch under `--allow-net=send.api.mailtrap.io`: class and name
    // NotCapable (Deno.errors.NotCapable), no `code`, not a TypeError. Before Deno 2: PermissionDenied.
    class NotCapable extends Error {
      override name = 'NotCapable';
    }
    class PermissionDenied extends Error {
      override name = 'PermissionDenied';
    }
    for (const denied of [
      new NotCapable('Requires net access to "127.0.0.1:4025", run again with the --allow-net flag'),
      new PermissionDenied('Requires net access to "127.0.0.1:4025", run again with the --allow-net flag'),
    ]) {
      const error = await failure(denied);
      expect(error).toMatchObject({
        name: 'MailtrapConfigurationError',
        code: 'configuration',
        maybeSent: false,
        retryable: false,
        cause: denied,
      });
      expect(error.message).toBe(
        'The runtime refused net access to 127.0.0.1:4025 for POST http://127.0.0.1:1/api/send; nothing was sent. Allow the host: run Deno with --allow-net=127.0.0.1:4025 (beside the other hosts it may reach)',
      );
    }
  });

  it('takes a permission error about something other than the network as any other failure', async () => {
    class NotCapable extends Error {
      override name = 'NotCapable';
    }
    const error = await failure(
      new NotCapable('Requires env access to "X", run again with the --allow-env flag'),
    );
    expect(error).toMatchObject({ code: 'network', maybeSent: true, retryable: false });
  });

  it('takes a failure without detail as maybe sent: a send is not retried', async () => {
    const error = await failure(new Error('Network connection lost.'));
    expect(error).toMatchObject({ code: 'network', maybeSent: true, retryable: false });
    expect(error.message).toMatch(/Network connection lost\..*may have been accepted/);
  });

  it('reports a timeout of the attempt as a timeout, maybe sent', async () => {
    const hanging = createFetchTransport(
      (_input, init) =>
        new Promise((_resolve, reject) =>
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
        ),
    );
    const caught = await hanging.dispatch(request, 20, undefined).catch((rejected: unknown) => rejected);
    expect(caught).toMatchObject({ cancelled: 'timeout', started: true });
    expect(transportFailure(caught, attempt)).toMatchObject({
      code: 'timeout',
      maybeSent: true,
      retryable: false,
    });
  });

  it("rejects at once with the caller's reason when the signal is already aborted, sending nothing", async () => {
    let called = false;
    const transport = createFetchTransport(() => {
      called = true;
      return Promise.resolve(new Response('{}'));
    });
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    const caught = await transport
      .dispatch(request, 1_000, controller.signal)
      .catch((rejected: unknown) => rejected);
    expect(caught).toMatchObject({ cancelled: 'aborted', started: false });
    expect(called).toBe(false);
  });
});
