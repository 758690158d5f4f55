/**
 * Which HTML and CSS features of a message the common email clients do not support, from
 * caniemail's data (https://www.caniemail.com, as the `caniemail` npm package ships it: the data
 * file and its checker, unchanged). Nothing here is scored by hand: a feature is reported when
 * caniemail's latest test of a client says "not supported" ("partial" for partly supported).
 */
import type { CanIEmailResult } from 'caniemail';

/**
 * The clients checked by default: the families that hold most of the market (Apple Mail, Gmail,
 * Outlook, Yahoo! Mail, AOL, Samsung Email), on every platform caniemail tested. `caniemail`
 * globs, e.g. `gmail.*` or `*.ios`. (Thunderbird is left out: caniemail has tested only a few
 * features on its Windows build.)
 */
export const COMMON_EMAIL_CLIENTS: readonly string[] = Object.freeze([
  'apple-mail.*',
  'gmail.*',
  'outlook.*',
  'yahoo.*',
  'aol.*',
  'samsung-email.*',
]);

/** One feature the HTML uses, at one place, with the clients that lack it. */
export interface HtmlFeatureIssue {
  /** caniemail's title of the feature, e.g. `display:flex`, `<style> element`, `:hover`. */
  feature: string;
  /** caniemail's page about the feature. */
  url?: string;
  /** Line in the HTML (1-based) where it is used, when caniemail knows it. */
  line?: number;
  support: 'none' | 'partial';
  /** caniemail client keys (`family.platform`), e.g. `outlook.windows`. */
  clients: string[];
  /** caniemail's notes for those clients, without repeats. */
  notes: string[];
}

export interface HtmlCheckResult {
  /** Features at least one checked client does not support. */
  unsupported: HtmlFeatureIssue[];
  /** Features at least one checked client supports only in part. */
  partial: HtmlFeatureIssue[];
  /** The clients checked (caniemail keys). */
  clients: string[];
  /**
   * Clients asked for but left out of this check, because caniemail has no test of one of the
   * features the HTML uses on them (its checker cannot check such a client at all).
   */
  unchecked: Array<{ client: string; feature: string }>;
  /** Where the data comes from: caniemail's own last update date. */
  dataDate: string;
}

type CanIEmail = typeof import('caniemail');
let loaded: Promise<CanIEmail> | undefined;

/** caniemail is an ES module of about 650 kB of data: loaded on the first check only. */
function caniemailModule(): Promise<CanIEmail> {
  loaded ??= import('caniemail');
  return loaded;
}

interface Finding {
  client: string;
  title: string;
  notes: string[];
  line?: number;
}

/** The findings of one caniemail run, their lines moved by `lineOffset`. */
function findings(map: CanIEmailResult['issues']['errors'], lineOffset: number, into: Finding[]): void {
  for (const [client, issues] of map) {
    for (const issue of issues) {
      const line = issue.position?.start.line;
      into.push({
        client,
        title: issue.title,
        notes: issue.notes,
        line: line === undefined ? undefined : line + lineOffset,
      });
    }
  }
}

function groupFindings(list: Finding[], support: 'none' | 'partial', urls: Map<string, string>) {
  const byPlace = new Map<string, HtmlFeatureIssue>();
  for (const finding of list) {
    const key = `${finding.title}\n${finding.line ?? ''}`;
    let entry = byPlace.get(key);
    if (!entry) {
      entry = {
        feature: finding.title,
        url: urls.get(finding.title),
        line: finding.line,
        support,
        clients: [],
        notes: [],
      };
      byPlace.set(key, entry);
    }
    if (!entry.clients.includes(finding.client)) entry.clients.push(finding.client);
    for (const note of finding.notes) if (!entry.notes.includes(note)) entry.notes.push(note);
  }
  return [...byPlace.values()].sort(
    (a, b) =>
      (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) ||
      a.feature.localeCompare(b.feature),
  );
}

const STYLE_BLOCK = /(<style\b[^>]*>)([\s\S]*?)(<\/style\s*>)/gi;

function lineAt(text: string, index: number): number {
  let line = 1;
  for (
    let position = text.indexOf('\n');
    position !== -1 && position < index;
    position = text.indexOf('\n', position + 1)
  )
    line++;
  return line;
}

/**
 * Runs caniemail over the HTML. caniemail numbers the lines of a `<style>` block's CSS from the
 * block's start, so each block is checked on its own (and emptied, line breaks kept, in the HTML
 * run), its lines moved to where the block sits in the message.
 */
