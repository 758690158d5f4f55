import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkHtml } from './html-check';
import { familyScores } from './html-score';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('familyScores', () => {
  it('scores each client family over the features some checked client lacks', async () => {
    const check = await checkHtml(fixture('unsupported-features.html'));
    const scores = new Map((await familyScores(check)).map((family) => [family.family, family]));
    expect([...scores.keys()].sort()).toEqual([
      'aol',
      'apple-mail',
      'gmail',
      'outlook',
      'samsung-email',
      'yahoo',
    ]);
    const outlook = scores.get('outlook')!;
    expect(outlook.name).toBe('Outlook');
    // caniemail: Outlook for Windows lacks display:flex, so Outlook cannot score 100
    expect(outlook.unsupported).toContain('display:flex');
    expect(outlook.score).toBeLessThan(100);
    const apple = scores.get('apple-mail')!;
    expect(apple.unsupported).not.toContain('display:flex');
    expect(apple.score).toBeGreaterThan(outlook.score);
    for (const family of scores.values()) {
      expect(family.score).toBeGreaterThanOrEqual(0);
      expect(family.score).toBeLessThanOrEqual(100);
      expect(family.clients.every((client) => client.startsWith(`${family.family}.`))).toBe(true);
    }
  });

  it('computes the score from the issues: supported 1, partly ½, not 0', async () => {
    const scores = await familyScores({
      unsupported: [{ feature: 'a', support: 'none', clients: ['x.one'], notes: [] }],
      partial: [{ feature: 'b', support: 'partial', clients: ['x.one', 'x.two'], notes: [] }],
      clients: ['x.one', 'x.two', 'y.one'],
      unchecked: [],
      dataDate: '2024-01-01',
    });
    // x: a → 0 + 1, b → ½ + ½, over 4 pairs = 50%; y supports both
    expect(scores).toEqual([
      { family: 'x', name: 'x', score: 50, clients: ['x.one', 'x.two'], unsupported: ['a'], partial: ['b'] },
      { family: 'y', name: 'y', score: 100, clients: ['y.one'], unsupported: [], partial: [] },
    ]);
  });

  it('gives 100 to every family for HTML every client supports', async () => {
    const check = await checkHtml('<p>Hello <b>there</b></p>');
    expect([...check.unsupported, ...check.partial]).toEqual([]);
    const scores = await familyScores(check);
    expect(scores.length).toBeGreaterThan(0);
    expect(scores.every((family) => family.score === 100)).toBe(true);
  });
});
