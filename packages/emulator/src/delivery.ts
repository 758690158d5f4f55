/**
 * What happens to each recipient of an accepted message: not sent when suppressed, the
 * simulator's outcome for simulator addresses, else delivered; and every event added later
 * (control calls). Each event updates the entry, adds the suppression Mailtrap adds (hard bounce,
 * spam complaint, unsubscribe) and goes to the listeners (webhooks, the inbox).
 */
import { buildEvent, type EventInput, keptEvents, type LogEvent } from './message-events';
import { firstLink, simulatedEvents } from './simulator';
import type { Store, LogItem } from './store';
import type { SuppressionStore, SuppressionType } from './suppressions';
import type { StoredMessage } from './types';

export type EventListener = (item: LogItem, event: LogEvent) => void;

const SUPPRESSED_BY: Partial<Record<LogEvent['event_type'], SuppressionType>> = {
  bounce: 'hard bounce',
  spam: 'spam complaint',
  unsubscribe: 'unsubscription',
};

function senderDomain(item: LogItem): string {
  const from = item.message.from;
  return from.slice(from.lastIndexOf('@') + 1).toLowerCase();
}

export class Delivery {
  private readonly listeners = new Set<EventListener>();
  /** Whether a listener wants every delivery event, including those of plain messages. */
  wantsEveryEvent: () => boolean = () => false;

  constructor(
    private readonly store: Store,
    private readonly suppressions: SuppressionStore,
  ) {}

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Decides the fate of each recipient of a message just stored (sending streams only). */
  accepted(message: StoredMessage): void {
    if (message.stream === 'sandbox') return;
    const every = this.wantsEveryEvent();
    const checkSuppressions = this.suppressions.size > 0;
    let index = 0;
    for (const list of [message.to, message.cc, message.bcc]) {
      for (const address of list) {
        const id = message.messageIds[index++]!;
        const simulated = simulatedEvents(address.email);
        if (!simulated && !checkSuppressions && !every) continue;
        const item = this.store.logsById.get(id);
        if (!item) continue;
        if (
          checkSuppressions &&
          this.suppressions.suppresses(item.to, item.message.stream, senderDomain(item))
        ) {
          item.suppressed = true;
          item.events = [];
        } else if (simulated) {
          item.events = [];
          const url = firstLink(message.rendered?.html ?? message.html);
          for (const type of simulated) this.add(item, { type, url: type === 'click' ? url : undefined });
        } else {
          for (const event of keptEvents(item)) this.publish(item, event);
        }
      }
    }
  }

  /** Adds an event to the entry with this message id; undefined when no such entry is kept. */
  addEvent(messageId: string, input: EventInput): LogEvent | undefined {
    const item = this.store.logsById.get(messageId);
    if (!item) return undefined;
    keptEvents(item);
    return this.add(item, input);
  }

  private add(item: LogItem, input: EventInput): LogEvent {
    const event = buildEvent(item.to, input);
    item.events!.push(event);
    const type = SUPPRESSED_BY[event.event_type];
    if (type && !this.suppressions.suppresses(item.to, item.message.stream, senderDomain(item))) {
      this.suppressions.add({
        email: item.to,
        type,
        sending_stream: item.message.stream,
        domain_name: senderDomain(item),
        from: item,
        details: event.details,
      });
    }
    this.publish(item, event);
    return event;
  }

  private publish(item: LogItem, event: LogEvent): void {
    for (const listener of this.listeners) listener(item, event);
  }
}
