import { MailtrapValidationError } from '@mailtrap-kit/core';
import { type LocalTemplate, TEMPLATE_FILES } from './folder';
import { renderTemplate, TemplateRenderError, type TemplatePart } from './render';
import { analyzeTemplate, findMissingVariables, type VariableSchema, type VariableSpec } from './schema';
import { validateTemplateInput } from './validate';

/** One thing `lint` reports about a template, with the file (and line) it is about. */
export interface LintProblem {
  level: 'error' | 'warning';
  /** The template's directory in the folder. */
  template: string;
  /** The file inside that directory, e.g. `html.hbs`. */
  file: string;
  /** The 1-based line in that file, when known. */
  line?: number;
  message: string;
}

const fileOfPart: Record<TemplatePart, string> = {
  subject: TEMPLATE_FILES.subject,
  html: TEMPLATE_FILES.html,
  text: TEMPLATE_FILES.text,
};

const fileOfField: Record<string, string> = {
  name: TEMPLATE_FILES.metadata,
  category: TEMPLATE_FILES.metadata,
  subject: TEMPLATE_FILES.subject,
  body_html: TEMPLATE_FILES.html,
  body_text: TEMPLATE_FILES.text,
};

/** The 1-based line a Handlebars error names ("Parse error on line 3:"), if any. */
function lineOfError(error: unknown): number | undefined {
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    const line = (current as { lineNumber?: unknown }).lineNumber;
    if (typeof line === 'number') return line;
    const match = /\bline (\d+)\b/.exec((current as { message?: string }).message ?? '');
    if (match) return Number(match[1]);
    if (typeof current !== 'object') break;
  }
  return undefined;
}

/**
 * Where a template error is: `{ file, line? }` inside the template's directory. For a
 * TemplateRenderError the file of its part, for a validation error the file of its field.
 */
export function locateTemplateError(error: unknown): { file: string; line?: number } {
  if (TemplateRenderError.isInstance(error)) {
    const line = lineOfError(error);
    return { file: fileOfPart[error.part], ...(line === undefined ? {} : { line }) };
  }
  if (MailtrapValidationError.isInstance(error) && error.field && fileOfField[error.field]) {
    return { file: fileOfField[error.field]! };
  }
  return { file: TEMPLATE_FILES.metadata };
}

/** `folder/dir/file:line` for a problem, relative paths as given. */
export function problemPath(
  folder: string,
  problem: Pick<LintProblem, 'template' | 'file' | 'line'>,
): string {
  return `${folder}/${problem.template}/${problem.file}${problem.line === undefined ? '' : `:${problem.line}`}`;
}

/** A schema without the optional marks: every path the template uses. */
function stripOptional(schema: VariableSchema): VariableSchema {
  const strip = (spec: VariableSpec): VariableSpec => {
    const copy: VariableSpec = { type: spec.type };
    if (spec.properties) copy.properties = stripOptional(spec.properties);
    if (spec.items) copy.items = strip(spec.items);
    return copy;
  };
  return Object.fromEntries(Object.entries(schema).map(([name, spec]) => [name, strip(spec)]));
}

/** Sample values the template never uses (often a misspelled variable name), by path. */
function unusedSampleValues(schema: VariableSchema, sample: unknown, prefix = ''): string[] {
  if (typeof sample !== 'object' || sample === null || Array.isArray(sample)) return [];
  const unused: string[] = [];
  for (const [name, value] of Object.entries(sample)) {
    const path = prefix ? `${prefix}.${name}` : name;
    const spec = schema[name];
    if (!spec) unused.push(path);
    else if (spec.type === 'object' && spec.properties)
      unused.push(...unusedSampleValues(spec.properties, value, path));
    else if (
      spec.type === 'array' &&
      spec.items?.type === 'object' &&
      spec.items.properties &&
      Array.isArray(value)
    ) {
      const properties = spec.items.properties;
      const seen = new Set<string>();
      for (const item of value) {
        for (const itemPath of unusedSampleValues(properties, item, `${path}[]`)) seen.add(itemPath);
      }
      unused.push(...seen);
    }
  }
  return unused;
}

/**
 * The problems that stop a template from rendering on Mailtrap — a syntax error, a helper Mailtrap
 * lacks, a partial — located by file and line, with the analysis when the template parses.
 */
export function syntaxProblems(template: LocalTemplate): {
  problems: LintProblem[];
  analysis?: ReturnType<typeof analyzeTemplate>;
} {
  const problems: LintProblem[] = [];
  let analysis: ReturnType<typeof analyzeTemplate>;
  try {
    analysis = analyzeTemplate(template);
  } catch (error) {
    problems.push({
      level: 'error',
      template: template.directory,
      ...locateTemplateError(error),
      message: (error as Error).message,
    });
    return { problems };
  }
  const at = (part: TemplatePart, line: number | undefined) => ({
    level: 'error' as const,
    template: template.directory,
    file: fileOfPart[part],
    ...(line === undefined ? {} : { line }),
  });
  for (const helper of analysis.unknownHelpers) {
    problems.push({
      ...at(helper.part, helper.line),
      message: `helper "${helper.name}" does not exist in Mailtrap templates (only if, unless, each, with)`,
    });
  }
  for (const feature of analysis.unsupported) {
    problems.push({
      ...at(feature.part, feature.line),
      message: `${feature.feature}s are not supported by Mailtrap templates`,
    });
  }
  return { problems, analysis };
}

/**
 * What `lint` reports for one template: Mailtrap's limits, syntax errors, helpers Mailtrap lacks,
 * partials; and, when the template has a sample.json, variables it lacks (errors when required)
 * and values the template does not use. Without sample.json there is nothing to compare (it is
 * optional). `push` refuses a folder with any error.
 */
export function lintTemplate(template: LocalTemplate): LintProblem[] {
  const problems: LintProblem[] = [];
  const add = (level: LintProblem['level'], where: { file: string; line?: number }, message: string) =>
    problems.push({ level, template: template.directory, ...where, message });
  try {
    validateTemplateInput(template);
  } catch (error) {
    add('error', locateTemplateError(error), (error as Error).message);
  }
  const syntax = syntaxProblems(template);
  problems.push(...syntax.problems);
  const analysis = syntax.analysis;
  if (!analysis) return problems;
  const sample = template.sample;
  if (sample !== undefined) {
    const where = { file: TEMPLATE_FILES.sample };
    const required = new Set(findMissingVariables(analysis.variables, sample).map((missing) => missing.path));
    for (const missing of findMissingVariables(stripOptional(analysis.variables), sample)) {
      if (required.has(missing.path)) add('error', where, `variable "${missing.path}" has no sample value`);
      else add('warning', where, `optional variable "${missing.path}" has no sample value`);
    }
    for (const path of unusedSampleValues(analysis.variables, sample)) {
      add('warning', where, `has "${path}", which the template does not use (a misspelled name?)`);
    }
  }
  if (problems.every((problem) => problem.level === 'warning')) {
    try {
      renderTemplate(template, sample ?? {});
    } catch (error) {
      add('error', locateTemplateError(error), (error as Error).message);
    }
  }
  return problems;
}
