import {
  escapeHtml,
  formatNumber,
  type RenderableTemplate,
  type RenderedTemplate,
  renderTemplate,
} from './render';

/** A template compiled once to be rendered for many recipients (mail merge). */
export interface CompiledTemplate {
  /** The same answer as `renderTemplate(template, variables)`, errors included. */
  render(variables?: object | null): RenderedTemplate;
  /**
   * The same render with each part as its JSON string literal, quotes included (what
   * `JSON.stringify` gives for it), for a request body written as text: `JSON.stringify(render(v).html)`
   * equals `renderJson(v).html`. Text and variables are escaped for JSON once, not the rendered part.
   */
  renderJson(variables?: object | null): RenderedTemplate;
}

/** A variable printed into the text: `{{name}}` (HTML-escaped) or `{{{name}}}` (as it is). */
interface Slot {
  name: string;
  escape: boolean;
}

type Piece = string | Slot;

/** Names Handlebars reads as helpers, literals or the context itself, not as a variable. */
const notVariables = new Set([
  'if',
  'unless',
  'each',
  'with',
  'lookup',
  'log',
  'helperMissing',
  'blockHelperMissing',
  'else',
  'this',
  'true',
  'false',
  'null',
  'undefined',
]);
const doubleStash = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/y;
const tripleStash = /\{\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}\}/y;

/**
 * The source as text and top-level variables, when that is all it is; undefined for anything
 * else (blocks, paths, comments, partials, whitespace control, escapes), which the engine renders.
 */
function slotsOf(source: string): Piece[] | undefined {
  // The engine's lexer refuses a NUL anywhere: it renders (and throws) itself.
  if (source.includes('\u0000')) return undefined;
  const pieces: Piece[] = [];
  let at = 0;
  for (let open = source.indexOf('{{'); open !== -1; open = source.indexOf('{{', at)) {
    if (open > 0 && source.charCodeAt(open - 1) === 92) return undefined; // \{{ is an escape
    const triple = source.charCodeAt(open + 2) === 123;
    const pattern = triple ? tripleStash : doubleStash;
    pattern.lastIndex = open;
    const match = pattern.exec(source);
    if (!match || notVariables.has(match[1]!)) return undefined;
    // `}}}` after `{{name` would be read by the engine as a closing triple stash
    if (source.charCodeAt(pattern.lastIndex) === 125) return undefined;
    if (open > at) pieces.push(source.slice(at, open));
    pieces.push({ name: match[1]!, escape: !triple });
    at = pattern.lastIndex;
  }
  if (at < source.length) pieces.push(source.slice(at));
  return pieces;
}

/** Characters `JSON.stringify` writes as escapes: quotes, backslashes, controls, lone surrogates. */
const needsJsonEscape = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A text's JSON string literal without its quotes. */
function jsonInner(text: string): string {
  return needsJsonEscape.test(text) ? JSON.stringify(text).slice(1, -1) : text;
}

/**
 * True when a text starts with a low surrogate or ends with a high one: next to another text it may
 * make a pair, which JSON writes as it is, not as the two escapes each text alone would get.
 */
function pairsAtEdge(text: string): boolean {
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  return (first >= 0xdc00 && first <= 0xdfff) || (last >= 0xd800 && last <= 0xdbff);
}

/** The pieces with their texts escaped for JSON (a slot's printed value is escaped when filled). */
function jsonPiecesOf(pieces: Piece[]): Piece[] {
  return pieces.map((piece) => (typeof piece === 'string' ? jsonInner(piece) : piece));
}

/**
 * How the engine prints a scalar (see `renderTemplate`): strings HTML-escaped in `{{ }}`, numbers
 * the Go way, booleans as words, null and missing values as nothing. Undefined for an object or an
 * array, which the engine prints.
 */
function printScalar(value: unknown, escaped: boolean): string | undefined {
  if (typeof value === 'string') return escaped ? escapeHtml(value) : value;
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === undefined || value === null) return '';
  return undefined;
}

