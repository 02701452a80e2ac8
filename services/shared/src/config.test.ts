import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, commonEnv, loadConfig, port } from './config.js';

const schema = z.object({ ...commonEnv, PORT: port(8080) });

describe('loadConfig', () => {
  it('when the environment is empty, then defaults apply and the result is frozen', () => {
    const config = loadConfig(schema, {});
    expect(config).toMatchObject({ NODE_ENV: 'development', LOG_LEVEL: 'info', PORT: 8080 });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('when several keys are bad, then every bad key is listed at once', () => {
    let caught: unknown;
    try {
      loadConfig(schema, { PORT: 'eighty', LOG_LEVEL: 'loud', MYSQL_URL: 'postgres://x' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.join('\n');
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/LOG_LEVEL/);
    expect(problems).toMatch(/MYSQL_URL: must be a URL starting with mysql:\/\//);
  });

  it('when a key is set to an empty string, then it counts as unset', () => {
    expect(loadConfig(schema, { MYSQL_URL: '', PORT: '' })).toMatchObject({ PORT: 8080 });
  });
});
