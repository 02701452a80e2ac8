// The production route table (manifests/routes.json): one data file that this dev gateway
// follows and the Kubernetes gateway manifests are checked against, so the two cannot drift.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const ROUTES_FILE = join(import.meta.dirname, '..', '..', '..', 'manifests', 'routes.json');

const routeSchema = z
  .object({
    /** Matched against the request path; forwarded unchanged (no prefix rewrite). */
    prefix: z.string().regex(/^\/([\w.-]+\/)*$/, 'must start and end with "/", e.g. /api/public/'),
    /** Kubernetes Service name (= directory under services/, or frontend). */
    service: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be a Kubernetes name'),
    port: z.number().int().min(1).max(65535),
    /** What the browser speaks on this prefix. */
    protocol: z.enum(['http', 'grpc-web']),
    /** What the gateway speaks to the Service: grpc-web is translated to native gRPC over cleartext HTTP/2. */
    upstreamProtocol: z.enum(['http1', 'h2c']),
    timeouts: z.strictObject({
      /** Time from the request to the whole response (Contour timeoutPolicy.response, Emissary timeout_ms). */
      responseMs: z.number().int().positive(),
      /** Longest silence on an open connection (Contour timeoutPolicy.idle, Emissary idle_timeout_ms). */
      idleMs: z.number().int().positive(),
    }),
    /** Largest request body the gateway passes on; 0 refuses any body. */
    maxRequestBodyBytes: z.number().int().min(0),
  })
  .strict()
  .refine((route) => (route.protocol === 'grpc-web') === (route.upstreamProtocol === 'h2c'), {
    message: 'grpc-web routes go to h2c upstreams and http routes to http1 upstreams',
    path: ['upstreamProtocol'],
  });

export const routeTableSchema = z
  .object({
    description: z.string().optional(),
    routes: z.array(routeSchema).min(1),
  })
  .strict()
  .superRefine((table, ctx) => {
    const seen = new Set<string>();
    table.routes.forEach((route, index) => {
      if (seen.has(route.prefix)) ctx.addIssue({ code: 'custom', path: ['routes', index, 'prefix'], message: `duplicate prefix ${route.prefix}` });
      seen.add(route.prefix);
    });
    if (!seen.has('/')) ctx.addIssue({ code: 'custom', path: ['routes'], message: 'needs a catch-all "/" route for the SPA' });
  });

export type Route = z.output<typeof routeSchema>;
export type RouteTable = z.output<typeof routeTableSchema>;

/** Reads and validates the route table; throws with every problem listed. */
export function loadRouteTable(file = ROUTES_FILE): RouteTable {
  const result = routeTableSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new Error(`${file} is not a valid route table:\n${problems.join('\n')}`);
  }
  return result.data;
}

/** The route whose prefix is the longest one the path starts with. */
export function matchRoute<R extends Pick<Route, 'prefix'>>(routes: readonly R[], path: string): R | undefined {
  let best: R | undefined;
  for (const route of routes) {
    if (path.startsWith(route.prefix) && (!best || route.prefix.length > best.prefix.length)) best = route;
  }
  return best;
}
