export {
  CampaignMismatchError,
  type CampaignSettings,
  type ChunkJobData,
  type ProduceCampaignOptions,
  type ProduceCampaignResult,
} from './producer';
export {
  type BulkQueue,
  type BulkQueueSettings,
  type CampaignControlResult,
  createBulkQueue,
} from './queue';
export {
  createRedisRateLimitStore,
  type RateLimitStore,
  type RedisRateLimitStoreSettings,
} from './rate-limit';
export type { RedisConnection } from './scripts';
export {
  type CampaignLookupOptions,
  CampaignNotFoundError,
  type CampaignState,
  type CampaignStatus,
  campaignResults,
  campaignStatus,
  type RecipientResult,
  type RecipientState,
} from './store';
export {
  type BulkSendingClient,
  type BulkWorker,
  type BulkWorkerSettings,
  createBulkWorker,
  type RedisConnectionSettings,
} from './worker';
