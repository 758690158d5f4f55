// Nodemailer's own helpers, loaded from the installed peer. The `lib/<name>/index.js` paths exist
// in Nodemailer 9 (CommonJS files, no `exports` map) and in Nodemailer 10 (its `./lib/*.js`
// export maps to the ESM or CJS build), so one specifier serves both majors and both formats.
import * as addressparserModule from 'nodemailer/lib/addressparser/index.js';
import * as mimeFuncsModule from 'nodemailer/lib/mime-funcs/index.js';
import * as sharedModule from 'nodemailer/lib/shared/index.js';

interface MimeFuncs {
  detectMimeType(filename: string): string;
  detectExtension(mimeType: string | false | undefined): string;
}

export interface ParsedDataUri {
  data: Buffer;
  contentType: string;
}

interface SharedHelpers {
  parseDataURI(uri: string): ParsedDataUri | null;
}

/** One entry of Nodemailer's address parser: an address, or a group of them. */
export interface ParsedAddress {
  address?: string;
  name?: string;
  group?: ParsedAddress[];
}

// A CommonJS module imported from ESM shows its exports under `default`.
function unwrap<T>(namespace: unknown, probe: string): T {
  const value = namespace as Record<string, unknown> & { default?: Record<string, unknown> };
  return (typeof value[probe] === 'function' ? value : value.default) as T;
}

export const mimeFuncs: MimeFuncs = unwrap<MimeFuncs>(mimeFuncsModule, 'detectMimeType');
export const sharedHelpers: SharedHelpers = unwrap<SharedHelpers>(sharedModule, 'parseDataURI');

type AddressParser = (text: string) => ParsedAddress[];
const addressparserExports = addressparserModule as unknown as { default?: unknown };
/** Nodemailer's own address parser (the one its MimeNode uses). */
export const addressparser: AddressParser = (
  typeof addressparserExports === 'function'
    ? addressparserExports
    : typeof addressparserExports.default === 'function'
      ? addressparserExports.default
      : (addressparserExports.default as { default: unknown }).default
) as AddressParser;
