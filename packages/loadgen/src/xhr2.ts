import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { createRequire } from 'node:module';

/** xhr2's export: the browser's XMLHttpRequest on Node's http module, plus its Node-only agent setting. */
export type NodeXMLHttpRequest = (new () => unknown) & {
  nodejsSet(options: { httpAgent?: HttpAgent; httpsAgent?: HttpsAgent }): void;
};

// xhr2 is CommonJS without type declarations; required here once, with the type above.
export const XMLHttpRequest = createRequire(import.meta.url)('xhr2') as NodeXMLHttpRequest;
