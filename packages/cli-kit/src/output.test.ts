import { describe, expect, it } from 'vitest';
import { bar, formatBarChart } from './chart';
import { formatFields, formatTable } from './table';

describe('formatTable', () => {
  it('aligns columns, right-aligns numbers, shows missing values as -', () => {
    const rows = [
      { name: 'example.com', verified: true, count: 1200 },
      { name: 'mailtrap-kit.test', verified: false, count: 3, note: null },
    ];
    expect(
      formatTable(rows, [
        { header: 'Domain', value: (row) => row.name },
        { header: 'Verified', value: (row) => (row.verified ? 'yes' : 'no') },
        { header: 'Sent', value: (row) => row.count, align: 'right' },
        { header: 'Note', value: (row) => (row as { note?: null }).note },
      ]),
    ).toBe(
      [
        'DOMAIN             VERIFIED  SENT  NOTE',
        'example.com        yes       1200  -',
        'mailtrap-kit.test  no           3  -',
        '',
      ].join('\n'),
    );
    expect(formatTable([], [{ header: 'x', value: () => 1 }], 'No domains.')).toBe('No domains.\n');
  });

  it('prints one record as aligned fields', () => {
    expect(
      formatFields([
        ['id', 1],
        ['domain name', 'example.com'],
        ['dns', ['spf', 'dkim']],
      ]),
    ).toBe('id:          1\ndomain name: example.com\ndns:         spf, dkim\n');
  });
});

describe('formatBarChart', () => {
  it('scales bars to the largest value in block eighths', () => {
    expect(bar(10, 10, 8)).toBe('████████');
    expect(bar(5, 10, 8)).toBe('████');
    expect(bar(1, 16, 8)).toBe('▌');
    expect(bar(0, 10, 8)).toBe('');
    const chart = formatBarChart(
      [
        { label: 'welcome', value: 1500 },
        { label: 'password-reset', value: 750 },
        { label: 'digest', value: 0 },
      ],
      { width: 50 },
    );
    const lines = chart.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^welcome {9}█{27} 1,500$/);
    expect(lines[1]).toMatch(/^password-reset {2}█{13}▌ {14} {2}750$/);
    expect(lines[2]).toMatch(/^digest {42}0$/);
    expect(formatBarChart([])).toBe('(no data)\n');
  });
});
