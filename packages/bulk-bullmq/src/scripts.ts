import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/** A Redis connection the package accepts: an ioredis client or cluster. */
export type RedisConnection = Redis | Cluster;

/** A Lua script run with EVALSHA, loaded with EVAL when the server does not know it yet. */
export class LuaScript {
  readonly sha: string;
  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: RedisConnection, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (error instanceof Error && error.message.includes('NOSCRIPT')) {
        return redis.eval(this.source, keys.length, ...keys, ...args);
      }
      throw error;
    }
  }
}
