import Handlebars from 'handlebars';
import { type RenderableTemplate, SUPPORTED_HELPERS, TemplateRenderError, type TemplatePart } from './render';

/**
 * What a template does with one variable:
 * - `value`: printed (`{{name}}`): a string, number or boolean;
 * - `object`: has properties used (`{{user.name}}`, `{{#with user}}`);
 * - `array`: iterated with `{{#each}}`; `items` describes one element;
 * - `any`: only tested (`{{#if coupon}}`), any value will do.
 * `optional` is set when the template works without it (only tested, guarded by an `#if`
 * on the same path, or an `#each`/`#with` that has an `{{else}}`).
 */
export interface VariableSpec {
  type: 'value' | 'object' | 'array' | 'any';
  optional?: boolean;
  properties?: VariableSchema;
  items?: VariableSpec;
}

/** The variables of a template by name (the top level of `template_variables`). */
export type VariableSchema = { [name: string]: VariableSpec };

/** What a template uses: its variables, and what Mailtrap would not render. */
export interface TemplateAnalysis {
  variables: VariableSchema;
  /** Helpers the template calls that Mailtrap does not have (e.g. `lookup`, `formatDate`), with the part and line. */
  unknownHelpers: Array<{ name: string; part: TemplatePart; line?: number }>;
  /** Partials (`{{> name}}`) and decorators, which Mailtrap templates cannot use, with the part and line. */
  unsupported: Array<{ feature: string; part: TemplatePart; line?: number }>;
}

const ITEM = '\u0000item';

interface Node {
  printed: boolean;
  required: boolean;
  properties: Map<string, Node>;
  items?: Node;
}

interface Scope {
  path: string[];
  blockParams: Map<string, string[] | null>;
}

function newNode(): Node {
  return { printed: false, required: false, properties: new Map() };
}

/** The 1-based line of a node in its part's source, when Handlebars recorded it. */
function lineOf(node: { loc?: hbs.AST.SourceLocation }): { line?: number } {
  const line = node.loc?.start.line;
  return typeof line === 'number' ? { line } : {};
}

type HelperName = 'if' | 'unless' | 'each' | 'with';
const supported = new Set<string>(SUPPORTED_HELPERS);

class Analyzer {
  readonly root = newNode();
  readonly unknownHelpers: TemplateAnalysis['unknownHelpers'] = [];
  readonly unsupported: TemplateAnalysis['unsupported'] = [];
  part: TemplatePart = 'subject';

  analyze(part: TemplatePart, source: string): void {
    this.part = part;
    let program: hbs.AST.Program;
    try {
      program = Handlebars.parse(source);
    } catch (error) {
      const field = part === 'subject' ? 'subject' : part === 'html' ? 'body_html' : 'body_text';
      const reason = error instanceof Error ? error.message : String(error);
      throw new TemplateRenderError(part, `Cannot parse the template's ${field}: ${reason}`, {
        cause: error,
      });
    }
    this.program(program, [{ path: [], blockParams: new Map() }], []);
  }

  private program(program: hbs.AST.Program | undefined, scopes: Scope[], guards: string[][]): void {
    if (!program) return;
    for (const statement of program.body) this.statement(statement, scopes, guards);
  }

  private statement(statement: hbs.AST.Statement, scopes: Scope[], guards: string[][]): void {
    switch (statement.type) {
      case 'MustacheStatement': {
        const mustache = statement as hbs.AST.MustacheStatement;
        if (this.isHelperCall(mustache)) {
          this.helperCall(mustache.path, mustache.params, mustache.hash, scopes, guards);
        } else if (mustache.path.type === 'PathExpression') {
          this.use(this.resolve(mustache.path as hbs.AST.PathExpression, scopes), 'print', guards);
        }
        return;
      }
      case 'BlockStatement':
        this.block(statement as hbs.AST.BlockStatement, scopes, guards);
        return;
      case 'PartialStatement':
      case 'PartialBlockStatement':
        this.unsupported.push({ feature: 'partial', part: this.part, ...lineOf(statement) });
        return;
      case 'DecoratorBlock':
      case 'Decorator':
        this.unsupported.push({ feature: 'decorator', part: this.part, ...lineOf(statement) });
        return;
      default:
        return;
    }
  }

  private isHelperCall(mustache: { params: hbs.AST.Expression[]; hash?: hbs.AST.Hash }): boolean {
    return mustache.params.length > 0 || (mustache.hash?.pairs.length ?? 0) > 0;
  }

  private helperName(path: hbs.AST.Expression): string | undefined {
    if (path.type !== 'PathExpression') return undefined;
    const expression = path as hbs.AST.PathExpression;
    if (expression.data || expression.depth > 0 || expression.parts.length !== 1) return undefined;
    return expression.original;
  }

