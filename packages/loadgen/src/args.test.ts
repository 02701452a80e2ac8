import { describe, expect, it } from 'vitest';
import { ArgsError, parseLoadgenArgs } from './args.js';

describe('parseLoadgenArgs', () => {
  it('when only --url is given, then the defaults fill the rest and a trailing slash is dropped', () => {
    expect(parseLoadgenArgs(['--url', 'http://localhost:8080/'])).toEqual({
      url: 'http://localhost:8080',
      users: 5,
      durationS: 60,
      iterations: 0,
      thinkTimeMs: 1000,
      timeoutMs: 10_000,
      maxErrorRate: 0.01,
      apiKey: undefined,
      intervalS: 5,
      resolveTo: undefined,
    });
  });

  it('when every option is given, then each is parsed into its unit', () => {
    const options = parseLoadgenArgs([
      '--url=https://testbed.example.com',
      '--users',
      '20',
      '--duration',
      '0',
      '--iterations',
      '3',
      '--think-time',
      '250',
      '--timeout',
      '2000',
      '--max-error-rate',
      '0.05',
      '--api-key',
      'k',
      '--interval',
      '10',
      '--resolve-to',
      'envoy.projectcontour.svc.cluster.local',
    ]);
    expect(options).toMatchObject({
      users: 20,
      durationS: 0,
      iterations: 3,
      thinkTimeMs: 250,
      timeoutMs: 2000,
      maxErrorRate: 0.05,
      apiKey: 'k',
      intervalS: 10,
      resolveTo: 'envoy.projectcontour.svc.cluster.local',
    });
  });

  it('when FIREBASE_API_KEY is set and --api-key is not, then the environment gives the key', () => {
    expect(parseLoadgenArgs(['--url', 'http://x'], { FIREBASE_API_KEY: 'from-env' })?.apiKey).toBe('from-env');
    expect(parseLoadgenArgs(['--url', 'http://x', '--api-key', 'flag'], { FIREBASE_API_KEY: 'from-env' })?.apiKey).toBe('flag');
  });

  it('when --help is given, then it returns null', () => {
    expect(parseLoadgenArgs(['-h'])).toBeNull();
  });

  it('when --url is missing, then the error says it is required', () => {
    expect(() => parseLoadgenArgs(['--users', '2'])).toThrow(/--url is required/);
  });

  it('when several values are bad, then one error names every bad option', () => {
    let error: unknown;
    try {
      parseLoadgenArgs(['--url', 'ftp://x', '--users', '0', '--duration', '1.5', '--max-error-rate', '2', '--timeout', 'soon', '--resolve-to', 'http://x/']);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ArgsError);
    const message = (error as Error).message;
    for (const text of [
      '--url must be an http://',
      '--users must be at least 1',
      '--duration must be a whole number',
      '--max-error-rate must be between 0 and 1',
      '--timeout must be a number',
      '--resolve-to must be a host name',
    ]) {
      expect(message).toContain(text);
    }
  });

  it('when an option is unknown or has no value, then the parser error is an ArgsError', () => {
    expect(() => parseLoadgenArgs(['--url', 'http://x', '--userz', '3'])).toThrow(ArgsError);
    expect(() => parseLoadgenArgs(['--url'])).toThrow(ArgsError);
    expect(() => parseLoadgenArgs(['--url', 'http://x', 'extra'])).toThrow(ArgsError);
  });
});
