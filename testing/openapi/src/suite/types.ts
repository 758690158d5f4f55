import type { SpecServer } from '../server.js';

/** The account-API namespaces of core's `MailtrapClient`, one suite area each. */
export const accountApiAreas = [
  // in run order: an area may use what an earlier one created (see AreaState)
  'accounts',
  'accountAccesses',
  'permissions',
  'billing',
  'subAccounts',
  'apiTokens',
  'domains',
  'stats',
  'suppressions',
  'emailLogs',
  'webhooks',
  'templates',
  'contactLists',
  'contactFields',
  'contacts',
  'contactEvents',
  'contactImports',
  'contactExports',
  'projects',
  'sandboxes',
  'sandboxAttachments',
  'sandboxMessages',
  'inboundFolders',
  'inboundInboxes',
  'inboundMessages',
] as const;

export type AccountApiArea = (typeof accountApiAreas)[number];

/** One namespace of the client (`client.domains`): its methods, called by name. */
export type AccountApiNamespace = Record<string, any>;

/**
 * Values the cases pass between each other, shared by the areas of one run in their order, and
 * taken from the target: ids of things that exist (`domainId`, `sandboxId`, `sandboxMessageId`,
 * `organizationId`, …). On the spec server any id is answered, so `specServerFixtures` fills them;
 * a real target (the emulator) gets them from earlier areas (a create keeps its id) or provides
 * what no API call can create (a sandbox message, an inbound message) through `fixtures` or the
 * area's `prepare` hook. The README lists what each area reads.
 */
export type AreaState = Record<string, any>;

/** What `setup` gives the suite; `Client` is the client's type, seen by `prepare` hooks. */
export interface AccountApiTarget<Client extends object = object> {
  /** A configured core `MailtrapClient` (its namespaces are called by name). */
  client: Client;
  /**
   * Set when the client talks to the spec server: every request is then checked against the
   * spec, and each error answer the spec lists is asked for and must come back as core's typed error.
   */
  specServer?: SpecServer;
  /**
   * The account id the client was given: on the spec server, every account-API request must then
   * use the `/api/accounts/{account_id}/...` path form with it (and the token-scoped form without).
   */
  accountId?: number;
  /** Starting values of every area's state (ids of things that exist on the target). */
  fixtures?: AreaState;
  /** Called after the suite. */
  close?: () => void | Promise<void>;
}

export interface AccountApiSuiteOptions<Client extends object = object> {
  /** Shown in the suite's title, e.g. `spec server` or `emulator`. */
  name: string;
  /** Runs once before the suite. */
  setup: () => AccountApiTarget<Client> | Promise<AccountApiTarget<Client>>;
  /**
   * How error answers are checked. `planned` (default, needs `specServer`): every error status the
   * spec lists for an operation (400, 401, 403, 404, 422) is asked of the spec server and must come
   * back as core's typed error. `unknown-ids`: the cases that can name something missing (an unknown
   * id) call the real target with it and must get core's not-found error.
   */
  errors?: 'planned' | 'unknown-ids';
  /**
   * Methods the target does not serve on purpose, with the status it answers instead (the emulator
   * answers `sandboxMessages.spamReport` with 501: it cannot compute a spam report honestly). Such
   * a call must fail with core's `MailtrapError` carrying that status; its success and error
   * checks are left out.
   */
  unsupported?: Readonly<Record<string, number>>;
  /** The areas to run (default: all); they run in the order of `accountApiAreas` whatever the order given. */
  areas?: readonly AccountApiArea[];
  /**
   * Area preconditions on a real target, run once before the area's cases with the state so far
   * (what earlier areas created): returns values merged into the state (e.g. `sandboxMessages: async () => ({ sandboxId, sandboxMessageId })`
   * after sending a message into a sandbox).
   */
  prepare?: Partial<
    Record<
      AccountApiArea,
      (target: AccountApiTarget<Client>, state: AreaState) => AreaState | Promise<AreaState>
    >
  >;
}

/** One method of one namespace, in the order an area's cases run (create before get before delete). */
export interface AccountApiCase {
  /** `domains.get`: the namespace and method of core's client. */
  method: string;
  /** The spec operation the method calls: `operationId` or `spec:operationId`. */
  operation: string;
  /**
   * Calls made before the checked call and not checked with it, e.g. creating the thing a delete
   * removes (so what later areas use stays), through the namespace or the whole client.
   */
  setup?: (
    api: AccountApiNamespace,
    state: AreaState,
    client: Record<string, AccountApiNamespace>,
  ) => Promise<void>;
  /** Calls the method with arguments from the state. */
  run: (api: AccountApiNamespace, state: AreaState) => Promise<unknown>;
  /** The answer body the result stands for, when the method reshapes it (default: the result). */
  wire?: (result: any) => unknown;
  /** Keeps what later cases need (an id from a create). */
  keep?: (result: any, state: AreaState) => void;
  /**
   * The same call for something that does not exist (an unknown id): on targets other than the spec
   * server it must fail with core's not-found error.
   */
  missing?: (api: AccountApiNamespace, state: AreaState) => Promise<unknown>;
}

export interface AccountApiAreaCases {
  area: AccountApiArea;
  cases: readonly AccountApiCase[];
}
