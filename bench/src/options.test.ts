import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from './options.js';

const IDS = ['public-get', 'events'];

describe('parseBenchArgs', () => {
  it('when no flag is given, then the issue’s settings apply: 3 rounds, all scenarios, build first', () => {
    expect(parseBenchArgs([], IDS)).toEqual({
      rounds: 3,
      durationS: 10,
      connections: 32,
      warmupS: 3,
      burst: 5000,
      only: [],
      build: true,
      writeDocs: false,
    });
  });

  it('when flags are given, then they override the defaults and --only takes lists and repeats', () => {
    const options = parseBenchArgs(
      ['--rounds', '1', '--duration', '0.5', '--connections', '4', '--only', 'public-get', '--only=events', '--no-build', '--write-docs'],
      IDS,
    );
    expect(options).toMatchObject({ rounds: 1, durationS: 0.5, connections: 4, only: ['public-get', 'events'], build: false, writeDocs: true });
  });

  it('when a scenario is unknown, then the message lists the known ones', () => {
    expect(() => parseBenchArgs(['--only', 'nope'], IDS)).toThrow('unknown scenario nope; known: public-get, events');
  });

  it('when a number is not a positive whole number where one is needed, then it says which flag', () => {
    expect(() => parseBenchArgs(['--rounds', '1.5'], IDS)).toThrow(/--rounds must be a whole number/);
    expect(() => parseBenchArgs(['--duration', '0'], IDS)).toThrow(/--duration must be a number > 0/);
  });

  it('when --warmup is 0, then there is no warm-up', () => {
    expect(parseBenchArgs(['--warmup', '0'], IDS)?.warmupS).toBe(0);
  });

  it('when --help is given, then there are no options to run with', () => {
    expect(parseBenchArgs(['--help'], IDS)).toBeNull();
  });
});
