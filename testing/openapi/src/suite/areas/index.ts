import type { AccountApiArea, AccountApiAreaCases } from '../types.js';
import {
  accountAccesses,
  accounts,
  apiTokens,
  billing,
  permissions,
  subAccounts,
} from './account-management.js';
import {
  contactEvents,
  contactExports,
  contactFields,
  contactImports,
  contactLists,
  contacts,
} from './contacts.js';
import { domains } from './domains.js';
import { inboundFolders, inboundInboxes, inboundMessages } from './inbound.js';
import { projects, sandboxAttachments, sandboxes, sandboxMessages } from './sandbox.js';
import { emailLogs, stats, suppressions } from './sending-data.js';
import { templates, webhooks } from './webhooks-templates.js';

/** The cases of every area, by namespace. */
export const areaCases: Record<AccountApiArea, AccountApiAreaCases> = {
  accounts,
  accountAccesses,
  permissions,
  billing,
  subAccounts,
  apiTokens,
  domains,
  stats,
  suppressions,
  emailLogs,
  webhooks,
  templates,
  contacts,
  contactLists,
  contactFields,
  contactImports,
  contactExports,
  contactEvents,
  projects,
  sandboxes,
  sandboxMessages,
  sandboxAttachments,
  inboundFolders,
  inboundInboxes,
  inboundMessages,
};
