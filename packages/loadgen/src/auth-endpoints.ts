import { z } from 'zod';
import { requestJson } from './http.js';

/** Where users sign up and in: the Identity Toolkit and Secure Token REST APIs, and the key to send. */
export interface AuthEndpoints {
  /** e.g. http://localhost:8080/identitytoolkit.googleapis.com/v1 (emulator) or https://identitytoolkit.googleapis.com/v1. */
  readonly identityToolkit: string;
  readonly secureToken: string;
  readonly apiKey: string;
  /** For the banner: "Auth emulator at …" or "Firebase project (API key given)". */
  readonly description: string;
}

// The part of the SPA's /config.json (frontend/src/config/runtime-config.ts) that says where Auth is.
const runtimeConfig = z.object({
  firebase: z.object({ apiKey: z.string().min(1) }),
  authEmulatorUrl: z.string().min(1).nullish(),
});

/**
 * Finds Auth the way the SPA does: from `<base>/config.json`. With `apiKey`, users go to that
 * Firebase project's REST API; otherwise the config must name an Auth emulator, so a run never
 * creates users in a real project by accident. Throws with a message saying which of the two to fix.
 */
export async function discoverAuthEndpoints(baseUrl: string, apiKey: string | undefined, timeoutMs: number): Promise<AuthEndpoints> {
  if (apiKey) {
    return {
      identityToolkit: 'https://identitytoolkit.googleapis.com/v1',
      secureToken: 'https://securetoken.googleapis.com/v1',
      apiKey,
      description: 'Firebase project of the given API key',
    };
  }
  const raw = await requestJson<unknown>(`${baseUrl}/config.json`, { timeoutMs }).catch((error: unknown) => {
    throw new Error(`cannot read ${baseUrl}/config.json (is the testbed running there?): ${error instanceof Error ? error.message : String(error)}`);
  });
  const parsed = runtimeConfig.safeParse(raw);
  if (!parsed.success) throw new Error(`${baseUrl}/config.json is not the SPA's runtime config: ${parsed.error.message}`);
  const { firebase, authEmulatorUrl } = parsed.data;
  if (!authEmulatorUrl) {
    throw new Error(
      `${baseUrl} uses a real Firebase project (its config.json names no Auth emulator); pass --api-key of a test project to sign users up there`,
    );
  }
  // "/" means the page's own origin: the dev gateway proxies the emulator's paths.
  const emulator = new URL(authEmulatorUrl, `${baseUrl}/`).origin;
  return {
    identityToolkit: `${emulator}/identitytoolkit.googleapis.com/v1`,
    secureToken: `${emulator}/securetoken.googleapis.com/v1`,
    apiKey: firebase.apiKey,
    description: `Auth emulator at ${emulator}`,
  };
}