  /** A call of a helper Mailtrap does not have: record it; its arguments are printed-ish values. */
  private helperCall(
    path: hbs.AST.Expression,
    params: hbs.AST.Expression[],
    hash: hbs.AST.Hash | undefined,
    scopes: Scope[],
    guards: string[][],
  ): void {
    const name = this.helperName(path) ?? (path as hbs.AST.PathExpression).original ?? 'helper';
    if (!supported.has(name)) this.unknownHelpers.push({ name, part: this.part, ...lineOf(path) });
    for (const parameter of [...params, ...(hash?.pairs.map((pair) => pair.value) ?? [])]) {
      this.expression(parameter, scopes, guards);
    }
  }

  private expression(expression: hbs.AST.Expression, scopes: Scope[], guards: string[][]): void {
    if (expression.type === 'PathExpression') {
      this.use(this.resolve(expression as hbs.AST.PathExpression, scopes), 'print', guards);
    } else if (expression.type === 'SubExpression') {
      const sub = expression as hbs.AST.SubExpression;
      this.helperCall(sub.path, sub.params, sub.hash, scopes, guards);
    }
  }

  private block(block: hbs.AST.BlockStatement, scopes: Scope[], guards: string[][]): void {
    const name = this.helperName(block.path);
    const hasElse = (block.inverse?.body.length ?? 0) > 0;
    const first = block.params[0];
    const target =
      first?.type === 'PathExpression' ? this.resolve(first as hbs.AST.PathExpression, scopes) : undefined;

    if (name !== undefined && supported.has(name) && block.params.length === 1) {
      switch (name as HelperName) {
        case 'if':
        case 'unless': {
          if (first?.type === 'SubExpression') this.expression(first, scopes, guards);
          if (target) this.use(target, 'test', guards);
          const guarded = target ? [...guards, target] : guards;
          this.program(block.program, scopes, name === 'if' ? guarded : guards);
          this.program(block.inverse, scopes, name === 'unless' ? guarded : guards);
          return;
        }
        case 'each': {
          if (first?.type === 'SubExpression') this.expression(first, scopes, guards);
          if (!target) {
            this.program(block.program, scopes, guards);
          } else {
            this.use([...target, ITEM], 'traverse', hasElse ? [...guards, target] : guards);
            const parameters = new Map<string, string[] | null>();
            const [itemName, indexName] = block.program.blockParams ?? [];
            if (itemName) parameters.set(itemName, [...target, ITEM]);
            if (indexName) parameters.set(indexName, null);
            this.program(
              block.program,
              [...scopes, { path: [...target, ITEM], blockParams: parameters }],
              [...guards, target],
            );
          }
          this.program(block.inverse, scopes, guards);
          return;
        }
        case 'with': {
          if (first?.type === 'SubExpression') this.expression(first, scopes, guards);
          if (!target) {
            this.program(block.program, scopes, guards);
          } else {
            if (!hasElse) this.use(target, 'traverse', guards);
            else this.use(target, 'test', guards);
            const parameters = new Map<string, string[] | null>();
            const [contextName] = block.program.blockParams ?? [];
            if (contextName) parameters.set(contextName, target);
            this.program(
              block.program,
              [...scopes, { path: target, blockParams: parameters }],
              [...guards, target],
            );
          }
          this.program(block.inverse, scopes, guards);
          return;
        }
      }
    }

    if (
      block.params.length === 0 &&
      (block.hash?.pairs.length ?? 0) === 0 &&
      block.path.type === 'PathExpression'
    ) {
      // A mustache-style section ({{#items}}...{{/items}}): runs when truthy, with the value as context.
      const section = this.resolve(block.path as hbs.AST.PathExpression, scopes);
      if (section) {
        this.use(section, 'test', guards);
        this.program(
          block.program,
          [...scopes, { path: section, blockParams: new Map() }],
          [...guards, section],
        );
        this.program(block.inverse, scopes, guards);
        return;
      }
    }

    this.helperCall(block.path, block.params, block.hash, scopes, guards);
    this.program(block.program, scopes, guards);
    this.program(block.inverse, scopes, guards);
  }

  /** The absolute path a path expression refers to, or undefined for data variables (`@index`). */
  private resolve(expression: hbs.AST.PathExpression, scopes: Scope[]): string[] | undefined {
    const parts = [...expression.parts];
    if (expression.data) {
      if (parts[0] === 'root') return parts.slice(1);
      return undefined;
    }
    const explicitThis = /^(this|\.)(\/|\.|$)/.test(expression.original);
    if (expression.depth === 0 && !explicitThis && parts.length > 0) {
      for (let index = scopes.length - 1; index >= 0; index -= 1) {
        const scope = scopes[index]!;
        if (scope.blockParams.has(parts[0]!)) {
          const base = scope.blockParams.get(parts[0]!);
          return base ? [...base, ...parts.slice(1)] : undefined;
        }
      }
    }
    const scopeIndex = scopes.length - 1 - expression.depth;
    if (scopeIndex < 0) return undefined;
    return [...scopes[scopeIndex]!.path, ...parts];
  }

