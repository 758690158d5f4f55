/**
 * The sending domains of the emulated account: DNS records shaped like Mailtrap's, the
 * verification lifecycle (created unverified, verified by the emulator's control calls) and the
 * company information a domain's compliance needs.
 */
import { createHash } from 'node:crypto';

export type DnsRecordStatus = 'pass' | 'fail' | 'unchecked' | 'missing' | 'softfail' | 'network_error';

export interface DnsRecord {
  key: string;
  domain: string;
  name: string;
  type: string;
  value: string;
  status: DnsRecordStatus;
}

export interface CompanyInfo {
  name: string | null;
  address: string | null;
  city: string | null;
  country: string | null;
  phone: string | null;
  zip_code: string | null;
  privacy_policy_url: string | null;
  terms_of_service_url: string | null;
  website_url: string | null;
  info_level: 'business' | 'individual';
}

/** A sending domain as GET /api/domains/{id} answers it. */
export interface SendingDomain {
  id: number;
  domain_name: string;
  demo: boolean;
  compliance_status: 'unverified_dns' | 'compliant';
  dns_verified: boolean;
  dns_verified_at: string | null;
  dns_records: DnsRecord[];
  open_tracking_enabled: boolean;
  click_tracking_enabled: boolean;
  auto_unsubscribe_link_enabled: boolean;
  custom_domain_tracking_enabled: boolean;
  health_alerts_enabled: boolean;
  critical_alerts_enabled: boolean;
  alert_recipient_email: string | null;
  permissions: { can_read: boolean; can_update: boolean; can_destroy: boolean };
}

export interface DomainRecord {
  domain: SendingDomain;
  companyInfo?: CompanyInfo;
  /** Addresses setup instructions were sent to (POST send_setup_instructions), oldest first. */
  setupInstructionsSentTo: string[];
}

/** The records Mailtrap asks for, with its naming (`mtXX` verification CNAME, `rwmt1/2` DKIM keys). */
function dnsRecords(name: string, status: DnsRecordStatus): DnsRecord[] {
  const label = `mt${createHash('sha256').update(name).digest('hex').slice(0, 2)}`;
  return [
    // the return path: bounces come back through this CNAME
    {
      key: 'verification',
      domain: `${label}.${name}`,
      type: 'CNAME',
      value: 'smtp.mailtrap.live',
      status,
      name: label,
    },
    {
      key: 'spf',
      domain: name,
      type: 'TXT',
      value: 'v=spf1 include:_spf.smtp.mailtrap.live ~all',
      status,
      name: '',
    },
    {
      key: 'dkim1',
      domain: `rwmt1._domainkey.${name}`,
      type: 'CNAME',
      value: 'rwmt1.dkim.smtp.mailtrap.live',
      status,
      name: 'rwmt1._domainkey',
    },
    {
      key: 'dkim2',
      domain: `rwmt2._domainkey.${name}`,
      type: 'CNAME',
      value: 'rwmt2.dkim.smtp.mailtrap.live',
      status,
      name: 'rwmt2._domainkey',
    },
    {
      key: 'dmarc',
      domain: `_dmarc.${name}`,
      type: 'TXT',
      value:
        'v=DMARC1; p=none; rua=mailto:dmarc@smtp.mailtrap.live; ruf=mailto:dmarc@smtp.mailtrap.live; rf=afrf; pct=100',
      status,
      name: '_dmarc',
    },
    {
      key: 'link_verification',
      domain: `mt-link.${name}`,
      type: 'CNAME',
      value: 't.mailtrap.live',
      status,
      name: 'mt-link',
    },
  ];
}

const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export function isDomainName(value: unknown): value is string {
  return typeof value === 'string' && HOSTNAME.test(value);
}

export class DomainStore {
  private readonly byId = new Map<number, DomainRecord>();
  private readonly byName = new Map<string, DomainRecord>();
  private nextId = 1;
  /** Called when a domain is created (its sending token is made there) and deleted. */
  onCreate: (domain: SendingDomain) => void = () => {};
  onDelete: (domain: SendingDomain) => void = () => {};

  list(): SendingDomain[] {
    return [...this.byId.values()].map((record) => record.domain);
  }

  get(id: number): DomainRecord | undefined {
    return this.byId.get(id);
  }

  byDomainName(name: string): DomainRecord | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** The domain of an address (`a@Example.com` → example.com's record). */
  ofAddress(email: string): DomainRecord | undefined {
    return this.byDomainName(email.slice(email.lastIndexOf('@') + 1));
  }

  create(name: string, verified: boolean): SendingDomain {
    const domainName = name.toLowerCase();
    const domain: SendingDomain = {
      id: this.nextId++,
      domain_name: domainName,
      demo: false,
      compliance_status: 'unverified_dns',
      dns_verified: false,
      dns_verified_at: null,
      dns_records: dnsRecords(domainName, 'missing'),
      open_tracking_enabled: true,
      click_tracking_enabled: true,
      auto_unsubscribe_link_enabled: false,
      custom_domain_tracking_enabled: false,
      health_alerts_enabled: true,
      critical_alerts_enabled: true,
      alert_recipient_email: null,
      permissions: { can_read: true, can_update: true, can_destroy: true },
    };
    const record: DomainRecord = { domain, setupInstructionsSentTo: [] };
    this.byId.set(domain.id, record);
    this.byName.set(domainName, record);
    if (verified) this.verify(domainName);
    this.onCreate(domain);
    return domain;
  }

  /** Marks every DNS record as passing: the domain may send. Undefined for an unknown name. */
  verify(name: string): SendingDomain | undefined {
    const record = this.byDomainName(name);
    if (!record) return undefined;
    const domain = record.domain;
    domain.dns_verified = true;
    domain.dns_verified_at ??= new Date().toISOString();
    domain.compliance_status = 'compliant';
    for (const dns of domain.dns_records) dns.status = 'pass';
    return domain;
  }

  delete(id: number): SendingDomain | undefined {
    const record = this.byId.get(id);
    if (!record) return undefined;
    this.byId.delete(id);
    this.byName.delete(record.domain.domain_name);
    this.onDelete(record.domain);
    return record.domain;
  }
}
