import type { TypedTemplateSource } from '../codegen';

/** The templates the committed `types.ts` fixture is generated from (kept in sync by codegen.test.ts). */
export const fixtureTemplates: TypedTemplateSource[] = [
  {
    name: 'Order shipped',
    uuid: '6f1c2a4e-8b3d-4f5a-9c7e-1d2b3a4c5e6f',
    subject: 'Order {{order.number}} is on its way, {{customer.first_name}}',
    body_html:
      '<h1>Hi {{customer.first_name}}</h1>{{#each order.items}}<p>{{name}} x {{quantity}} {{../order.currency}}</p>{{else}}<p>No items</p>{{/each}}' +
      '{{#if coupon}}<p>Next time use {{coupon.code}}</p>{{/if}}{{#with tracking}}<a href="{{url}}">{{carrier}}</a>{{/with}}',
    body_text: 'Order {{order.number}}: {{#each tags}}{{this}} {{/each}}',
  },
  {
    name: 'Password reset',
    uuid: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    subject: 'Reset your password',
    body_text: 'Open {{reset_link}} within {{expires_in_minutes}} minutes.{{#unless mfa}} Turn on two-factor sign-in.{{/unless}}',
  },
];
