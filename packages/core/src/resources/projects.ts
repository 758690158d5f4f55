import type { SandboxSpec } from '../generated';
import { type Call, type CallOptions, defineOperation, invalid } from './call';
import { checkId, checkObject, checkString } from './input';

/** A sandbox project with its sandboxes. */
export type Project = SandboxSpec.components['schemas']['Project'];

/** `projects.create` / `update` input (sent as `{ project: ... }`): a name of 2-100 characters. */
export interface ProjectInput {
  name: string;
}

const projectPath = '/projects/{project_id}';

export const projectsOperations = {
  list: defineOperation({ operationId: 'getProjects', method: 'GET', path: '/projects' }),
  create: defineOperation({ operationId: 'createProject', method: 'POST', path: '/projects' }),
  get: defineOperation({ operationId: 'getProject', method: 'GET', path: projectPath }),
  update: defineOperation({ operationId: 'updateProject', method: 'PATCH', path: projectPath }),
  delete: defineOperation({ operationId: 'deleteProject', method: 'DELETE', path: projectPath }),
};

export interface ProjectsResource {
  /** The projects (with their sandboxes) the token can access. */
  list(options?: CallOptions): Promise<Project[]>;
  create(project: ProjectInput, options?: CallOptions): Promise<Project>;
  get(id: number, options?: CallOptions): Promise<Project>;
  update(id: number, project: ProjectInput, options?: CallOptions): Promise<Project>;
  /** Deletes the project and its sandboxes; answers with the deleted project's id. */
  delete(id: number, options?: CallOptions): Promise<{ id?: number }>;
}

function checkProject(project: unknown): void {
  const { name } = checkObject(project, 'project', ['name']);
  if (checkString(name, 'project.name', 100).length < 2)
    invalid('project.name', 'must be at least 2 characters');
}

/** `client.projects`: sandbox projects. */
export function createProjectsResource(call: Call): ProjectsResource {
  const operations = projectsOperations;
  const projectId = (id: unknown) => ({ project_id: checkId(id, 'id') });
  return {
    list: async (options) => call(operations.list, { signal: options?.signal }),
    create: async (project, options) => {
      checkProject(project);
      return call(operations.create, { body: { project }, signal: options?.signal });
    },
    get: async (id, options) => call(operations.get, { path: projectId(id), signal: options?.signal }),
    update: async (id, project, options) => {
      const path = projectId(id);
      checkProject(project);
      return call(operations.update, { path, body: { project }, signal: options?.signal });
    },
    delete: async (id, options) => call(operations.delete, { path: projectId(id), signal: options?.signal }),
  };
}
