/**
 * The sandbox testing API, projects and sandboxes (sandbox.openapi.yml): /api/projects and
 * /api/sandboxes with their actions. `inboxes` (the older name of sandboxes, still used by SDKs)
 * is accepted wherever `sandboxes` is. Messages are in sandbox-messages.ts.
 */
import type { AccountAnswer } from '../account';
import type { EmulatorContext } from '../context';
import { isPlainObject } from '../http';
import { projectJson, type SandboxView, sandboxJson } from '../sandbox/sandbox-answers';
import type { AccountCall, AccountRoute } from './account';

export const NOT_FOUND: AccountAnswer = { status: 404, body: { error: 'Not Found' } };

/** What the JSON shapes need from the emulator. */
export function sandboxView(emulator: EmulatorContext): SandboxView {
  return {
    account: emulator.sandbox,
    accountId: emulator.settings.accountId,
    host: emulator.baseUrl ? new URL(emulator.baseUrl).hostname : emulator.settings.host,
    maxMessageBytes: emulator.settings.maxMessageBytes,
    smtpPorts: emulator.smtp ? [emulator.smtp.port] : [],
  };
}

/** A positive integer id from a path segment, else undefined. */
export function idOf(segment: string | undefined): number | undefined {
  if (segment === undefined || !/^\d+$/.test(segment)) return undefined;
  const id = Number(segment);
  return id >= 1 && Number.isSafeInteger(id) ? id : undefined;
}

/** `body[key]` for the first of `keys` the body is wrapped in (`{ key: {...} }`); else undefined. */
async function wrapped(call: AccountCall, ...keys: string[]): Promise<Record<string, unknown> | undefined> {
  const body = await call.body();
  if (!isPlainObject(body)) return undefined;
  for (const key of keys) if (isPlainObject(body[key])) return body[key];
  return undefined;
}

const SANDBOXES = '(?:sandboxes|inboxes)';

export const projectRoutes: AccountRoute[] = [
  {
    path: /^\/api\/projects\/?$/,
    async handle(emulator, call) {
      const view = sandboxView(emulator);
      if (call.method === 'GET') {
        return {
          status: 200,
          body: emulator.sandbox.projects().map((project) => projectJson(view, project)),
        };
      }
      if (call.method !== 'POST') return NOT_FOUND;
      const input = await wrapped(call, 'project');
      if (!input) return { status: 422, body: { errors: { project: ["can't be blank"] } } };
      const errors = emulator.sandbox.checkProject(input);
      if (errors) return { status: 422, body: { errors } };
      return { status: 200, body: projectJson(view, emulator.sandbox.createProject(input.name as string)) };
    },
  },
  {
    path: /^\/api\/projects\/([^/]+)\/?$/,
    async handle(emulator, call) {
      const id = idOf(call.params[0]);
      const project = id === undefined ? undefined : emulator.sandbox.project(id);
      if (!project) return NOT_FOUND;
      const view = sandboxView(emulator);
      if (call.method === 'GET') return { status: 200, body: projectJson(view, project) };
      if (call.method === 'PATCH' || call.method === 'PUT') {
        const input = await wrapped(call, 'project');
        if (!input) return { status: 422, body: { errors: { project: ["can't be blank"] } } };
        const errors = emulator.sandbox.checkProject(input);
        if (errors) return { status: 422, body: { errors } };
        emulator.sandbox.updateProject(project.id, input.name as string);
        return { status: 200, body: projectJson(view, project) };
      }
      if (call.method === 'DELETE') {
        emulator.sandbox.deleteProject(project.id);
        return { status: 200, body: { id: project.id } };
      }
      return NOT_FOUND;
    },
  },
  {
    path: new RegExp(`^/api/projects/([^/]+)/${SANDBOXES}/?$`),
    async handle(emulator, call) {
      const id = idOf(call.params[0]);
      const project = id === undefined ? undefined : emulator.sandbox.project(id);
      if (!project || call.method !== 'POST') return NOT_FOUND;
      const input = await wrapped(call, 'sandbox', 'inbox');
      if (!input) return { status: 422, body: { errors: { sandbox: ["can't be blank"] } } };
      const errors = emulator.sandbox.checkSandbox(input, false);
      if (errors) return { status: 422, body: { errors } };
      const sandbox = emulator.sandbox.createSandbox(project.id, input.name as string);
      return { status: 200, body: sandboxJson(sandboxView(emulator), sandbox) };
    },
  },
];

/** PATCH /api/sandboxes/{id}/<action>: what each action does to the account. */
const ACTIONS: Record<string, (account: EmulatorContext['sandbox'], id: number) => unknown> = {
  clean: (account, id) => account.clean(id),
  all_read: (account, id) => account.markAllRead(id),
  reset_credentials: (account, id) => account.resetCredentials(id),
  toggle_email_username: (account, id) => account.toggleEmailUsername(id),
  reset_email_username: (account, id) => account.resetEmailUsername(id),
};

export const sandboxRoutes: AccountRoute[] = [
  {
    path: new RegExp(`^/api/${SANDBOXES}/?$`),
    handle(emulator, call) {
      if (call.method !== 'GET') return NOT_FOUND;
      const view = sandboxView(emulator);
      return { status: 200, body: emulator.sandbox.sandboxes().map((sandbox) => sandboxJson(view, sandbox)) };
    },
  },
  {
    path: new RegExp(`^/api/${SANDBOXES}/([^/]+)/?$`),
    async handle(emulator, call) {
      const id = idOf(call.params[0]);
      const sandbox = id === undefined ? undefined : emulator.sandbox.sandbox(id);
      if (!sandbox) return NOT_FOUND;
      const view = sandboxView(emulator);
      if (call.method === 'GET') return { status: 200, body: sandboxJson(view, sandbox) };
      if (call.method === 'PATCH' || call.method === 'PUT') {
        const input = await wrapped(call, 'sandbox', 'inbox');
        if (!input) return { status: 422, body: { errors: { sandbox: ["can't be blank"] } } };
        const errors = emulator.sandbox.checkSandbox(input, true, sandbox.id);
        if (errors) return { status: 422, body: { errors } };
        emulator.sandbox.updateSandbox(sandbox.id, input as { name?: string; email_username?: string });
        return { status: 200, body: sandboxJson(view, sandbox) };
      }
      if (call.method === 'DELETE') {
        // the answer shows the sandbox as it was, with its messages counted before they went
        const before = sandboxJson(view, sandbox);
        emulator.sandbox.deleteSandbox(sandbox.id);
        return { status: 200, body: before };
      }
      return NOT_FOUND;
    },
  },
  {
    path: new RegExp(`^/api/${SANDBOXES}/([^/]+)/(${Object.keys(ACTIONS).join('|')})/?$`),
    handle(emulator, call) {
      const id = idOf(call.params[0]);
      const sandbox = id === undefined ? undefined : emulator.sandbox.sandbox(id);
      if (!sandbox || call.method !== 'PATCH') return NOT_FOUND;
      ACTIONS[call.params[1]!]!(emulator.sandbox, sandbox.id);
      return { status: 200, body: sandboxJson(sandboxView(emulator), sandbox) };
    },
  },
];
