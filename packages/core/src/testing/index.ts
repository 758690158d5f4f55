export { describeRateLimitStore, type RateLimitStoreSuiteOptions } from './rate-limit-store';
