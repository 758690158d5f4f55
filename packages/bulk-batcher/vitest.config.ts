import { packageTestConfig } from '../../vitest.shared';

// The spawned-CLI and fault suites mostly wait on sockets and child processes: let them run side by side.
export default packageTestConfig({ maxWorkers: 4, minWorkers: 1 });
