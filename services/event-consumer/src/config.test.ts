import { ConfigError, loadConfig } from '@testbed/service-kit';
import { describe, expect, it } from 'vitest';
import { configSchema } from './config.js';

const servers = { MYSQL_URL: 'mysql://root@127.0.0.1:3306/testbed', REDIS_URL: 'redis://127.0.0.1:6379', NATS_URL: 'nats://127.0.0.1:4222' };

describe('event-consumer config', () => {
  it('when MYSQL_URL, REDIS_URL and NATS_URL are all set, then it is the servers mode', () => {
    expect(loadConfig(configSchema, servers)).toMatchObject(servers);
  });

  it('when none of them is set, then it is the in-memory mode', () => {
    const config = loadConfig(configSchema, { EVENT_LOG_FILE: '/tmp/events.jsonl' });
    expect([config.MYSQL_URL, config.REDIS_URL, config.NATS_URL]).toEqual([undefined, undefined, undefined]);
    expect(config.EVENT_LOG_FILE).toBe('/tmp/events.jsonl');
  });

  it('when none is set under NODE_ENV=production, then it is a config error naming all three', () => {
    expect(() => loadConfig(configSchema, { NODE_ENV: 'production' })).toThrow(/MYSQL_URL: required when NODE_ENV=production/);
  });

  it('when only some are set, then it is a config error naming each missing one', () => {
    let error: unknown;
    try {
      loadConfig(configSchema, { MYSQL_URL: servers.MYSQL_URL });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/REDIS_URL: required because MYSQL_URL is set/);
    expect(message).toMatch(/NATS_URL: required because MYSQL_URL is set/);
    expect(message).not.toMatch(/^MYSQL_URL:/m);
  });
});
