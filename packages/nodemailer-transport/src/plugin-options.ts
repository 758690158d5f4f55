// Options that a Nodemailer plugin consumed before the transport runs (nodemailer-express-handlebars'
// `template` and `context`, a NestJS template adapter's, ...) are the plugin's, not typos. Which
// ones they are is observed, not configured: the transport registers the first compile plugin of
// its Nodemailer instance, and when other plugins follow, it records every key of `mail.data` read
// from then until the transport receives the message. Nodemailer itself reads only the options it
// knows, so an unknown option read in that time was read by a plugin; one nobody read is refused.

import type { NodemailerMailMessage } from './mapping';
import { setUnsentParts } from './unsent-parts';

type PluginCallback = (error?: Error | null) => void;
type Plugin = (mail: NodemailerMailMessage, callback: PluginCallback) => void;

/** The parts of Nodemailer's `Mail` (the object `createTransport` returns) the transport uses. */
export interface NodemailerMailer {
  use?(step: string, plugin: Plugin): unknown;
  /** The second argument of `createTransport`: the message defaults. */
  _defaults?: Record<string, unknown>;
  _userPlugins?: Record<string, unknown[] | undefined>;
}

interface Watched {
  data: Record<string, unknown>;
  read: Set<string>;
}

const watched = new WeakMap<object, Watched>();

function otherPlugins(mailer: NodemailerMailer | undefined): boolean {
  const plugins = mailer?._userPlugins;
  // Unknown internals: watch, to be safe.
  if (!plugins || !Array.isArray(plugins.compile)) return true;
  return plugins.compile.length > 1 || (plugins.stream?.length ?? 0) > 0;
}

function compilePlugin(mailer: NodemailerMailer): Plugin {
  return (mail, callback) => {
    setUnsentParts(mail.data as Record<string, unknown>);
    if (otherPlugins(mailer)) {
      const data = mail.data as Record<string, unknown>;
      const read = new Set<string>();
      mail.data = new Proxy(data, {
        get(target, key, receiver) {
          if (typeof key === 'string') read.add(key);
          return Reflect.get(target, key, receiver);
        },
      });
      watched.set(mail, { data, read });
    }
    callback();
  };
}

/**
 * Registers the transport's compile plugin on the Nodemailer instance that created it: it sets
 * the stand-ins of unsent-parts.ts, then watches the plugins that follow.
 */
export function registerCompilePlugin(mailer: NodemailerMailer): void {
  if (typeof mailer?.use === 'function') mailer.use('compile', compilePlugin(mailer));
}

/**
 * Stops watching `mail` and returns the options plugins read (undefined when no plugin ran).
 * `mail.data` is the plain object again afterwards.
 */
export function takePluginReads(mail: NodemailerMailMessage): ReadonlySet<string> | undefined {
  const entry = watched.get(mail);
  if (!entry) return undefined;
  watched.delete(mail);
  mail.data = entry.data;
  return entry.read;
}
