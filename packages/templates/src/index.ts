export {
  isFalsy,
  renderTemplate,
  SUPPORTED_HELPERS,
  TemplateRenderError,
  type RenderableTemplate,
  type RenderedTemplate,
  type TemplatePart,
} from './render';
