import { createMemoryRateLimitStore } from './rate-limit';
import { describeRateLimitStore } from '@mailtrap-kit/core/testing';

describeRateLimitStore('memory store', () => createMemoryRateLimitStore());
describeRateLimitStore('memory store, smooth', () => createMemoryRateLimitStore({ smooth: true }));
