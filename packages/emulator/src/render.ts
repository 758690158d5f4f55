import type { RenderedContent } from './types';

export interface RenderableTemplate {
  subject?: string | null;
  body_html?: string | null;
  body_text?: string | null;
}

/**
 * Renders a stored template with a send's `template_variables`. The one place the emulator
 * renders: it will call `renderTemplate` from @mailtrap-kit/templates (the renderer the templates
 * package uses, so both agree) once that package exports it.
 */
export function renderStoredTemplate(
  template: RenderableTemplate,
  variables: Record<string, unknown> | undefined,
): RenderedContent {
  return fallbackRender(template, variables ?? {});
}

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
  '`': '&#x60;',
  '=': '&#x3D;',
};

function lookup(variables: Record<string, unknown>, path: string): unknown {
  let value: unknown = variables;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function interpolate(source: string, variables: Record<string, unknown>): string {
  return source.replace(/\{\{(\{?)\s*([\w.]+)\s*\}?\}\}/g, (_match, raw: string, path: string) => {
    const value = lookup(variables, path);
    if (value === undefined || value === null) return '';
    const text = String(value);
    return raw ? text : text.replace(/[&<>"'`=]/g, (character) => escapes[character]!);
  });
}

function fallbackRender(template: RenderableTemplate, variables: Record<string, unknown>): RenderedContent {
  const result: RenderedContent = { subject: interpolate(template.subject ?? '', variables) };
  if (template.body_html) result.html = interpolate(template.body_html, variables);
  if (template.body_text) result.text = interpolate(template.body_text, variables);
  return result;
}
