import Handlebars from 'handlebars';
import { MailtrapError, MailtrapValidationError, markErrorClass } from '@mailtrap-kit/core';

/** The parts of a template that are rendered: the Templates API's own field names. */
export interface RenderableTemplate {
  subject?: string | null;
  body_html?: string | null;
  body_text?: string | null;
}

/** What Mailtrap sends for a template: the rendered subject and the parts the template has. */
export interface RenderedTemplate {
  subject: string;
  html?: string;
  text?: string;
}

/** The part of a template a render error comes from. */
export type TemplatePart = 'subject' | 'html' | 'text';

/**
 * A template that cannot be rendered: a Handlebars syntax error or a helper Mailtrap does not have
 * (code `templates.render`; `cause` is the Handlebars error, unchanged).
 */
export class TemplateRenderError extends MailtrapError {
  static {
    markErrorClass(TemplateRenderError, 'TemplateRenderError');
  }
  /** Which part failed: `subject` (from `subject`), `html` (`body_html`) or `text` (`body_text`). */
  readonly part: TemplatePart;

  constructor(part: TemplatePart, message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'templates.render', cause: options.cause });
    this.part = part;
  }
}

/**
 * The block helpers Mailtrap's template engine has. Decision: Mailtrap documents `if`, `unless`,
 * `each` and `with` (and `else` inside them); its engine is not JavaScript Handlebars, so the JS
 * extras `lookup` and `log` are NOT available here — a template that uses them renders locally the
 * way it would fail on Mailtrap: with an error, not silently.
 */
export const SUPPORTED_HELPERS: readonly string[] = Object.freeze(['if', 'unless', 'each', 'with']);

/**
 * Mailtrap's falsiness: `undefined`, `null`, `false`, `0`, `NaN`, `""`, an empty array and an
 * empty object. JS Handlebars treats `{}` as truthy everywhere and `0` as truthy in `#with`.
 */
export function isFalsy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === '' || value === 0) return true;
  if (typeof value === 'number' && Number.isNaN(value)) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') {
    if (value instanceof Map || value instanceof Set) return value.size === 0;
    const prototype = Object.getPrototypeOf(value);
    if (prototype === Object.prototype || prototype === null) {
      for (const key in value) if (Object.hasOwn(value, key)) return false;
      return true;
    }
  }
  return false;
}

