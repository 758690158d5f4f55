import type { DoctorCheck, DoctorResult } from './checks';

const symbols: Record<DoctorCheck['status'], string> = { pass: '✔', fail: '✖', warn: '!', skip: '–' };

/** One check as the terminal shows it: the symbol and title, details indented, then the fix. */
export function formatCheck(check: DoctorCheck): string {
  const lines = [`${symbols[check.status]} ${check.title}`];
  for (const detail of check.details ?? []) lines.push(`    ${detail}`);
  if (check.fix && check.status !== 'pass') lines.push(`  → ${check.fix}`);
  return `${lines.join('\n')}\n`;
}

/** The summary line and the code samples after the checks. */
export function formatSummary(result: DoctorResult): string {
  const failed = result.checks.filter((check) => check.status === 'fail').length;
  const lines = [
    '',
    failed === 0
      ? `All checks passed${result.emulator ? ' (against the emulator)' : ''}.`
      : `${failed} check${failed === 1 ? '' : 's'} failed: fix ${failed === 1 ? 'it' : 'them'} as shown and run mailtrap-kit doctor again.`,
  ];
  if (result.emulator) {
    lines.push(
      'The emulator stops with this command: for one that stays, run npx @mailtrap-kit/emulator and point the code (or any mailtrap-kit command) at it with --endpoint http://127.0.0.1:4025.',
    );
  }
  if (result.samples) {
    lines.push('', 'The code for this setup:', '');
    for (const [title, code] of [
      ['@mailtrap-kit/core', result.samples.core],
      ['Nodemailer (@mailtrap-kit/nodemailer-transport)', result.samples.nodemailer],
      ['SMTP', result.samples.smtp],
      ['curl', result.samples.curl],
    ] as const) {
      lines.push(`── ${title}`, code, '');
    }
  }
  return `${lines.join('\n')}\n`;
}
