/// <reference path="./undici-modules.d.ts" />
// (the reference keeps the declaration with this file for projects that compile core's sources
// through a path mapping, such as the workspace's test packages)
import type { Agent as UndiciAgent } from 'undici';
// undici's index loads all of undici (fetch, WebSocket, EventSource, caches, mock agents, the
// request/stream API): about 9 MB of resident memory that a client which only dispatches requests
// through an Agent never uses. The Agent is its own module; `dispatch` is all core calls on it.
import AgentModule from 'undici/lib/dispatcher/agent.js';

/** undici's Agent, loaded without the rest of undici. @internal */
export const Agent = AgentModule as unknown as typeof UndiciAgent;
export type Agent = UndiciAgent;
