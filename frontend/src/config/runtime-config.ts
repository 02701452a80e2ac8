/** What /config.json holds: one image serves every environment, the file is mounted at deploy time. */
export interface RuntimeConfig {
  firebase: { apiKey: string; authDomain: string; projectId: string; appId?: string };
  /** Firebase Auth emulator origin, or null for real Firebase. A relative value ("/") means this page's origin. */
  authEmulatorUrl: string | null;
}

export class RuntimeConfigError extends Error {
  override name = 'RuntimeConfigError';
}

function requireString(value: unknown, key: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new RuntimeConfigError(`config.json: ${key} must be a non-empty string`);
  return value;
}

export function parseRuntimeConfig(raw: unknown, pageOrigin: string): RuntimeConfig {
  if (typeof raw !== 'object' || raw === null) throw new RuntimeConfigError('config.json: expected an object');
  const { firebase, authEmulatorUrl } = raw as Record<string, unknown>;
  if (typeof firebase !== 'object' || firebase === null) throw new RuntimeConfigError('config.json: firebase must be an object');
  const fb = firebase as Record<string, unknown>;
  const config: RuntimeConfig = {
    firebase: {
      apiKey: requireString(fb['apiKey'], 'firebase.apiKey'),
      authDomain: requireString(fb['authDomain'], 'firebase.authDomain'),
      projectId: requireString(fb['projectId'], 'firebase.projectId'),
    },
    authEmulatorUrl: null,
  };
  if (fb['appId'] !== undefined) config.firebase.appId = requireString(fb['appId'], 'firebase.appId');
  if (authEmulatorUrl !== null && authEmulatorUrl !== undefined) {
    // connectAuthEmulator wants a bare origin such as http://localhost:8080.
    config.authEmulatorUrl = new URL(requireString(authEmulatorUrl, 'authEmulatorUrl'), pageOrigin).origin;
  }
  return config;
}

export async function loadRuntimeConfig(): Promise<RuntimeConfig> {
  const response = await fetch('/config.json', { cache: 'no-cache', headers: { accept: 'application/json' } });
  if (!response.ok) throw new RuntimeConfigError(`config.json: HTTP ${response.status}`);
  return parseRuntimeConfig(await response.json(), window.location.origin);
}
