import { packageTestConfig } from '../../vitest.shared';

export default packageTestConfig({
  typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
});
