// The official `mailtrap` package (pinned in package.json), pointed at a local server.
// Its hosts are constants read once when its client module loads, so the constants are
// replaced before the package is first required; nothing else about it is changed.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export interface OfficialModule {
  MailtrapClient: new (
    options: Record<string, unknown>,
  ) => {
    send(mail: unknown): Promise<unknown>;
    batchSend(request: unknown): Promise<unknown>;
  };
  MailtrapTransport: (options: Record<string, unknown>) => unknown;
}

let loadedFor: string | undefined;

export function loadOfficial(baseUrl: string): OfficialModule {
  const packageDirectory = dirname(require.resolve('mailtrap/package.json'));
  const config = require(join(packageDirectory, 'dist', 'config', 'index.js')).default;
  if (loadedFor !== undefined && loadedFor !== baseUrl) {
    throw new Error('the official client can be pointed at one server per process');
  }
  loadedFor = baseUrl;
  config.CLIENT_SETTINGS.SENDING_ENDPOINT = baseUrl;
  config.CLIENT_SETTINGS.BULK_ENDPOINT = baseUrl;
  config.CLIENT_SETTINGS.TESTING_ENDPOINT = baseUrl;
  config.CLIENT_SETTINGS.GENERAL_ENDPOINT = baseUrl;
  return require('mailtrap') as OfficialModule;
}

export function officialVersion(): string {
  return require('mailtrap/package.json').version as string;
}
