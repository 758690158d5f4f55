import { crudCases } from './crud.js';
import { uniqueName } from '../helpers.js';
import type { AccountApiAreaCases } from '../types.js';

export const webhooks: AccountApiAreaCases = {
  area: 'webhooks',
  cases: crudCases({
    area: 'webhooks',
    idKey: 'webhookId',
    operations: {
      create: 'createWebhook',
      list: 'listWebhooks',
      get: 'getWebhook',
      update: 'updateWebhook',
      delete: 'deleteWebhook',
    },
    // `state.webhookUrl`: a target may accept only its own kind of URL (the emulator: loopback)
    create: (state) => ({
      url: state.webhookUrl ?? 'https://example.com/mailtrap/webhooks',
      webhook_type: 'email_sending',
      payload_format: 'json',
      sending_stream: 'transactional',
      event_types: ['delivery', 'bounce'],
    }),
    update: () => ({ active: false }),
  }),
};

const template = () => ({
  name: uniqueName('suite-template'),
  category: 'Suite',
  subject: 'Hello {{name}}',
  body_text: 'Hello {{name}}',
  body_html: '<p>Hello {{name}}</p>',
});

export const templates: AccountApiAreaCases = {
  area: 'templates',
  cases: crudCases({
    area: 'templates',
    idKey: 'templateId',
    operations: {
      create: 'createEmailTemplate',
      list: 'emailTemplates',
      get: 'getEmailTemplate',
      update: 'updateEmailTemplate',
      delete: 'deleteEmailTemplate',
    },
    create: template,
    update: template,
  }),
};
