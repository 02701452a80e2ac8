import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ScanState = 'not-scanned' | 'Pending' | 'Running' | 'Success' | 'Error' | 'Stopped';

/** One artifact's scripted answers: a scan state per poll (the last repeats) and its findings. */
export interface FakeArtifact {
  readonly states: readonly ScanState[];
  readonly findings?: Partial<Record<'Critical' | 'High' | 'Medium' | 'Low', number>>;
}

export interface FakeHarbor {
  readonly url: string;
  /** Every request the fake received: method, raw path and Authorization header. */
  readonly requests: Array<{ method: string; path: string; authorization?: string }>;
  close(): Promise<void>;
}

const REPORT = 'application/vnd.security.vulnerability.report; version=1.1';

/**
 * A local HTTP server answering Harbor v2.0's artifact and scan endpoints with the real
 * shapes (swagger: GET /projects/{p}/repositories/{r}/artifacts/{ref}?with_scan_overview=true,
 * POST …/scan), keyed by `project/repository@digest` with the repository decoded once.
 */
export async function fakeHarbor(artifacts: Record<string, FakeArtifact>, options: { credentials?: string } = {}): Promise<FakeHarbor> {
  const polls = new Map<string, number>();
  const requests: FakeHarbor['requests'] = [];
  const server = createServer((request: IncomingMessage, response) => {
    const rawPath = request.url ?? '';
    requests.push({ method: request.method ?? '', path: rawPath, authorization: request.headers.authorization });
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (options.credentials && request.headers.authorization !== `Basic ${Buffer.from(options.credentials).toString('base64')}`) {
      return send(401, { errors: [{ code: 'UNAUTHORIZED', message: 'unauthorized' }] });
    }
    const match = /^\/api\/v2\.0\/projects\/([^/]+)\/repositories\/([^/]+)\/artifacts\/([^/?]+)(\/scan)?/.exec(rawPath);
    if (!match) return send(404, { errors: [{ code: 'NOT_FOUND', message: 'no route' }] });
    // Harbor expects the repository URL-encoded twice; decoding once must still leave %2F.
    const key = `${decodeURIComponent(match[1] ?? '')}/${decodeURIComponent(match[2] ?? '')}@${match[3]}`;
    const artifact = artifacts[key];
    if (!artifact) return send(404, { errors: [{ code: 'NOT_FOUND', message: `artifact ${key} not found` }] });
    if (match[4]) return send(202, {});
    const poll = polls.get(key) ?? 0;
    polls.set(key, poll + 1);
    const state = artifact.states[Math.min(poll, artifact.states.length - 1)] ?? 'not-scanned';
    const findings = artifact.findings ?? {};
    const total = Object.values(findings).reduce((sum, n) => sum + (n ?? 0), 0);
    send(200, {
      id: 12,
      type: 'IMAGE',
      project_id: 3,
      repository_id: 7,
      digest: match[3],
      manifest_media_type: 'application/vnd.oci.image.manifest.v1+json',
      push_time: '2026-11-30T10:20:00.000Z',
      tags: [{ name: 'a1b2c3d', immutable: false }],
      ...(state === 'not-scanned'
        ? {}
        : {
            scan_overview: {
              [REPORT]: {
                report_id: '5e1a5d6c-1d0e-4c3b-9d1f-2b3c4d5e6f70',
                scan_status: state,
                severity: findings.Critical ? 'Critical' : findings.High ? 'High' : total ? 'Medium' : 'None',
                duration: state === 'Success' ? 14 : 0,
                complete_percent: state === 'Success' ? 100 : 40,
                scanner: { name: 'Trivy', vendor: 'Aqua Security', version: 'v0.58.1' },
                ...(state === 'Success' ? { summary: { total, fixable: total, summary: findings } } : {}),
              },
            },
          }),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
