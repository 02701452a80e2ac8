import { describe, expect, it } from 'vitest';
import { parseRuntimeConfig, RuntimeConfigError } from './runtime-config.js';

const firebase = { apiKey: 'demo-api-key', authDomain: 'demo-testbed.firebaseapp.com', projectId: 'demo-testbed' };

describe('parseRuntimeConfig', () => {
  it('when the emulator URL is relative, then it resolves to the page origin', () => {
    expect(parseRuntimeConfig({ firebase, authEmulatorUrl: '/' }, 'http://localhost:8080').authEmulatorUrl).toBe('http://localhost:8080');
  });

  it('when the emulator URL is absolute or null, then it is kept as an origin or left out', () => {
    expect(parseRuntimeConfig({ firebase, authEmulatorUrl: 'http://127.0.0.1:9099/' }, 'https://x').authEmulatorUrl).toBe('http://127.0.0.1:9099');
    expect(parseRuntimeConfig({ firebase, authEmulatorUrl: null }, 'https://x').authEmulatorUrl).toBeNull();
  });

  it('when a required Firebase key is missing, then the error names it', () => {
    expect(() => parseRuntimeConfig({ firebase: { ...firebase, apiKey: '' }, authEmulatorUrl: null }, 'https://x')).toThrow(RuntimeConfigError);
    expect(() => parseRuntimeConfig({ firebase: { ...firebase, apiKey: '' }, authEmulatorUrl: null }, 'https://x')).toThrow(/firebase\.apiKey/);
    expect(() => parseRuntimeConfig('nope', 'https://x')).toThrow(RuntimeConfigError);
  });
});
