import { describe, expect, it } from 'vitest';
import { htmlLinks } from './html-links';

/** Links of every kind, one a line (line 4 is the first); kept here, not in fixtures/, as the HTML linter would refuse it. */
const LINKS_HTML = `<!doctype html>
<html><body>
<p>Hello,</p>
<a href="https://shop.example.com/orders/42?utm_source=email">See your order</a>
<a href="http://insecure.example.com/track">Track it</a>
<a href="mailto:support@example.com">Write to us</a>
<a href="tel:+15551234567">Call us</a>
<a href="#top">Back to top</a>
<a href="javascript:alert(1)">Click</a>
<a href="/relative/path">Relative</a>
<a href=""><img src="cid:logo" alt="Our logo"></a>
<a name="no-href">Not a link</a>
<a href="https://example.com/a?x=1&amp;y=2">  Spaced
   text &amp; more </a>
</body></html>
`;

describe('htmlLinks', () => {
  it('lists every link with its text, target, kind, line and what to look at', () => {
    const links = htmlLinks(LINKS_HTML);
    expect(links.map(({ href, text, kind, line, warning }) => ({ href, text, kind, line, warning }))).toEqual(
      [
        {
          href: 'https://shop.example.com/orders/42?utm_source=email',
          text: 'See your order',
          kind: 'web',
          line: 4,
          warning: undefined,
        },
        {
          href: 'http://insecure.example.com/track',
          text: 'Track it',
          kind: 'web',
          line: 5,
          warning: 'plain http',
        },
        {
          href: 'mailto:support@example.com',
          text: 'Write to us',
          kind: 'mailto',
          line: 6,
          warning: undefined,
        },
        { href: 'tel:+15551234567', text: 'Call us', kind: 'tel', line: 7, warning: undefined },
        { href: '#top', text: 'Back to top', kind: 'anchor', line: 8, warning: undefined },
        {
          href: 'javascript:alert(1)',
          text: 'Click',
          kind: 'other',
          line: 9,
          warning: 'javascript: URL (mail clients drop it)',
        },
        {
          href: '/relative/path',
          text: 'Relative',
          kind: 'other',
          line: 10,
          warning: 'relative URL (no base in an email)',
        },
        { href: '', text: 'Our logo', kind: 'other', line: 11, warning: 'empty href' },
        {
          href: 'https://example.com/a?x=1&y=2',
          text: 'Spaced text & more',
          kind: 'web',
          line: 13,
          warning: undefined,
        },
      ],
    );
  });

  it('finds no link in HTML without one', () => {
    expect(htmlLinks('<table><tr><td>No links here</td></tr></table>')).toEqual([]);
  });
});
