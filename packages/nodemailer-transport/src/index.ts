import './augment';
export { createMailtrapTransport, MailtrapNodemailerTransport, MailtrapTransport } from './transport';
export type { MapMessageOptions, MappedMessage, NodemailerMailMessage } from './mapping';
export { mapMessage } from './mapping';
export type {
  BatchingOptions,
  MailtrapMessageOptions,
  MailtrapSentMessageInfo,
  MailtrapTransportClient,
  MailtrapTransportSettings,
} from './types';
