import { MailtrapValidationError, markErrorClass, type SendMail } from '@mailtrap-kit/core';
import { findMissingVariables, type MissingVariable, type VariableSchema } from './schema';

/** The message fields a template send may set: everything but what the template owns. */
export type TemplateMessageOptions<Variables> = Omit<
  SendMail,
  'subject' | 'text' | 'html' | 'category' | 'template_uuid' | 'template_variables'
> & {
  /** The template's variables (sent as `template_variables`). */
  variables: Variables;
};

export interface DefineTemplateOptions {
  /** The template's uuid, as sends reference it (`template_uuid`). */
  uuid: string;
  /** The template's name, for messages. */
  name?: string;
  /** The variables the template uses (from `deriveVariableSchema`); enables the runtime check. */
  schema?: VariableSchema;
}

/** The result of checking variables against a template's schema. */
export interface TemplateCheckResult {
  ok: boolean;
  missing: MissingVariable[];
}

/** A template with typed variables: build sends and check variables before they are sent. */
export interface TemplateDefinition<Variables> {
  readonly uuid: string;
  readonly name: string | undefined;
  readonly schema: VariableSchema | undefined;
  /**
   * A `SendMail` for core's `client.send` with `template_uuid` and `template_variables`.
   * Throws TemplateVariablesError when the schema is known and a required variable is missing.
   */
  message(options: TemplateMessageOptions<Variables>): SendMail;
  /** The variables with the schema's required variables checked (none missing = `ok`). */
  check(variables: Variables): TemplateCheckResult;
  /** Like `check`, but throws TemplateVariablesError when a variable is missing. */
  assert(variables: Variables): void;
}

/**
 * Variables a template needs are missing; nothing was sent. A `MailtrapValidationError` (code
 * `validation`) whose `field` is the first missing variable's path below `template_variables`.
 */
export class TemplateVariablesError extends MailtrapValidationError {
  static {
    markErrorClass(TemplateVariablesError, 'TemplateVariablesError');
  }
  readonly uuid: string;
  readonly missing: MissingVariable[];

  constructor(uuid: string, templateName: string | undefined, missing: MissingVariable[]) {
    const label = templateName ? `"${templateName}" (${uuid})` : uuid;
    super(
      `Template ${label} is missing ${missing.length === 1 ? 'the variable' : 'the variables'} ${missing
        .map((variable) => variable.path)
        .join(', ')}: pass ${missing.length === 1 ? 'it' : 'them'} in \`variables\``,
      { field: `template_variables.${missing[0]?.path ?? ''}` },
    );
    this.uuid = uuid;
    this.missing = missing;
  }
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A template with typed variables: `defineTemplate<WelcomeVariables>({ uuid })`. A send built with
 * `template.message({ from, to, variables })` fails to type-check when a variable is missing or
 * misspelled, and (given a `schema`) is checked at runtime before anything is sent.
 */
export function defineTemplate<Variables extends object = Record<string, unknown>>(
  options: DefineTemplateOptions,
): TemplateDefinition<Variables> {
  if (typeof options?.uuid !== 'string' || !uuidPattern.test(options.uuid)) {
    throw new MailtrapValidationError(
      `defineTemplate: \`uuid\` must be the template's uuid (like 3fa85f64-5717-4562-b3fc-2c963f66afa6), got ${JSON.stringify(options?.uuid)}`,
      { field: 'uuid' },
    );
  }
  const { uuid, name, schema } = options;
  const check = (variables: Variables): TemplateCheckResult => {
    if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
      throw new MailtrapValidationError(
        '`variables` must be an object (the template_variables of the send)',
        {
          field: 'variables',
        },
      );
    }
    const missing = schema ? findMissingVariables(schema, variables) : [];
    return { ok: missing.length === 0, missing };
  };
  const assert = (variables: Variables): void => {
    const result = check(variables);
    if (!result.ok) throw new TemplateVariablesError(uuid, name, result.missing);
  };
  return Object.freeze({
    uuid,
    name,
    schema,
    check,
    assert,
    message(messageOptions: TemplateMessageOptions<Variables>): SendMail {
      const { variables, ...rest } = messageOptions;
      for (const owned of ['subject', 'text', 'html', 'category', 'template_uuid', 'template_variables']) {
        if (owned in rest) {
          throw new MailtrapValidationError(
            `\`${owned}\` cannot be set on a template send: the template has it (Mailtrap rejects it with template_uuid)`,
            { field: owned },
          );
        }
      }
      assert(variables);
      return { ...rest, template_uuid: uuid, template_variables: variables as Record<string, unknown> };
    },
  });
}
