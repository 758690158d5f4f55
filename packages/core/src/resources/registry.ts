import { accountsOperations } from './accounts';
import { apiTokensOperations } from './api-tokens';
import type { OperationDefinition } from './call';
import { domainsOperations } from './domains';
import { emailLogsOperations } from './email-logs';
import { statsOperations } from './stats';
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
]);