const htmlSpecial = /[&'<>"]/;
const htmlSpecials = /[&'<>"]/g;

/**
 * HTML escaping as Mailtrap's Go engine does it: `& ' < > "` only, the apostrophe as `&apos;`.
 * (JS Handlebars also escapes `` ` `` and `=` and writes `&#x27;`, which would show up literally
 * in a subject line.)
 */
export function escapeHtml(value: string): string {
  // Most values (names, addresses) have nothing to escape: tested first, without a replace.
  return htmlSpecial.test(value)
    ? value.replace(htmlSpecials, (character) => htmlEntities[character]!)
    : value;
}
const htmlEntities: Record<string, string> = {
  '&': '&amp;',
  "'": '&apos;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
};

/** A string or number as the Go engine prints it; `{{x}}` uses toHTML, `{{{x}}}` toString. */
class EngineScalar {
  readonly #printed: string;
  constructor(printed: string) {
    this.#printed = printed;
  }
  toHTML(): string {
    return escapeHtml(this.#printed);
  }
  toString(): string {
    return this.#printed;
  }
  valueOf(): string {
    return this.#printed;
  }
}

/** Numbers as Go's strconv.FormatFloat(f, 'f', -1, 64): shortest digits, never an exponent. */
export function formatNumber(value: number): string {
  const shortest = String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(shortest);
  if (!match) return shortest;
  const [, sign = '', whole = '', fraction = '', exponentText = '0'] = match;
  const digits = whole + fraction;
  const point = whole.length + Number(exponentText);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function printArray(items: readonly unknown[]): string {
  return items.map((item) => printValue(item)).join('');
}

function printValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return printArray(value);
  if (typeof value === 'number') return formatNumber(value);
  return String(value);
}

/**
 * Copies the variables into the shapes the Go engine prints: non-empty strings and numbers that
 * JS would print differently become EngineScalar, arrays print as the concatenation of their items
 * (Go) rather than `a,b` (JS). Truthiness is unchanged: only truthy values are wrapped.
 */
function toEngineValue(value: unknown, depth: number): unknown {
  if (depth > 64) return value;
  if (typeof value === 'string')
    return value === '' || !/['`=]/.test(value) ? value : new EngineScalar(value);
  if (typeof value === 'number') {
    const printed = formatNumber(value);
    return printed === String(value) ? value : new EngineScalar(printed);
  }
  if (Array.isArray(value)) {
    const copy = value.map((item) => toEngineValue(item, depth + 1));
    const printed = () => printArray(value);
    Object.defineProperty(copy, 'toString', { value: printed });
    Object.defineProperty(copy, 'toHTML', { value: () => escapeHtml(printed()) });
    return copy;
  }
  if (typeof value === 'object' && value !== null && !(value instanceof EngineScalar)) {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return value;
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // defineProperty, so that a "__proto__" key from JSON stays a plain own property.
      Object.defineProperty(copy, key, {
        value: toEngineValue(item, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return copy;
  }
  return value;
}

type HelperOptions = Handlebars.HelperOptions & { data?: Record<string, unknown> };

function createEnvironment(): typeof Handlebars {
  const environment = Handlebars.create();
  environment.unregisterHelper('lookup');
  environment.unregisterHelper('log');
  const builtInEach = environment.helpers.each as (
    this: unknown,
    context: unknown,
    options: HelperOptions,
  ) => string;

  environment.registerHelper('if', function (this: unknown, ...parameters: unknown[]) {
    if (parameters.length !== 2) throw new Handlebars.Exception('#if requires exactly one argument');
    const [conditional, options] = parameters as [unknown, HelperOptions];
    return isFalsy(conditional) ? options.inverse(this) : options.fn(this);
  });
  environment.registerHelper('unless', function (this: unknown, ...parameters: unknown[]) {
    if (parameters.length !== 2) throw new Handlebars.Exception('#unless requires exactly one argument');
    const [conditional, options] = parameters as [unknown, HelperOptions];
    return isFalsy(conditional) ? options.fn(this) : options.inverse(this);
  });
  environment.registerHelper('with', function (this: unknown, ...parameters: unknown[]) {
    if (parameters.length !== 2) throw new Handlebars.Exception('#with requires exactly one argument');
    const [context, options] = parameters as [unknown, HelperOptions];
    if (isFalsy(context)) return options.inverse(this);
    return options.fn(context, { data: options.data, blockParams: [context] });
  });
  environment.registerHelper('each', function (this: unknown, ...parameters: unknown[]) {
    if (parameters.length !== 2) throw new Handlebars.Exception('Must pass iterator to #each');
    const [context, options] = parameters as [unknown, HelperOptions];
    if (isFalsy(context)) return options.inverse(this);
    return builtInEach.call(this, context, options);
  });
  // Mustache-style sections ({{#items}}...{{/items}}) with Mailtrap's falsiness.
  environment.registerHelper(
    'blockHelperMissing',
    function (this: unknown, context: unknown, options: HelperOptions) {
      if (context === true) return options.fn(this);
      if (isFalsy(context)) return options.inverse(this);
      if (Array.isArray(context)) return builtInEach.call(this, context, options);
      return options.fn(context, { data: options.data });
    },
  );
  return environment;
}

const environment = createEnvironment();

const compileOptions: CompileOptions = {
  knownHelpers: {
    if: true,
    unless: true,
    each: true,
    with: true,
    lookup: false,
    log: false,
    helperMissing: false,
    blockHelperMissing: false,
  },
  knownHelpersOnly: true,
  strict: false,
  noEscape: false,
};

type CompileOptions = Parameters<typeof Handlebars.compile>[1];
type CompiledTemplate = (context: unknown, options?: Handlebars.RuntimeOptions) => string;

const CACHE_LIMIT = 500;
const cache = new Map<string, CompiledTemplate>();

/**
 * Compiles a source once and keeps it (least recently used out first), so a server rendering
 * every template send does not parse the same source again.
 */
function compiled(source: string): CompiledTemplate {
  const hit = cache.get(source);
  if (hit) {
    cache.delete(source);
    cache.set(source, hit);
    return hit;
  }
  const template = environment.compile(source, compileOptions) as CompiledTemplate;
  cache.set(source, template);
  if (cache.size > CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return template;
}

const fieldOf: Record<TemplatePart, keyof RenderableTemplate> = {
  subject: 'subject',
  html: 'body_html',
  text: 'body_text',
};

/** Handlebars' own wording, said in Mailtrap's terms where it is about a missing feature. */
function explain(message: string): string {
  const helper = /unknown helper (\S+)/.exec(message) ?? /Missing helper: "([^"]+)"/.exec(message);
  if (helper) {
    return `helper "${helper[1]}" does not exist in Mailtrap templates (only ${SUPPORTED_HELPERS.join(', ')}) (${message})`;
  }
  if (/partial/i.test(message)) return `partials are not supported in Mailtrap templates (${message})`;
  return message;
}

function renderPart(part: TemplatePart, source: string, engineVariables: unknown): string {
  let template: CompiledTemplate;
  try {
    template = compiled(source);
    return template(engineVariables);
  } catch (error) {
    cache.delete(source);
    const reason = explain(error instanceof Error ? error.message : String(error));
    throw new TemplateRenderError(part, `Cannot render the template's ${fieldOf[part]}: ${reason}`, {
      cause: error,
    });
  }
}

/**
 * Renders a template the way Mailtrap does: Handlebars, double braces HTML-escape in every part
 * (the subject too: `&` becomes `&amp;`), triple braces don't; empty objects and arrays are falsy;
 * only the `if`, `unless`, `each` and `with` helpers exist. Pure and synchronous.
 *
 * `html` and `text` are present only when the template has that part (a non-empty source).
 */
export function renderTemplate(
  template: RenderableTemplate,
  variables: object | null = {},
): RenderedTemplate {
  if (variables === null || variables === undefined) variables = {};
  if (typeof template !== 'object' || template === null) {
    throw new MailtrapValidationError(
      'renderTemplate: `template` must be an object with subject, body_html and body_text',
      { field: 'template' },
    );
  }
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
    throw new MailtrapValidationError(
      "renderTemplate: `variables` must be a plain object (the send's template_variables)",
      { field: 'variables' },
    );
  }
  const engineVariables = toEngineValue(variables, 0);
  const result: RenderedTemplate = {
    subject: template.subject ? renderPart('subject', template.subject, engineVariables) : '',
  };
  if (template.body_html) result.html = renderPart('html', template.body_html, engineVariables);
  if (template.body_text) result.text = renderPart('text', template.body_text, engineVariables);
  return result;
}
