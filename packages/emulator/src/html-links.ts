/**
 * The links of a message's HTML, with their targets, as a reviewer wants to see them before the
 * message goes out: what each link says and where it really points.
 */
import { Parser } from 'htmlparser2';

export interface HtmlLink {
  /** The `href` as written. */
  href: string;
  /** The link's text (its images' `alt` when it has no text), spaces collapsed. */
  text: string;
  /** 1-based line of the `<a>` in the HTML. */
  line: number;
  /** `web` (http/https), `mailto`, `tel`, `anchor` (`#...`), `other` (any other scheme or a relative URL). */
  kind: 'web' | 'mailto' | 'tel' | 'anchor' | 'other';
  /** What a reader may trip over: an empty href, plain http, a javascript: URL, a relative URL. */
  warning?: string;
}

function kindOf(href: string): Pick<HtmlLink, 'kind' | 'warning'> {
  const value = href.trim();
  if (value === '') return { kind: 'other', warning: 'empty href' };
  if (value.startsWith('#')) return { kind: 'anchor' };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
  if (scheme === 'https') return { kind: 'web' };
  if (scheme === 'http') return { kind: 'web', warning: 'plain http' };
  if (scheme === 'mailto') return { kind: 'mailto' };
  if (scheme === 'tel') return { kind: 'tel' };
  if (scheme === 'javascript') return { kind: 'other', warning: 'javascript: URL (mail clients drop it)' };
  if (scheme === undefined) return { kind: 'other', warning: 'relative URL (no base in an email)' };
  return { kind: 'other' };
}

/** Every `<a href>` of the HTML, in document order. */
export function htmlLinks(html: string): HtmlLink[] {
  const links: HtmlLink[] = [];
  const lineStarts = [0];
  for (let index = html.indexOf('\n'); index !== -1; index = html.indexOf('\n', index + 1))
    lineStarts.push(index + 1);
  const lineOf = (offset: number) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
  const open: Array<{ link: HtmlLink; text: string[]; alts: string[] } | undefined> = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'a') {
          const href = attributes.href;
          if (href === undefined) {
            open.push(undefined);
            return;
          }
          const link: HtmlLink = { href, text: '', line: lineOf(parser.startIndex), ...kindOf(href) };
          links.push(link);
          open.push({ link, text: [], alts: [] });
          return;
        }
        if (name === 'img' && attributes.alt) open.at(-1)?.alts.push(attributes.alt);
      },
      ontext(text) {
        open.at(-1)?.text.push(text);
      },
      onclosetag(name) {
        if (name !== 'a') return;
        const current = open.pop();
        if (!current) return;
        const text = current.text.join('').replace(/\s+/g, ' ').trim();
        current.link.text = text || current.alts.join(' ').trim();
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  return links;
}
