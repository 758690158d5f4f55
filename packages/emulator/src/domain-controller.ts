import type { EmulatorContext } from './context';
import { isDomainName } from './domains';
import type { DomainController, EmulatorDomain } from './types';

function view(emulator: EmulatorContext, name: string): EmulatorDomain | undefined {
  const record = emulator.domains.byDomainName(name);
  if (!record) return undefined;
  const domain = record.domain;
  const own = emulator.tokens.ofDomain(domain.id).find((entry) => entry.generated);
  return {
    id: domain.id,
    domain_name: domain.domain_name,
    dns_verified: domain.dns_verified,
    compliance_status: domain.compliance_status,
    dns_records: structuredClone(domain.dns_records),
    token: own ? emulator.tokens.valueOf(own.id)! : '',
  };
}

/** `emulator.domains`: the account's domains from code. */
export function domainController(emulator: EmulatorContext): DomainController {
  return {
    list: () => emulator.domains.list().map((domain) => view(emulator, domain.domain_name)!),
    get: (name) => view(emulator, name),
    create(name, options = {}) {
      if (!isDomainName(name)) throw new TypeError(`domains.create: '${name}' is not a domain name`);
      if (emulator.domains.byDomainName(name)) throw new TypeError(`domains.create: domain ${name} exists`);
      emulator.domains.create(name, options.verified ?? false);
      emulator.persistence?.saveAccount();
      return view(emulator, name)!;
    },
    verify(name) {
      if (!emulator.domains.verify(name)) throw new TypeError(`domains.verify: no domain ${name}`);
      emulator.persistence?.saveAccount();
      return view(emulator, name)!;
    },
  };
}
