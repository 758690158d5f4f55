/**
 * The certificate STARTTLS uses: self-signed, made by `selfsigned` when the first SMTP listener
 * of the process starts, then shared by every emulator of the process (making one takes a few
 * milliseconds with an EC key, but tests start many emulators). Nothing is written to disk.
 */
import { generate } from 'selfsigned';

export interface SmtpCertificate {
  /** The private key, PEM. */
  key: string;
  /** The certificate, PEM: what a client passes as `ca` to verify the listener. */
  cert: string;
}

/** The names the certificate is valid for: loopback, and Mailtrap's SMTP hosts. */
export const CERTIFICATE_NAMES = [
  'localhost',
  'live.smtp.mailtrap.io',
  'bulk.smtp.mailtrap.io',
  'sandbox.smtp.mailtrap.io',
];

let pending: Promise<SmtpCertificate> | undefined;

/** The process's self-signed certificate (made on the first call). */
export function smtpCertificate(): Promise<SmtpCertificate> {
  pending ??= makeCertificate().catch((error: unknown) => {
    pending = undefined;
    throw error;
  });
  return pending;
}

async function makeCertificate(): Promise<SmtpCertificate> {
  const now = new Date();
  const made = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + 365 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...CERTIFICATE_NAMES.map((value) => ({ type: 2 as const, value })),
          { type: 7 as const, ip: '127.0.0.1' },
          { type: 7 as const, ip: '::1' },
        ],
      },
    ],
  });
  return { key: made.private, cert: made.cert };
}
