import type { IncomingMessage, ServerResponse } from 'node:http';

/** The inbox's live updates: Server-Sent Events to every open page. */
export class EventHub {
  private readonly clients = new Set<ServerResponse>();

  get listening(): boolean {
    return this.clients.size > 0;
  }

  /** Sends `event` with `data` (JSON) to every open page; `data` is built only when someone listens. */
  publish(event: string, data: () => unknown): void {
    if (this.clients.size === 0) return;
    const payload = `event: ${event}\ndata: ${JSON.stringify(data())}\n\n`;
    for (const client of this.clients) client.write(payload);
  }

  /** GET /_emulator/events: keeps the response open as an event stream. */
  open(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    response.write('retry: 2000\n\n');
    this.clients.add(response);
    request.on('close', () => this.clients.delete(response));
  }

  close(): void {
    for (const client of this.clients) client.end();
    this.clients.clear();
  }
}
