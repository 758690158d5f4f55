import { accountAccessesOperations } from './account-accesses';
import { accountsOperations } from './accounts';
import { apiTokensOperations } from './api-tokens';
import { billingOperations } from './billing';
import type { OperationDefinition } from './call';
import { contactEventsOperations } from './contact-events';
import { contactExportsOperations } from './contact-exports';
import { contactFieldsOperations } from './contact-fields';
import { contactImportsOperations } from './contact-imports';
import { contactListsOperations } from './contact-lists';
import { contactsOperations } from './contacts';
import { domainsOperations } from './domains';
import { emailLogsOperations } from './email-logs';
import { inboundFoldersOperations } from './inbound-folders';
import { inboundInboxesOperations } from './inbound-inboxes';
import { inboundMessagesOperations } from './inbound-messages';
import { permissionsOperations } from './permissions';
import { projectsOperations } from './projects';
import { sandboxAttachmentsOperations } from './sandbox-attachments';
import { sandboxMessagesOperations } from './sandbox-messages';
import { sandboxesOperations } from './sandboxes';
import { statsOperations } from './stats';
import { subAccountsOperations } from './sub-accounts';
import { suppressionsOperations } from './suppressions';
import { templatesOperations } from './templates';
import { webhooksOperations } from './webhooks';

/** One operation of the vendor specs and the core method that calls it. */
export interface RegisteredOperation {
  /** The spec's operationId. */
  operationId: string;
  /** The spec file (without `.openapi.yml`) where an operationId is in several specs (sending). */
  spec?: string;
  /** The client property (`domains`); empty for the methods on the client itself (`send`). */
  namespace: string;
  /** The method name (`list`). */
  method: string;
  /** The official `mailtrap` package's method for the same operation, where it has one. */
  official?: string;
  /** How the method is called: HTTP method and path below `/api`. */
  http: string;
}

type Area = Record<string, OperationDefinition>;

function area(
  namespace: string,
  operations: Area,
  official: Record<string, string> = {},
): RegisteredOperation[] {
  return Object.entries(operations).map(([method, operation]) => ({
    operationId: operation.operationId,
    namespace,
    method,
    ...(official[method] ? { official: official[method] } : {}),
    http: `${operation.method} ${operation.path}`,
  }));
}

function sending(
  spec: string,
  operationId: string,
  method: string,
  http: string,
  official: string,
): RegisteredOperation {
  return { operationId, spec, namespace: '', method, official, http };
}

const crud = (prefix: string) => ({
  list: `${prefix}.getList`,
  get: `${prefix}.get`,
  create: `${prefix}.create`,
  update: `${prefix}.update`,
  delete: `${prefix}.delete`,
});

/**
 * Every core method of the Mailtrap API and its operation in the vendor specs. The spec drift test
 * (`registry.test.ts`) compares it with the operations of `openapi/`: an operation without a method,
 * or a method without an operation, fails it. The README's operation table is generated from it.
 */
