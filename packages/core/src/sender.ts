import type { BatchBase, BatchMessage, SendMail } from './types';

function domainOf(mail: { from?: { email?: unknown } } | undefined): string | undefined {
  const email = mail?.from?.email;
  if (typeof email !== 'string') return undefined;
  const at = email.lastIndexOf('@');
  return at === -1 ? undefined : email.slice(at + 1).toLowerCase();
}

/**
 * The distinct sender domains of a send or a batch (base and each request), to explain a 401 from
 * the sending hosts. At most a few are listed. @internal
 */
export function senderDomains(
  mail: SendMail | BatchBase | undefined,
  requests?: readonly BatchMessage[],
): string[] {
  const domains = new Set<string>();
  const first = domainOf(mail);
  if (first) domains.add(first);
  if (requests) {
    for (const request of requests) {
      const domain = domainOf(request);
      if (domain) domains.add(domain);
      if (domains.size >= 5) break;
    }
  }
  return [...domains];
}
