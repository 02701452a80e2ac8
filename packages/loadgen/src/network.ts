import { lookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Agent, setGlobalDispatcher } from 'undici';
import { XMLHttpRequest } from './xhr2.js';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Sends every request for `hostname` to the address of `target` instead (curl's --resolve, by
 * name): the URL, Host header and TLS server name stay the public ones, so a gateway that routes by
 * virtual host (Contour's HTTPProxy fqdn, Emissary's Host) can be reached through its in-cluster
 * Service. Applies to fetch (undici's global dispatcher) and to the grpc-web client (xhr2's agents).
 */
export function resolveHostTo(hostname: string, target: string): void {
  const resolve = (name: string, options: LookupOptions, callback: LookupCallback) =>
    lookup(name === hostname ? target : name, options, callback);
  setGlobalDispatcher(new Agent({ connect: { lookup: resolve } }));
  XMLHttpRequest.nodejsSet({
    httpAgent: new HttpAgent({ keepAlive: true, lookup: resolve }),
    httpsAgent: new HttpsAgent({ keepAlive: true, lookup: resolve }),
  });
}
