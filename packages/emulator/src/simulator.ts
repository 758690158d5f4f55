/**
 * Recipients at simulator.mailtrap-kit.test choose what happens to a message, the way the SES
 * mailbox simulator and Resend's test addresses do: `bounced@`, `bounced+42@`, … Any other
 * recipient is delivered.
 */
import type { EventInput } from './message-events';

export const SIMULATOR_DOMAIN = 'simulator.mailtrap-kit.test';

const OUTCOMES: Record<string, Array<EventInput['type']>> = {
  delivered: ['delivery'],
  bounced: ['bounce'],
  'soft-bounced': ['soft_bounce'],
  complained: ['delivery', 'spam'],
  rejected: ['reject'],
  unsubscribed: ['delivery', 'unsubscribe'],
  opened: ['delivery', 'open'],
  clicked: ['delivery', 'open', 'click'],
};

export const SIMULATOR_ADDRESSES = Object.keys(OUTCOMES);

const AT_FROM_END = SIMULATOR_DOMAIN.length + 1;

/** The events a simulator address asks for, or undefined for any other address. */
export function simulatedEvents(email: string): Array<EventInput['type']> | undefined {
  // called for every recipient of every message: most are no simulator address, seen at one char
  if (email.charCodeAt(email.length - AT_FROM_END) !== 64) return undefined;
  const at = email.length - AT_FROM_END;
  if (email.slice(at + 1).toLowerCase() !== SIMULATOR_DOMAIN) return undefined;
  const local = email.slice(0, at).toLowerCase();
  const plus = local.indexOf('+');
  return OUTCOMES[plus < 0 ? local : local.slice(0, plus)];
}

/** The first link of an HTML body: where a simulated click goes. */
export function firstLink(html: string | undefined): string | undefined {
  if (!html) return undefined;
  return /<a\s[^>]*href\s*=\s*["'](https?:\/\/[^"']+)["']/i.exec(html)?.[1];
}
