import { renderTemplate } from '@mailtrap-kit/templates';
import type { RenderedContent } from './types';

export interface RenderableTemplate {
  subject?: string | null;
  body_html?: string | null;
  body_text?: string | null;
}

/**
 * Renders a stored template with a send's `template_variables`: the one place the emulator
 * renders, with the templates package's renderer so that both agree with each other.
 * Throws TemplateRenderError (from @mailtrap-kit/templates) on a template that cannot render.
 */
export function renderStoredTemplate(
  template: RenderableTemplate,
  variables: Record<string, unknown> | undefined,
): RenderedContent {
  return renderTemplate(template, variables ?? {});
}
