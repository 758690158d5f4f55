import { describeRefusals, describeWire } from './test-harness';

const access = {
  id: 4788,
  specifier_type: 'User',
  specifier: { id: 3, email: 'owner@example.com', name: 'Owner' },
  resources: [{ resource_id: 3281, resource_type: 'account', access_level: 1000 }],
  permissions: { can_read: true, can_update: true, can_destroy: true, can_leave: false },
};
const resourceTree = [
  {
    id: 3281,
    name: 'Account',
    type: 'account',
    access_level: 100,
    resources: [{ id: 4, name: 'Project', type: 'project', access_level: 100, resources: [] }],
  },
];
const usage = {
  billing: { cycle_start: '2026-11-01T00:00:00Z', cycle_end: '2026-12-01T00:00:00Z' },
  sending: { plan: { name: 'Basic 10K' }, usage: { sent_messages_count: { current: 6789, limit: 10000 } } },
};

describeWire('account management on the wire', [
  {
    name: 'accountAccesses.list',
    call: (c) => c.accountAccesses.list(),
    method: 'GET',
    path: '/api/account_accesses',
    answer: [access],
  },
  {
    name: 'accountAccesses.list filtered',
    call: (c) => c.accountAccesses.list({ project_ids: [1, 2], domain_ids: [9] }),
    method: 'GET',
    path: '/api/account_accesses?project_ids[]=1&project_ids[]=2&domain_ids[]=9',
    answer: [access],
  },
  {
    name: 'accountAccesses.delete',
    call: (c) => c.accountAccesses.delete(4788),
    method: 'DELETE',
    path: '/api/account_accesses/4788',
    answer: { id: 4788 },
  },
  {
    name: 'accountAccesses.updatePermissions',
    call: (c) =>
      c.accountAccesses.updatePermissions(4788, [
        { resource_id: 3281, resource_type: 'account', access_level: 100 },
        { resource_id: '3809', resource_type: 'sandbox', access_level: 'viewer' },
        { resource_id: 12, resource_type: 'project', _destroy: true },
      ]),
    method: 'PUT',
    path: '/api/account_accesses/4788/permissions/bulk',
    body: {
      permissions: [
        { resource_id: '3281', resource_type: 'account', access_level: 'admin' },
        { resource_id: '3809', resource_type: 'sandbox', access_level: 'viewer' },
        { resource_id: '12', resource_type: 'project', _destroy: true },
      ],
    },
    answer: { message: 'Permissions have been updated!' },
  },
  {
    name: 'permissions.resources',
    call: (c) => c.permissions.resources(),
    method: 'GET',
    path: '/api/permissions/resources',
    answer: resourceTree,
  },
  {
    name: 'billing.usage',
    call: (c) => c.billing.usage(),
    method: 'GET',
    path: '/api/billing/usage',
    answer: usage,
  },
  {
    name: 'subAccounts.list',
    call: (c) => c.subAccounts.list({ organizationId: 1001 }),
    method: 'GET',
    path: '/api/organizations/1001/sub_accounts',
    accountPath: false,
    answer: [{ id: 5, name: 'EU shop' }],
  },
  {
    name: 'subAccounts.create',
    call: (c) => c.subAccounts.create({ name: 'EU shop' }, { organizationId: 1001 }),
    method: 'POST',
    path: '/api/organizations/1001/sub_accounts',
    accountPath: false,
    body: { account: { name: 'EU shop' } },
    answer: { id: 5, name: 'EU shop' },
  },
]);

describeRefusals('account management input checks', [
  {
    name: 'accountAccesses.list',
    call: (c) => c.accountAccesses.list({ project_ids: ['a'] as never }),
    field: 'params.project_ids[0]',
  },
  {
    name: 'accountAccesses.list',
    call: (c) => c.accountAccesses.list({ inbox_ids: [1] } as never),
    field: 'params.inbox_ids',
  },
  { name: 'accountAccesses.delete', call: (c) => c.accountAccesses.delete(0), field: 'id' },
  {
    name: 'accountAccesses.updatePermissions',
    call: (c) => c.accountAccesses.updatePermissions(1, []),
    field: 'permissions',
  },
  {
    name: 'accountAccesses.updatePermissions',
    call: (c) =>
      c.accountAccesses.updatePermissions(1, [
        { resource_id: 1, resource_type: 'inbox' as never, access_level: 10 },
      ]),
    field: 'permissions[0].resource_type',
  },
  {
    name: 'accountAccesses.updatePermissions',
    call: (c) =>
      c.accountAccesses.updatePermissions(1, [
        { resource_id: 1, resource_type: 'account', access_level: 50 as never },
      ]),
    field: 'permissions[0].access_level',
    message: /'admin', 'viewer', 100 or 10/,
  },
  {
    name: 'accountAccesses.updatePermissions',
    call: (c) => c.accountAccesses.updatePermissions(1, [{ resource_id: 1, resource_type: 'account' }]),
    field: 'permissions[0].access_level',
    message: /_destroy/,
  },
  {
    name: 'accountAccesses.updatePermissions',
    call: (c) =>
      c.accountAccesses.updatePermissions(1, [{ resourceId: 1, resource_type: 'account' } as never]),
    field: 'permissions[0].resourceId',
  },
  { name: 'subAccounts.list', call: (c) => c.subAccounts.list(undefined as never), field: 'organizationId' },
  {
    name: 'subAccounts.list',
    call: (c) => c.subAccounts.list({ organizationId: 0 }),
    field: 'organizationId',
  },
  {
    name: 'subAccounts.create',
    call: (c) => c.subAccounts.create({ name: '' }, { organizationId: 1 }),
    field: 'account.name',
  },
  {
    name: 'subAccounts.create',
    call: (c) => c.subAccounts.create({ name: 'A' }, {} as never),
    field: 'organizationId',
  },
]);