/** A string with a character HTML or JSON escaping would change (surrogates included). */
const escapable = /[&'<>"\\\u0000-\u001f\ud800-\udfff]/;

/**
 * Renders the pieces, or undefined when a variable is not a scalar. `json`: the pieces are
 * `jsonPiecesOf`'s and each printed value is escaped for JSON too (undefined for a value with a
 * surrogate at an edge, which only the whole rendered part can escape as JSON does).
 */
function fill(pieces: Piece[], variables: object, json = false): string | undefined {
  let text = '';
  for (const piece of pieces) {
    if (typeof piece === 'string') text += piece;
    else {
      const value = Object.hasOwn(variables, piece.name)
        ? (variables as Record<string, unknown>)[piece.name]
        : undefined;
      // The common value (a name, an address): nothing to escape for HTML or JSON, one test for both.
      if (typeof value === 'string' && !escapable.test(value)) {
        text += value;
        continue;
      }
      const printed = printScalar(value, piece.escape);
      if (printed === undefined) return undefined;
      if (!json) text += printed;
      else if (pairsAtEdge(printed)) return undefined;
      else text += jsonInner(printed);
    }
  }
  return text;
}

function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * Compiles a template once for many renders. A template made of text and top-level variables
 * (`{{first_name}}`, `{{{html_block}}}`) is rendered by filling them in, with the engine's own
 * escaping and printing; anything else (and a variable holding an object or an array) is rendered by
 * `renderTemplate`, so the answer is always the same as `renderTemplate(template, variables)`.
 */
export function compileTemplate(template: RenderableTemplate): CompiledTemplate {
  const subject = template?.subject ? slotsOf(template.subject) : [];
  const html = template?.body_html ? slotsOf(template.body_html) : undefined;
  const text = template?.body_text ? slotsOf(template.body_text) : undefined;
  const simple =
    typeof template === 'object' &&
    template !== null &&
    subject !== undefined &&
    (!template.body_html || html !== undefined) &&
    (!template.body_text || text !== undefined);
  if (!simple) return jsonOfRender((variables) => renderTemplate(template, variables));
  const rendered = (parts: Parts, variables: object, json: boolean): RenderedTemplate | undefined => {
    const renderedSubject = fill(parts.subject, variables, json);
    const renderedHtml = parts.html ? fill(parts.html, variables, json) : '';
    const renderedText = parts.text ? fill(parts.text, variables, json) : '';
    if (renderedSubject === undefined || renderedHtml === undefined || renderedText === undefined)
      return undefined;
    const result: RenderedTemplate = { subject: json ? `"${renderedSubject}"` : renderedSubject };
    if (parts.html) result.html = json ? `"${renderedHtml}"` : renderedHtml;
    if (parts.text) result.text = json ? `"${renderedText}"` : renderedText;
    return result;
  };
  const plainParts: Parts = { subject, html, text };
  // A variable holding an object or an array (and variables that are not a plain object): the engine.
  const render = (variables?: object | null): RenderedTemplate => {
    if (variables === null || variables === undefined) variables = {};
    return (
      (isPlainObject(variables) && rendered(plainParts, variables, false)) ||
      renderTemplate(template, variables)
    );
  };
  const pieces = [...subject, ...(html ?? []), ...(text ?? [])];
  if (pieces.some((piece) => typeof piece === 'string' && pairsAtEdge(piece))) return jsonOfRender(render);
  const jsonParts: Parts = {
    subject: jsonPiecesOf(subject),
    html: html && jsonPiecesOf(html),
    text: text && jsonPiecesOf(text),
  };
  return {
    render,
    renderJson(variables) {
      if (variables === null || variables === undefined) variables = {};
      return (
        (isPlainObject(variables) && rendered(jsonParts, variables, true)) ||
        asJson(renderTemplate(template, variables))
      );
    },
  };
}

interface Parts {
  subject: Piece[];
  html: Piece[] | undefined;
  text: Piece[] | undefined;
}

/** A compiled template whose `renderJson` is `render`'s parts written as JSON string literals. */
function jsonOfRender(render: CompiledTemplate['render']): CompiledTemplate {
  return { render, renderJson: (variables) => asJson(render(variables)) };
}

function asJson(rendered: RenderedTemplate): RenderedTemplate {
  const result: RenderedTemplate = { subject: JSON.stringify(rendered.subject) };
  if (rendered.html !== undefined) result.html = JSON.stringify(rendered.html);
  if (rendered.text !== undefined) result.text = JSON.stringify(rendered.text);
  return result;
}
