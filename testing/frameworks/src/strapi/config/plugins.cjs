// config/plugins.js of a Strapi app, as the README shows it (CommonJS, as Strapi's config files are).
const { MailtrapTransport } = require('@mailtrap-kit/nodemailer-transport');

module.exports = ({ env }) => ({
  email: {
    config: {
      provider: 'nodemailer',
      providerOptions: MailtrapTransport({ token: env('MAILTRAP_API_TOKEN') }),
      settings: { defaultFrom: 'shop@example.com', defaultReplyTo: 'support@example.com' },
    },
  },
});
