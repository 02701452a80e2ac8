import { lookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { Agent, setGlobalDispatcher } from 'undici';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Sends every request for `hostname` to the address of `target` instead (curl's --resolve, by
 * name): the URL, Host header and TLS server name stay the public ones, so a gateway that routes by
 * virtual host (Contour's HTTPProxy fqdn, Emissary's Host) can be reached through its in-cluster
 * Service. Applies to fetch (undici's global dispatcher) and to the grpc-web client (Node's global http
 * and https agents, which nice-grpc-web's NodeHttpTransport uses).
 */
export function resolveHostTo(hostname: string, target: string): void {
  const resolve = (name: string, options: LookupOptions, callback: LookupCallback) => lookup(name === hostname ? target : name, options, callback);
  setGlobalDispatcher(new Agent({ connect: { lookup: resolve } }));
  http.globalAgent = new http.Agent({ keepAlive: true, lookup: resolve });
  https.globalAgent = new https.Agent({ keepAlive: true, lookup: resolve });
}
