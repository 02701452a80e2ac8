// xhr2 ships no types: a constructor compatible with the browser's XMLHttpRequest, plus its Node-only
// nodejsSet for the http(s) agents it sends through.
declare module 'xhr2' {
  import type { Agent as HttpAgent } from 'node:http';
  import type { Agent as HttpsAgent } from 'node:https';

  const XMLHttpRequest: typeof globalThis.XMLHttpRequest & {
    nodejsSet(options: { httpAgent?: HttpAgent; httpsAgent?: HttpsAgent }): void;
  };
  export default XMLHttpRequest;
}
