import { describe, expect, it } from 'vitest';
import { describeAdapters, serverEnv, serverUrls } from './adapters.js';

const env = { MYSQL_URL: 'mysql://root:secret@127.0.0.1:3306/testbed', REDIS_URL: '', NATS_URL: 'nats://127.0.0.1:4222' };

describe('adapters', () => {
  it('when memory is chosen, then URLs in the environment are ignored', () => {
    expect(serverUrls('memory', env)).toEqual({});
    expect(serverEnv({})).toEqual({ MYSQL_URL: '', REDIS_URL: '', NATS_URL: '' });
  });

  it('when real is chosen, then only the non-empty URLs are used', () => {
    expect(serverUrls('real', env)).toEqual({ MYSQL_URL: env.MYSQL_URL, NATS_URL: env.NATS_URL });
  });

  it('when adapters are described, then hosts are shown and credentials are not', () => {
    const text = describeAdapters(serverUrls('real', env));
    expect(text).toBe('MySQL 127.0.0.1:3306, Redis in-memory, NATS 127.0.0.1:4222');
    expect(text).not.toContain('secret');
  });
});
