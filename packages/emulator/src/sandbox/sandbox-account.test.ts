import { describe, expect, it } from 'vitest';
import { storedMessage } from '../test-messages';
import { SandboxAccount } from './sandbox-account';

const body = { from: { email: 'a@example.com' }, to: [{ email: 'b@example.org' }], subject: 's', text: 't' };

describe('SandboxAccount', () => {
  it('keeps at most `retain` captured messages, dropping the oldest', () => {
    const account = new SandboxAccount({ retain: 3, retainBytes: 1e9, emailDomain: 'inbox.test' });
    const ids = [1, 2, 3, 4, 5].map((n) => account.capture(storedMessage({ ...body, subject: `m${n}` }))!.id);
    expect(account.messages(1).map((captured) => captured.id)).toEqual(ids.slice(2).reverse());
    expect(account.counts(1)).toEqual({ emails: 3, unread: 3 });
  });

  it('keeps at most `retainBytes` of bodies and attachments, dropping the oldest (the newest stays)', () => {
    const account = new SandboxAccount({ retain: 100, retainBytes: 2500, emailDomain: 'inbox.test' });
    const kilobyte = Buffer.alloc(1000, 97).toString('base64');
    const ids = [1, 2, 3].map(
      (n) =>
        account.capture(
          storedMessage({ ...body, text: `m${n}`, attachments: [{ filename: 'a.bin', content: kilobyte }] }),
        )!.id,
    );
    expect(account.messages(1).map((captured) => captured.id)).toEqual([ids[2], ids[1]]);
    const huge = Buffer.alloc(5000, 97).toString('base64');
    const big = account.capture(
      storedMessage({ ...body, attachments: [{ filename: 'b.bin', content: huge }] }),
    )!;
    expect(account.messages(1).map((captured) => captured.id)).toEqual([big.id]);
  });

  it('gives attachments ids of their own, in the order of the message', () => {
    const account = new SandboxAccount({ retain: 10, retainBytes: 1e9, emailDomain: 'inbox.test' });
    const attachments = [
      { filename: 'a.txt', content: 'YQ==' },
      { filename: 'b.txt', content: 'Yg==' },
    ];
    const first = account.capture(storedMessage({ ...body, attachments }))!;
    const second = account.capture(storedMessage({ ...body, attachments }))!;
    expect(first.attachmentIds).toHaveLength(2);
    expect(new Set([...first.attachmentIds, ...second.attachmentIds]).size).toBe(4);
  });

  it('finds a sandbox by its SMTP credentials, and no longer after a reset of them', () => {
    const account = new SandboxAccount({
      sandboxIds: [5],
      retain: 10,
      retainBytes: 1e9,
      emailDomain: 'inbox.test',
    });
    const sandbox = account.sandbox(5)!;
    const { username, password } = sandbox;
    expect(account.byCredentials(username, password)).toBe(sandbox);
    account.resetCredentials(5);
    expect(account.byCredentials(username, password)).toBeUndefined();
    expect(account.byCredentials(sandbox.username, sandbox.password)).toBe(sandbox);
  });

  it('refuses ids that are not positive integers', () => {
    const account = new SandboxAccount({ retain: 10, retainBytes: 1e9, emailDomain: 'inbox.test' });
    expect([0, -1, 1.5, Number.NaN].map((id) => account.accepts(id))).toEqual([false, false, false, false]);
    expect(account.accepts(99)).toBe(true);
  });
});
