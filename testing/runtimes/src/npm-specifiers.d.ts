// Deno's `npm:` form of the package, as readme/deno.ts imports it: the same module.
declare module 'npm:@mailtrap-kit/core' {
  export * from '@mailtrap-kit/core';
}
