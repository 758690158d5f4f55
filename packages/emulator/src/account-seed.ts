import { randomBytes } from 'node:crypto';
import { DomainStore, isDomainName } from './domains';
import { ALL_STREAMS, TokenStore } from './tokens';
import type { EmulatorOptions, EmulatorTokenSettings } from './types';

const DEFAULT_DOMAINS = ['example.com', 'mailtrap-kit.test'];

/** The domains and tokens of the options: each domain with its own sending token. */
export function accountOf(options: EmulatorOptions): {
  domains: DomainStore;
  tokens: TokenStore;
  first: string;
} {
  const domains = new DomainStore();
  const tokens = new TokenStore();
  domains.onCreate = (domain) => {
    tokens.add({
      name: `${domain.domain_name} sending token`,
      streams: ['transactional', 'bulk'],
      domainIds: [domain.id],
      resources: [{ resource_type: 'domain', resource_id: domain.id, access_level: 100 }],
      createdBy: 'mailtrap-kit emulator',
    });
  };
  domains.onDelete = (domain) => {
    for (const entry of tokens.ofDomain(domain.id)) tokens.delete(entry.id);
  };
  for (const setting of seededDomains(options)) domains.create(setting.name, setting.verified ?? true);
  const given = options.tokens !== undefined && options.tokens.length > 0;
  const settings: EmulatorTokenSettings[] = given
    ? options.tokens!
    : [{ token: `emulator-${randomBytes(16).toString('hex')}`, streams: ALL_STREAMS }];
  for (const [index, setting] of settings.entries())
    addConfiguredToken(options, domains, tokens, setting, index, !given);
  return { domains, tokens, first: settings[0]!.token };
}

/** The domains of the options (validated), or the default ones. */
function seededDomains(options: EmulatorOptions): { name: string; verified?: boolean }[] {
  const seeded =
    options.domains ?? (options.verifiedDomains ?? DEFAULT_DOMAINS).map((name) => ({ name, verified: true }));
  for (const [index, setting] of seeded.entries()) {
    if (!isDomainName(setting?.name)) {
      throw new TypeError(
        `startEmulator: domains[${index}].name must be a domain name (got ${String(setting?.name)})`,
      );
    }
  }
  return seeded;
}

function addConfiguredToken(
  options: EmulatorOptions,
  domains: DomainStore,
  tokens: TokenStore,
  setting: EmulatorTokenSettings,
  index: number,
  generated: boolean,
): void {
  if (typeof setting.token !== 'string' || setting.token === '') {
    throw new TypeError('startEmulator: every entry of `tokens` needs a non-empty `token`');
  }
  const domainIds = setting.domains?.map((name) => {
    const found = domains.byDomainName(name);
    if (!found)
      throw new TypeError(
        `startEmulator: tokens[${index}].domains names '${name}', which is not in \`domains\``,
      );
    return found.domain.id;
  });
  tokens.add({
    token: setting.token,
    name: `token ${index + 1}`,
    streams: setting.streams ?? ALL_STREAMS,
    domainIds,
    accountAccess: domainIds ? undefined : 100,
    resources: domainIds
      ? domainIds.map((id) => ({
          resource_type: 'domain' as const,
          resource_id: id,
          access_level: 100 as const,
        }))
      : [{ resource_type: 'account', resource_id: options.accountId ?? 1, access_level: 100 }],
    createdBy: 'mailtrap-kit emulator',
    generated,
  });
}

/**
 * After an account was restored from a data dir: the domains and tokens the options name
 * explicitly that the account lacks (so `--token` and `--domain` keep working across restarts).
 */
export function addMissingSeeds(options: EmulatorOptions, domains: DomainStore, tokens: TokenStore): void {
  if (options.domains || options.verifiedDomains) {
    for (const setting of seededDomains(options)) {
      if (!domains.byDomainName(setting.name)) domains.create(setting.name, setting.verified ?? true);
    }
  }
  for (const [index, setting] of (options.tokens ?? []).entries()) {
    if (typeof setting.token === 'string' && tokens.find(setting.token)) continue;
    addConfiguredToken(options, domains, tokens, setting, index, false);
  }
}
