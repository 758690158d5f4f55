import { type EmailTemplateInput, MailtrapValidationError } from '@mailtrap-kit/core';

/** Mailtrap's limit for a template's name, subject and category. */
const MAX_FIELD_LENGTH = 255;

/** Checks a template before it is sent: required fields and Mailtrap's 255-character limits. */
export function validateTemplateInput(
  input: { [Field in keyof EmailTemplateInput]?: EmailTemplateInput[Field] | null },
  partial = false,
): void {
  for (const field of ['name', 'subject', 'category'] as const) {
    const value = input[field];
    if (value === undefined && partial) continue;
    if (typeof value !== 'string' || value.trim() === '') {
      throw new MailtrapValidationError(`Template \`${field}\` must be a non-empty string`, { field });
    }
    if (value.length > MAX_FIELD_LENGTH) {
      throw new MailtrapValidationError(
        `Template \`${field}\` is ${value.length} characters long; Mailtrap allows at most ${MAX_FIELD_LENGTH}`,
        { field },
      );
    }
  }
  for (const field of ['body_html', 'body_text'] as const) {
    const value = input[field];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw new MailtrapValidationError(`Template \`${field}\` must be a string`, { field });
    }
  }
  if (!partial && !input.body_html && !input.body_text) {
    throw new MailtrapValidationError('A template needs `body_html` or `body_text`', { field: 'body_html' });
  }
}
