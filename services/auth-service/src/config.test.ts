import { ConfigError, loadConfig } from '@testbed/service-kit';
import { describe, expect, it } from 'vitest';
import { configSchema } from './config.js';

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    loadConfig(configSchema, env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('auth-service config', () => {
  it('when nothing is set outside production, then the documented defaults apply', () => {
    expect(loadConfig(configSchema, {})).toMatchObject({
      NODE_ENV: 'development',
      GRPC_PORT: 50051,
      PORT: 8084,
      FIREBASE_PROJECT_ID: 'demo-testbed',
      FRESH_AUTH_WINDOW_S: 300,
      REDIS_KEY_PREFIX: 'auth:',
      REDIS_BUDGET_MS: 300,
    });
  });

  it('when NODE_ENV=production and the emulator host is set, then the config is refused', () => {
    expect(problemsOf({ NODE_ENV: 'production', FIREBASE_PROJECT_ID: 'real', FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' })).toEqual([
      expect.stringMatching(/^FIREBASE_AUTH_EMULATOR_HOST: must not be set when NODE_ENV=production/),
    ]);
  });

  it('when NODE_ENV=production without a project id, then the config is refused', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual(['FIREBASE_PROJECT_ID: is required when NODE_ENV=production']);
  });

  it('when NODE_ENV=production with a project and no emulator, then it loads', () => {
    expect(loadConfig(configSchema, { NODE_ENV: 'production', FIREBASE_PROJECT_ID: 'real' })).toMatchObject({
      FIREBASE_PROJECT_ID: 'real',
    });
  });

  it('when the emulator host is set outside production, then it is accepted', () => {
    expect(loadConfig(configSchema, { FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099' })).toMatchObject({
      FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099',
    });
  });

  it('when values have the wrong shape, then every bad key is listed', () => {
    const problems = problemsOf({ GRPC_PORT: 'abc', FRESH_AUTH_WINDOW_S: '-1', REDIS_URL: 'http://x' });

    expect(problems.map((p) => p.split(':')[0])).toEqual(expect.arrayContaining(['GRPC_PORT', 'FRESH_AUTH_WINDOW_S', 'REDIS_URL']));
  });
});
