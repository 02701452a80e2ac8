import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commonEnv } from '../config.js';
import { defaultTopology, topologyFor } from './topology.js';

const env = z.object({ EVENT_TOPOLOGY_PREFIX: commonEnv.EVENT_TOPOLOGY_PREFIX });

describe('EVENT_TOPOLOGY_PREFIX', () => {
  it('when it is unset, then every service uses the production stream and subjects', () => {
    expect(topologyFor(env.parse({}).EVENT_TOPOLOGY_PREFIX)).toBe(defaultTopology);
  });

  it('when it is set, then stream, subjects and dead letters all derive from it, the same for every service', () => {
    const topology = topologyFor(env.parse({ EVENT_TOPOLOGY_PREFIX: 'staging-2' }).EVENT_TOPOLOGY_PREFIX);
    expect(topology).toEqual({ stream: 'STAGING-2_EVENTS', subjectPrefix: 'staging-2.events', dlqStream: 'STAGING-2_DLQ', dlqSubjectPrefix: 'staging-2.dlq' });
  });

  it('when it holds characters NATS subjects cannot carry, then the config is refused', () => {
    for (const bad of ['a.b', 'a b', '*', '1abc', '']) expect(env.safeParse({ EVENT_TOPOLOGY_PREFIX: bad }).success, bad).toBe(false);
  });
});
