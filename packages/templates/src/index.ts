export {
  isFalsy,
  renderTemplate,
  SUPPORTED_HELPERS,
  TemplateRenderError,
  type RenderableTemplate,
  type RenderedTemplate,
  type TemplatePart,
} from './render';
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
  directoryName,
  type LocalTemplate,
  readTemplatesFolder,
  TEMPLATE_FILES,
  type TemplateContent,
  TemplatesFolderError,
  writeTemplateDirectory,
} from './folder';