  /**
   * Records one use of a path: `print` (printed value), `test` (only its truthiness matters),
   * `traverse` (the path must exist: walked into by #each/#with).
   */
  private use(path: string[] | undefined, kind: 'print' | 'test' | 'traverse', guards: string[][]): void {
    if (!path || path.length === 0) {
      if (path && kind === 'print') this.root.printed = true;
      return;
    }
    let node = this.root;
    for (let index = 0; index < path.length; index += 1) {
      const segment = path[index]!;
      let next: Node | undefined;
      if (segment === ITEM) {
        node.items ??= newNode();
        next = node.items;
      } else {
        next = node.properties.get(segment);
        if (!next) {
          next = newNode();
          node.properties.set(segment, next);
        }
      }
      const prefix = path.slice(0, index + 1);
      const guarded = guards.some((guard) => samePath(guard, prefix));
      if (kind !== 'test' && !guarded) next.required = true;
      node = next;
    }
    if (kind === 'print') node.printed = true;
  }
}

function samePath(left: string[], right: string[]): boolean {
  return left.length === right.length && left.every((segment, index) => segment === right[index]);
}

function toSpec(node: Node, optional: boolean): VariableSpec {
  let spec: VariableSpec;
  if (node.items) spec = { type: 'array', items: toSpec(node.items, false) };
  else if (node.properties.size > 0) spec = { type: 'object', properties: toSchema(node) };
  else if (node.printed) spec = { type: 'value' };
  else spec = { type: 'any' };
  if (optional) spec.optional = true;
  return spec;
}

function toSchema(node: Node): VariableSchema {
  const schema: VariableSchema = {};
  for (const [name, child] of node.properties) schema[name] = toSpec(child, !child.required);
  return schema;
}

/**
 * Reads a template's subject, HTML and text and works out the variables it uses (paths, `#each`
 * as arrays, `#with`/`#if` scopes, `this`, `../` parent paths, `@root`, block parameters), the
 * helpers Mailtrap does not have and the features it cannot render. Throws TemplateRenderError
 * on a syntax error.
 */
export function analyzeTemplate(template: RenderableTemplate): TemplateAnalysis {
  const analyzer = new Analyzer();
  if (template.subject) analyzer.analyze('subject', template.subject);
  if (template.body_html) analyzer.analyze('html', template.body_html);
  if (template.body_text) analyzer.analyze('text', template.body_text);
  return {
    variables: toSchema(analyzer.root),
    unknownHelpers: analyzer.unknownHelpers,
    unsupported: analyzer.unsupported,
  };
}

/** The variable schema of a template: what `template_variables` must contain. */
export function deriveVariableSchema(template: RenderableTemplate): VariableSchema {
  return analyzeTemplate(template).variables;
}

/** One variable the values lack, by path (`user.name`, `items[2].price`). */
export interface MissingVariable {
  path: string;
  expected: VariableSpec['type'];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function collectMissing(
  schema: VariableSchema,
  values: unknown,
  prefix: string,
  missing: MissingVariable[],
): void {
  const record = isObject(values) ? values : {};
  for (const [name, spec] of Object.entries(schema)) {
    const path = prefix ? `${prefix}.${name}` : name;
    checkValue(spec, record[name], path, missing);
  }
}

function checkValue(spec: VariableSpec, value: unknown, path: string, missing: MissingVariable[]): void {
  if (value === undefined || value === null) {
    if (!spec.optional) missing.push({ path, expected: spec.type });
    return;
  }
  if (spec.type === 'object' && spec.properties) collectMissing(spec.properties, value, path, missing);
  if (spec.type === 'array' && spec.items && Array.isArray(value)) {
    for (const [index, item] of value.entries()) checkValue(spec.items, item, `${path}[${index}]`, missing);
  }
  if (spec.type === 'array' && !Array.isArray(value)) missing.push({ path, expected: 'array' });
}

/**
 * The variables a template needs that `values` does not have (absent or null), by path.
 * An array's elements are checked one by one (`items[1].name`); optional variables may be absent.
 */
export function findMissingVariables(schema: VariableSchema, values: unknown): MissingVariable[] {
  const missing: MissingVariable[] = [];
  collectMissing(schema, values, '', missing);
  return missing;
}
