import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** The repository's one copy of Mailtrap's OpenAPI specs (see openapi/NOTICE.md). */
export const specFolder = fileURLToPath(new URL('../../../openapi/', import.meta.url));

/** The host a spec's operations are served on, named like core's `endpoints` keys. */
export type SpecHost = 'send' | 'bulk' | 'sandbox' | 'general';

export interface LoadedSpec {
  /** The file name without `.openapi.yml`, e.g. `email-sending`. */
  name: string;
  file: string;
  host: SpecHost;
  /** The parsed vendor document, unchanged. Treat it as read-only. */
  document: Record<string, any>;
}

const hostOf: Record<string, SpecHost> = {
  'https://send.api.mailtrap.io': 'send',
  'https://bulk.api.mailtrap.io': 'bulk',
  'https://sandbox.api.mailtrap.io': 'sandbox',
  'https://mailtrap.io': 'general',
};

let cache: LoadedSpec[] | undefined;

/** The nine specs, parsed once per process, in file-name order. */
export function loadSpecs(): readonly LoadedSpec[] {
  if (cache) return cache;
  cache = readdirSync(specFolder)
    .filter((file) => file.endsWith('.openapi.yml'))
    .sort()
    .map((file) => {
      const document = parse(readFileSync(`${specFolder}${file}`, 'utf8')) as Record<string, any>;
      const server = document.servers?.[0]?.url as string | undefined;
      const host = server ? hostOf[server.replace(/\/$/, '')] : undefined;
      if (!host) throw new Error(`openapi/${file}: unknown server ${JSON.stringify(server)}`);
      return { name: file.replace(/\.openapi\.yml$/, ''), file, host, document };
    });
  return cache;
}

/** Follows a local `$ref` chain (`#/components/...`) inside one document. */
export function resolveRef<T = any>(document: Record<string, any>, node: T): T {
  let current: any = node;
  for (let hops = 0; current && typeof current === 'object' && typeof current.$ref === 'string'; hops++) {
    if (hops > 20) throw new Error(`$ref cycle at ${current.$ref}`);
    current = pointer(document, current.$ref);
  }
  return current;
}

/** The node a `#/a/b~1c` JSON Pointer names in the document (undefined when it names nothing). */
export function pointer(document: Record<string, any>, ref: string): any {
  if (!ref.startsWith('#')) throw new Error(`only local references are supported: ${ref}`);
  return ref
    .slice(1)
    .split('/')
    .filter((part) => part !== '')
    .reduce<any>((node, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], document);
}

/** JSON Pointer escaping of one path segment. */
export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
