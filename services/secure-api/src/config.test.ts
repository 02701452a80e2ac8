import { ConfigError } from '@testbed/service-kit';
import { describe, expect, it } from 'vitest';
import { loadSecureApiConfig } from './config.js';

describe('secure-api config', () => {
  it('when nothing is set, then the documented defaults apply and MySQL is off', () => {
    const config = loadSecureApiConfig({});
    expect(config.MYSQL_URL).toBeUndefined();
    expect(config).toMatchObject({
      PORT: 8082,
      AUTH_GRPC_ADDR: '127.0.0.1:50051',
      PUBLIC_API_URL: 'http://127.0.0.1:8091',
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
    });
  });

  it('when values are set, then they are parsed and typed', () => {
    expect(
      loadSecureApiConfig({
        PORT: '9000',
        AUTH_GRPC_ADDR: 'auth-service:50051',
        PUBLIC_API_URL: 'http://public-api:8091',
        MYSQL_URL: 'mysql://root@127.0.0.1:3306/testbed',
      }),
    ).toMatchObject({ PORT: 9000, AUTH_GRPC_ADDR: 'auth-service:50051', PUBLIC_API_URL: 'http://public-api:8091' });
  });

  it('when several keys are bad, then every one of them is reported at once', () => {
    let error: unknown;
    try {
      loadSecureApiConfig({ AUTH_GRPC_ADDR: 'no-port', PUBLIC_API_URL: 'ftp://x', MYSQL_URL: 'postgres://x' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/AUTH_GRPC_ADDR/);
    expect(problems).toMatch(/PUBLIC_API_URL/);
    expect(problems).toMatch(/MYSQL_URL/);
  });
});