function run(module: CanIEmail, clients: string[], html: string) {
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  const blocks: Array<{ css: string; line: number }> = [];
  const markup = html.replace(
    STYLE_BLOCK,
    (_match, open: string, css: string, close: string, offset: number) => {
      blocks.push({ css, line: lineAt(html, offset + open.length) });
      return open + css.replace(/[^\n]/g, ' ') + close;
    },
  );
  const result = module.caniemail({ clients: clients as never, html: markup });
  findings(result.issues.errors, 0, errors);
  findings(result.issues.warnings, 0, warnings);
  for (const block of blocks) {
    if (block.css.trim() === '') continue;
    const css = module.caniemail({ clients: clients as never, css: block.css });
    findings(css.issues.errors, block.line - 1, errors);
    findings(css.issues.warnings, block.line - 1, warnings);
  }
  return { errors, warnings };
}

/** The caniemail client keys (`family.platform`) the data knows that match one of the globs. */
function matchingClients(module: CanIEmail, globs: readonly string[]): string[] {
  const known = new Set<string>();
  for (const feature of module.rawData.data) {
    for (const [family, platforms] of Object.entries(feature.stats)) {
      for (const platform of Object.keys(platforms ?? {})) known.add(`${family}.${platform}`);
    }
  }
  const patterns = globs.map(
    (glob) =>
      new RegExp(
        `^${glob
          .split('*')
          .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('.*')}$`,
      ),
  );
  return [...known].filter((client) => patterns.some((pattern) => pattern.test(client)));
}

/** Checks an HTML body against caniemail's data for `clients` (globs; default the common ones). */
export async function checkHtml(
  html: string,
  clients: readonly string[] = COMMON_EMAIL_CLIENTS,
): Promise<HtmlCheckResult> {
  const module = await caniemailModule();
  const urls = new Map<string, string>();
  for (const feature of module.rawData.data) urls.set(feature.title, feature.url);
  const dataDate = String(module.rawData.last_update_date);
  const unchecked: HtmlCheckResult['unchecked'] = [];
  let names = matchingClients(module, clients);
  if (html.trim() === '' || names.length === 0) {
    return { unsupported: [], partial: [], clients: names, unchecked, dataDate };
  }
  for (;;) {
    try {
      const result = run(module, names, html);
      return {
        unsupported: groupFindings(result.errors, 'none', urls),
        partial: groupFindings(result.warnings, 'partial', urls),
        clients: names.sort(),
        unchecked,
        dataDate,
      };
    } catch (error) {
      // caniemail throws for the first (feature, client) pair it has no test of: leave that
      // client out and check the others
      const missing = /^Feature "(.+)" not found on "(.+)"\.$/.exec((error as Error).message);
      if (!(error instanceof RangeError) || !missing || !names.includes(missing[2]!)) throw error;
      unchecked.push({ client: missing[2]!, feature: missing[1]! });
      names = names.filter((name) => name !== missing[2]);
      if (names.length === 0) return { unsupported: [], partial: [], clients: [], unchecked, dataDate };
    }
  }
}

const PLATFORM_GROUP: Record<string, 'desktop' | 'mobile' | 'web'> = {
  'desktop-app': 'desktop',
  macos: 'desktop',
  windows: 'desktop',
  'windows-mail': 'desktop',
  ios: 'mobile',
  android: 'mobile',
  'desktop-webmail': 'web',
  'mobile-webmail': 'web',
  webmail: 'web',
  'outlook-com': 'web',
};

/** A client's readable name from caniemail's own nicenames, e.g. `Outlook Windows`, `Gmail iOS`. */
async function clientName(client: string): Promise<{ name: string; group: 'desktop' | 'mobile' | 'web' }> {
  const { rawData } = await caniemailModule();
  const [family = client, platform = ''] = client.split('.');
  const names = rawData.nicenames as { family: Record<string, string>; platform: Record<string, string> };
  return {
    name: `${names.family[family] ?? family} ${names.platform[platform] ?? platform}`.trim(),
    group: PLATFORM_GROUP[platform] ?? 'desktop',
  };
}

/** The sandbox API's `analyze` answer: one error per unsupported feature and place. */
export async function htmlAnalysisReport(check: HtmlCheckResult) {
  const errors = [];
  for (const issue of check.unsupported) {
    const email_clients: Record<'desktop' | 'mobile' | 'web', string[]> = {
      desktop: [],
      mobile: [],
      web: [],
    };
    for (const client of issue.clients) {
      const { name, group } = await clientName(client);
      email_clients[group].push(name);
    }
    for (const list of Object.values(email_clients)) list.sort();
    errors.push({
      ...(issue.line === undefined ? {} : { error_line: issue.line }),
      rule_name: issue.feature,
      email_clients,
    });
  }
  return { report: { status: 'success', errors } };
}
