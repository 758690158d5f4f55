import { join } from 'node:path';
import { MailtrapClient } from '@mailtrap-kit/core';
import { runInTerminal, terminalAvailable } from '@mailtrap-kit/terminal-testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliEnvironment, packageDirectory, useEmulator } from './cli.test-support';

const harness = useEmulator();

beforeAll(async () => {
  const client = new MailtrapClient({
    token: harness.emulator.token,
    endpoints: harness.emulator.endpoints,
    retry: false,
  });
  const send = (to: string, category: string) =>
    client.send({
      from: { email: 'news@example.com' },
      to: [{ email: to }],
      subject: 's',
      text: 't',
      category,
    });
  for (let index = 0; index < 4; index += 1)
    await send(`delivered+${index}@simulator.mailtrap-kit.test`, 'welcome');
  await send('opened+1@simulator.mailtrap-kit.test', 'welcome');
  await send('delivered+9@simulator.mailtrap-kit.test', 'receipts');
  await send('bounced+1@simulator.mailtrap-kit.test', 'receipts');
  await client.close();
});

describe('mailtrap-kit stats (spawned)', () => {
  it('--by category as JSON: the counts per category', async () => {
    const run = await harness.kitJson<{
      by: string;
      rows: Array<{
        group: string;
        stats: { delivery_count: number; bounce_count: number; open_count: number };
      }>;
    }>(['stats', '--by', 'category']);
    expect(run.code).toBe(0);
    expect(run.data.by).toBe('category');
    const byGroup = Object.fromEntries(run.data.rows.map((row) => [row.group, row.stats]));
    expect(byGroup.welcome).toMatchObject({ delivery_count: 5, bounce_count: 0, open_count: 1 });
    expect(byGroup.receipts).toMatchObject({ delivery_count: 1, bounce_count: 1 });
  });

  it('a table and a bar chart scaled to the largest value', async () => {
    const run = await harness.kit(['stats', '--by', 'category']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /CATEGORY\s+DELIVERED\s+BOUNCED\s+OPENED\s+CLICKED\s+SPAM\s+DELIVERY RATE\s+OPEN RATE/,
    );
    expect(run.stdout).toMatch(/welcome\s+5\s+0\s+1\s+0\s+0\s+100\.0%\s+20\.0%/);
    const chart = run.stdout.slice(run.stdout.indexOf('delivery by category:'));
    expect(chart).toMatch(/welcome {3}█{60} 5/);
    expect(chart).toMatch(/receipts {2}█{12} {49}1/);
    const totals = await harness.kit(['stats', '--stream', 'transactional']);
    expect(totals.stdout).toMatch(/PERIOD\s+DELIVERED/);
    expect(totals.stdout).toMatch(/total\s+6\s+1\s+1/);
  });

  it('refuses a bad day before asking the API', async () => {
    const run = await harness.kit(['stats', '--since', '2026-13-45']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--since: expected a day like 2026-01-31 (got "2026-13-45")');
  });

  it.skipIf(!terminalAvailable())('in a pseudo-terminal the chart fits the terminal width', async () => {
    const { code, screen } = await runInTerminal(
      [
        process.execPath,
        '--import',
        'tsx',
        join(packageDirectory, 'src/cli.ts'),
        'stats',
        '--by',
        'category',
      ],
      {
        cwd: packageDirectory,
        columns: 50,
        env: cliEnvironment({
          MAILTRAP_API_TOKEN: harness.emulator.token,
          MAILTRAP_ENDPOINT: harness.emulator.url,
        }),
      },
    );
    expect(code).toBe(0);
    const chart = screen.slice(screen.indexOf('delivery by category:') + 1);
    expect(chart).toHaveLength(2);
    for (const line of chart) expect([...line].length).toBeLessThanOrEqual(50);
    expect(chart[0]).toMatch(/^welcome {3}█{37} 5$/);
  });
});
