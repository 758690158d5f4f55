import { CliUsageError } from './errors';

/** The variable every mailtrap-kit command reads the API token from. */
export const TOKEN_VARIABLE = 'MAILTRAP_API_TOKEN';

/** A token and where it came from (for messages; the token itself is never printed). */
export interface ResolvedToken {
  token: string;
  source: 'flag' | 'environment' | 'config';
  /** `--token`, `MAILTRAP_API_TOKEN` or the config file's path. */
  origin: string;
}

export interface TokenSources {
  flag?: string | undefined;
  env: Record<string, string | undefined>;
  config?: { path: string; token?: string | undefined };
}

/** The token from `--token`, else `MAILTRAP_API_TOKEN`, else the config file; undefined when none has one. */
export function findToken(sources: TokenSources): ResolvedToken | undefined {
  const flag = sources.flag?.trim();
  if (flag) return { token: flag, source: 'flag', origin: '--token' };
  const variable = sources.env[TOKEN_VARIABLE]?.trim();
  if (variable) return { token: variable, source: 'environment', origin: TOKEN_VARIABLE };
  const fromFile = sources.config?.token?.trim();
  if (fromFile) return { token: fromFile, source: 'config', origin: sources.config!.path };
  return undefined;
}

/** Where a token can be given, as one sentence for error messages and help. */
export function tokenHint(configPath?: string): string {
  return `Set ${TOKEN_VARIABLE}, pass --token <token>, or put {"token": "..."} in ${configPath ?? 'the config file'}`;
}

/** Like {@link findToken}, but a missing token is a usage error that says where to put one. */
export function requireToken(sources: TokenSources): ResolvedToken {
  const found = findToken(sources);
  if (!found) {
    throw new CliUsageError(`No API token. ${tokenHint(sources.config?.path)}.`, { option: '--token' });
  }
  return found;
}

/** A token as it may be shown: its last four characters, the rest hidden (as Mailtrap shows tokens). */
export function maskToken(token: string): string {
  return token.length <= 8 ? '********' : `********${token.slice(-4)}`;
}

/** `text` with every occurrence of the token masked: for any text that might echo it back. */
export function redactToken(text: string, token: string | undefined): string {
  if (!token || token.length < 4) return text;
  return text.split(token).join(maskToken(token));
}
