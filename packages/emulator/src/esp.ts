/**
 * The mailbox provider of a recipient, for the `email_service_provider` and `recipient_mx` of
 * delivery events and the stats by provider: the providers of the stats filter of the spec, by
 * their best-known consumer domains. Any other domain is 'Other' with the MX `mx.<domain>`.
 */
export interface Provider {
  name: string;
  mx: string;
}

const PROVIDERS: Array<[RegExp, string, (domain: string) => string]> = [
  [/^(gmail|googlemail)\.com$/, 'Google', () => 'gmail-smtp-in.l.google.com'],
  [/^(yahoo\.[a-z.]+|ymail\.com|rocketmail\.com)$/, 'Yahoo', () => 'mta5.am0.yahoodns.net'],
  [
    /^(outlook|hotmail|live|msn)\.[a-z.]+$/,
    'Outlook',
    (domain) => `${domain.replace(/\./g, '-')}.olc.protection.outlook.com`,
  ],
  [/^(icloud|me|mac)\.com$/, 'iCloud', () => 'mx01.mail.icloud.com'],
  [/^hey\.com$/, 'Hey', () => 'work-mx.app.hey.com'],
  [/^zoho(mail)?\.[a-z.]+$/, 'Zoho Email', () => 'mx.zoho.com'],
  [/^(protonmail\.com|proton\.me|pm\.me)$/, 'ProtonMail', () => 'mail.protonmail.ch'],
  [/^yandex\.[a-z.]+$/, 'Yandex', () => 'mx.yandex.net'],
  [/^gmx\.[a-z.]+$/, 'GMX.net', () => 'mx00.gmx.net'],
  [/^fastmail\.(com|fm)$/, 'FastMail', () => 'in1-smtp.messagingengine.com'],
  [/^naver\.com$/, 'Naver', () => 'mx1.naver.com'],
  [/^(seznam|email)\.cz$/, 'Seznam', () => 'mx1.seznam.cz'],
  [/^comcast\.net$/, 'Comcast', () => 'mx1a1.comcast.net'],
];

const cache = new Map<string, Provider>();

export function providerOf(email: string): Provider {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  let found = cache.get(domain);
  if (found) return found;
  found = { name: 'Other', mx: `mx.${domain}` };
  for (const [pattern, name, mx] of PROVIDERS) {
    if (pattern.test(domain)) {
      found = { name, mx: mx(domain) };
      break;
    }
  }
  if (cache.size < 10_000) cache.set(domain, found);
  return found;
}

/** The address the emulator "sends" from in event details (it sends nothing: its own loopback). */
export const SENDING_IP = '127.0.0.1';
