import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkHtml, htmlAnalysisReport } from './html-check';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('checkHtml', () => {
  it('reports the features of the fixture that the common clients lack, with their lines', async () => {
    const result = await checkHtml(fixture('unsupported-features.html'));
    const byFeature = new Map(result.unsupported.map((issue) => [issue.feature, issue]));
    // caniemail: Outlook for Windows does not support flexbox; Gmail's mobile webmail drops <style>
    const flex = byFeature.get('display:flex');
    expect(flex?.line).toBe(9);
    expect(flex?.clients).toContain('outlook.windows');
    expect(flex?.url).toMatch(/^https:\/\/www\.caniemail\.com\/features\//);
    expect(byFeature.get('<style> element')?.clients).toContain('gmail.mobile-webmail');
    expect(byFeature.get(':hover')?.line).toBe(5);
    expect(result.clients).toContain('outlook.windows');
    expect(result.dataDate).toMatch(/^\d{4}-\d{2}-\d{2}/);
  });

  it('finds nothing unsupported in a plain table with basic inline styles', async () => {
    const result = await checkHtml(fixture('plain-table.html'));
    expect(result.unsupported).toEqual([]);
  });

  it('checks only the clients asked for', async () => {
    const result = await checkHtml(fixture('unsupported-features.html'), ['apple-mail.*']);
    expect(
      result.unsupported
        .flatMap((issue) => issue.clients)
        .every((client) => client.startsWith('apple-mail.')),
    ).toBe(true);
    expect(result.unsupported.some((issue) => issue.feature === 'display:flex')).toBe(false);
  });
});

describe('htmlAnalysisReport', () => {
  it("answers in the sandbox API's shape with client names grouped by platform", async () => {
    const report = await htmlAnalysisReport(await checkHtml(fixture('unsupported-features.html')));
    expect(report.report.status).toBe('success');
    const flex = report.report.errors.find((error) => error.rule_name === 'display:flex');
    expect(flex?.error_line).toBe(9);
    expect(flex?.email_clients.desktop).toContain('Outlook Windows');
    const style = report.report.errors.find((error) => error.rule_name === '<style> element');
    expect(style?.email_clients.web).toContain('Gmail Mobile Webmail');
  });
});

describe('checkHtml with clients caniemail has not fully tested', () => {
  it('leaves out a client that lacks a test of a feature used, and checks the others', async () => {
    // caniemail has tested only a few features on Thunderbird for Windows (not background-color)
    const result = await checkHtml(fixture('unsupported-features.html'), ['thunderbird.*']);
    expect(result.unchecked.map((item) => item.client)).toEqual(['thunderbird.windows']);
    expect(result.clients).toEqual(['thunderbird.macos']);
  });
});
