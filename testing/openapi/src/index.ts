export type { AnswerOptions, PlannedAnswer } from './answers.js';
export { type ExampleSource, exampleFor, type SpecExample } from './examples.js';
export {
  findOperation,
  type HttpMethod,
  type SpecMediaType,
  type SpecOperation,
  type SpecParameter,
  type SpecResponse,
  specOperations,
} from './operations.js';
export type { SpecCall } from './recording.js';
export { validateRequest, type ValidatedRequest } from './request-validation.js';
export { validateResponse } from './responses.js';
export { hostPrefixes } from './router.js';
export { type SpecServer, type SpecServerOptions, startSpecServer } from './server.js';
export { type LoadedSpec, loadSpecs, type SpecHost, specFolder } from './specs.js';
export { describeAccountApi, specServerFixtures } from './suite/describe-account-api.js';
export { areaCases } from './suite/areas/index.js';
export {
  type AccountApiArea,
  type AccountApiAreaCases,
  type AccountApiCase,
  type AccountApiSuiteOptions,
  type AccountApiTarget,
  type AreaState,
  accountApiAreas,
} from './suite/types.js';
