export {
  isFalsy,
  renderTemplate,
  SUPPORTED_HELPERS,
  TemplateRenderError,
  type RenderableTemplate,
  type RenderedTemplate,
  type TemplatePart,
} from './render';
export { type CompiledTemplate, compileTemplate } from './compile';
export {
  analyzeTemplate,
  deriveVariableSchema,
  findMissingVariables,
  type MissingVariable,
  type TemplateAnalysis,
  type VariableSchema,
  type VariableSpec,
} from './schema';
export { generateTypes, type GenerateTypesOptions, type TypedTemplateSource } from './codegen';
export {
  contentHash,
  directoryName,
  type LocalTemplate,
  readTemplatesFolder,
  TEMPLATE_FILES,
  type TemplateContent,
  TemplatesFolderError,
  writeTemplateDirectory,
} from './folder';
export {
  type DefineTemplateOptions,
  defineTemplate,
  type TemplateCheckResult,
  type TemplateDefinition,
  type TemplateMessageOptions,
  TemplateVariablesError,
} from './define';
export { initTemplatesFolder, STARTER_TEMPLATE } from './init';
export { type LintProblem, lintTemplate, locateTemplateError, syntaxProblems } from './lint';
export {
  formatPullResult,
  formatPushPlan,
  type PullResult,
  type PushChange,
  type PushPlan,
  type PushResult,
  planPush,
  pullTemplates,
  pushTemplates,
  type TemplateField,
  type TemplateFieldChange,
  type TemplatesClient,
  TemplatesLintError,
  type TemplatesSyncOptions,
} from './sync';
export { validateTemplateInput } from './validate';
