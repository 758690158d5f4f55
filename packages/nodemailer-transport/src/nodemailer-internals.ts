// Nodemailer's own helpers, loaded from the installed peer. The `lib/<name>/index.js` paths exist
// in Nodemailer 9 (CommonJS files, no `exports` map) and in Nodemailer 10 (its `./lib/*.js`
// export maps to the ESM or CJS build), so one specifier serves both majors and both formats.
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

// A CommonJS module imported from ESM shows its exports under `default`.
function unwrap<T>(namespace: unknown, probe: string): T {
  const value = namespace as Record<string, unknown> & { default?: Record<string, unknown> };
  return (typeof value[probe] === 'function' ? value : value.default) as T;
}

export const mimeFuncs: MimeFuncs = unwrap<MimeFuncs>(mimeFuncsModule, 'detectMimeType');
export const sharedHelpers: SharedHelpers = unwrap<SharedHelpers>(sharedModule, 'parseDataURI');
