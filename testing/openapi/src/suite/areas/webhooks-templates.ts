import { idOf, uniqueName, unknownId } from '../helpers.js';
import type { AccountApiAreaCases } from '../types.js';

export const webhooks: AccountApiAreaCases = {
  area: 'webhooks',
  cases: [
    {
      method: 'webhooks.create',
      operation: 'createWebhook',
      // `state.webhookUrl`: a target may accept only its own kind of URL (the emulator: loopback)
      run: (api, state) =>
        api.create({
          url: state.webhookUrl ?? 'https://example.com/mailtrap/webhooks',
          webhook_type: 'email_sending',
          payload_format: 'json',
          sending_stream: 'transactional',
          event_types: ['delivery', 'bounce'],
        }),
      keep: (result, state) => {
        state.webhookId = idOf(result);
      },
    },
    { method: 'webhooks.list', operation: 'listWebhooks', run: (api) => api.list() },
    {
      method: 'webhooks.get',
      operation: 'getWebhook',
      run: (api, state) => api.get(state.webhookId),
      missing: (api) => api.get(unknownId),
    },
    {
      method: 'webhooks.update',
      operation: 'updateWebhook',
      run: (api, state) => api.update(state.webhookId, { active: false }),
      missing: (api) => api.update(unknownId, { active: false }),
    },
    {
      method: 'webhooks.delete',
      operation: 'deleteWebhook',
      run: (api, state) => api.delete(state.webhookId),
      missing: (api) => api.delete(unknownId),
    },
  ],
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
  cases: [
    {
      method: 'templates.create',
      operation: 'createEmailTemplate',
      run: (api) => api.create(template()),
      keep: (result, state) => {
        state.templateId = idOf(result);
      },
    },
    { method: 'templates.list', operation: 'emailTemplates', run: (api) => api.list() },
    {
      method: 'templates.get',
      operation: 'getEmailTemplate',
      run: (api, state) => api.get(state.templateId),
      missing: (api) => api.get(unknownId),
    },
    {
      method: 'templates.update',
      operation: 'updateEmailTemplate',
      run: (api, state) => api.update(state.templateId, template()),
      missing: (api) => api.update(unknownId, template()),
    },
    {
      method: 'templates.delete',
      operation: 'deleteEmailTemplate',
      run: (api, state) => api.delete(state.templateId),
      missing: (api) => api.delete(unknownId),
    },
  ],
};