export const OPERATION_REGISTRY: readonly RegisteredOperation[] = Object.freeze([
  sending('email-sending-transactional', 'sendEmail', 'send', 'POST /send', 'send'),
  sending('email-sending-transactional', 'batchSendEmail', 'batchSend', 'POST /batch', 'batchSend'),
  sending('email-sending-bulk', 'sendBulkEmail', 'send', 'POST /send (stream: bulk)', 'send (bulk: true)'),
  sending(
    'email-sending-bulk',
    'batchSendEmail',
    'batchSend',
    'POST /batch (stream: bulk)',
    'batchSend (bulk: true)',
  ),
  sending(
    'sandbox-sending',
    'sendEmail',
    'send',
    'POST /send/{sandbox_id} (stream: sandbox)',
    'send (sandbox: true)',
  ),
  sending(
    'sandbox-sending',
    'batchSendEmail',
    'batchSend',
    'POST /batch/{sandbox_id} (stream: sandbox)',
    'batchSend (sandbox: true)',
  ),
  ...area('domains', domainsOperations, {
    ...crud('sendingDomains'),
    sendSetupInstructions: 'sendingDomains.sendSetupInstructions',
    getCompanyInfo: 'companyInfo.get',
    createCompanyInfo: 'companyInfo.create',
    updateCompanyInfo: 'companyInfo.update',
  }),
  ...area('apiTokens', apiTokensOperations, { ...crud('apiTokens'), reset: 'apiTokens.reset' }),
  ...area('stats', statsOperations, {
    get: 'stats.get',
    byDomain: 'stats.byDomain',
    byCategory: 'stats.byCategory',
    byEmailServiceProvider: 'stats.byEmailServiceProvider',
    byDate: 'stats.byDate',
  }),
  ...area('suppressions', suppressionsOperations, {
    list: 'suppressions.getList',
    create: 'suppressions.create',
    delete: 'suppressions.delete',
  }),
  ...area('emailLogs', emailLogsOperations, { list: 'emailLogs.getList', get: 'emailLogs.get' }),
  ...area('webhooks', webhooksOperations, crud('webhooks')),
  ...area('templates', templatesOperations, crud('templates')),
  ...area('accounts', accountsOperations, { list: 'general.accounts.getAllAccounts' }),
  ...area('accountAccesses', accountAccessesOperations, {
    list: 'general.accountAccesses.listAccountAccesses',
    delete: 'general.accountAccesses.removeAccountAccess',
    updatePermissions: 'general.permissions.bulkPermissionsUpdate',
  }),
  ...area('permissions', permissionsOperations, { resources: 'general.permissions.getResources' }),
  ...area('billing', billingOperations, { usage: 'general.billing.getCurrentBillingCycleUsage' }),
  ...area('subAccounts', subAccountsOperations, {
    list: 'organizations.subAccounts.getList',
    create: 'organizations.subAccounts.create',
  }),
  ...area('contacts', contactsOperations, {
    create: 'contacts.create',
    get: 'contacts.get',
    update: 'contacts.update',
    delete: 'contacts.delete',
  }),
  ...area('contactLists', contactListsOperations, crud('contactLists')),
  ...area('contactFields', contactFieldsOperations, crud('contactFields')),
  ...area('contactImports', contactImportsOperations, {
    create: 'contactImports.create',
    get: 'contactImports.get',
  }),
  ...area('contactExports', contactExportsOperations, {
    create: 'contactExports.create',
    get: 'contactExports.get',
  }),
  ...area('contactEvents', contactEventsOperations, { create: 'contactEvents.create' }),
  ...area('projects', projectsOperations, crud('testing.projects')),
  ...area('sandboxes', sandboxesOperations, {
    list: 'testing.inboxes.getList',
    get: 'testing.inboxes.getInboxAttributes',
    create: 'testing.inboxes.create',
    update: 'testing.inboxes.updateInbox',
    delete: 'testing.inboxes.delete',
    clean: 'testing.inboxes.clean',
    markAllRead: 'testing.inboxes.markAsRead',
    resetCredentials: 'testing.inboxes.resetCredentials',
    toggleEmailUsername: 'testing.inboxes.enableEmailAddress',
    resetEmailUsername: 'testing.inboxes.resetEmailAddress',
  }),
  ...area('sandboxMessages', sandboxMessagesOperations, {
    list: 'testing.messages.get',
    get: 'testing.messages.showEmailMessage',
    update: 'testing.messages.updateMessage',
    delete: 'testing.messages.deleteMessage',
    forward: 'testing.messages.forward',
    spamReport: 'testing.messages.getSpamScore',
    htmlAnalysis: 'testing.messages.getHtmlAnalysis',
    headers: 'testing.messages.getMailHeaders',
    text: 'testing.messages.getTextMessage',
    html: 'testing.messages.getHtmlMessage',
    htmlSource: 'testing.messages.getMessageHtmlSource',
    raw: 'testing.messages.getRawMessage',
    eml: 'testing.messages.getMessageAsEml',
  }),
  ...area('sandboxAttachments', sandboxAttachmentsOperations, {
    list: 'testing.attachments.getList',
    get: 'testing.attachments.get',
  }),
  ...area('inboundFolders', inboundFoldersOperations, crud('inbound.folders')),
  ...area('inboundInboxes', inboundInboxesOperations, crud('inbound.inboxes')),
  ...area('inboundMessages', inboundMessagesOperations, {
    list: 'inbound.messages.getList',
    get: 'inbound.messages.get',
    delete: 'inbound.messages.delete',
  }),
]);
