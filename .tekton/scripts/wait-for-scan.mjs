#!/usr/bin/env node
// @ts-check
// The scan gate: waits until Harbor has scanned each pushed digest and fails on findings at or
// above a severity. Harbor's "prevent vulnerable images from running" refuses pulls of images
// that are vulnerable or not scanned yet, so proposing a tag before its scan succeeded would
// roll out pods that can't start. The wait-for-scan Task runs this file; so do the tests.
//
// Usage: wait-for-scan.mjs --harbor <url> [--fail-on Critical|High|Medium|Low] [--timeout-s 900]
//        [--interval-s 10] <registry/project/repo:tag>… <sha256:…>…   (references, then their digests)
// Credentials (a robot account) come from HARBOR_USERNAME and HARBOR_PASSWORD.
// Harbor API: https://github.com/goharbor/harbor/blob/main/api/v2.0/swagger.yaml
// (GET /projects/{project_name}/repositories/{repository_name}/artifacts/{reference}, with_scan_overview;
//  POST …/artifacts/{reference}/scan).
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { isMain, pairImagesWithDigests } from './cli.mjs';

/** The report format we ask for; Harbor keys `scan_overview` by it. */
export const VULNERABILITY_REPORT = 'application/vnd.security.vulnerability.report; version=1.1';
const NATIVE_REPORT = 'application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0';

/** Severities from worst to mildest, as Harbor spells them. */
export const SEVERITIES = /** @type {const} */ (['Critical', 'High', 'Medium', 'Low']);

/** Scan states after which polling stops. */
const FINISHED = new Set(['Success', 'Error', 'Stopped']);

/**
 * An image reference split the way Harbor's API addresses it.
 * @param {string} image `registry/project/repository[:tag]`; the repository may hold slashes
 * @returns {{ registry: string; project: string; repository: string }}
 * @throws {Error} when the reference has no project
 */
export function parseImage(image) {
  const withoutTag = image.replace(/(@sha256:[0-9a-f]+|:[\w][\w.-]*)$/, '');
  const [registry, project, ...rest] = withoutTag.split('/');
  if (!registry || !project || rest.length === 0) {
    throw new Error(`"${image}" is not registry/project/repository[:tag]`);
  }
  return { registry, project, repository: rest.join('/') };
}

/**
 * @typedef {{ status: 'passed' | 'failed'; reason: string; reportUrl: string }} ScanVerdict
 */

/**
 * Waits for Harbor's scan of one artifact and judges it.
 * @param {{ harbor: string; image: string; digest: string; failOn: typeof SEVERITIES[number];
 *   timeoutMs: number; intervalMs: number; auth?: string; log?: (line: string) => void }} options
 * @returns {Promise<ScanVerdict>}
 */
export async function waitForScan({ harbor, image, digest, failOn, timeoutMs, intervalMs, auth, log = console.error }) {
  const { project, repository } = parseImage(image);
  // Harbor wants a repository name with slashes URL-encoded twice (swagger: repository_name).
  const repoPath = encodeURIComponent(encodeURIComponent(repository));
  const artifactUrl = `${harbor}/api/v2.0/projects/${encodeURIComponent(project)}/repositories/${repoPath}/artifacts/${digest}`;
  const headers = { accept: 'application/json', 'x-accept-vulnerabilities': `${VULNERABILITY_REPORT}, ${NATIVE_REPORT}` };
  if (auth) Object.assign(headers, { authorization: `Basic ${Buffer.from(auth).toString('base64')}` });
  let reportUrl = `${harbor}/harbor/projects/${project}/repositories/${encodeURIComponent(repository)}/artifacts-tab/artifacts/${digest}`;
  const deadline = Date.now() + timeoutMs;
  let scanRequested = false;

  for (;;) {
    const response = await fetch(`${artifactUrl}?with_scan_overview=true`, { headers, signal: AbortSignal.timeout(10_000) }).catch(
      (/** @type {Error} */ error) => ({ ok: false, status: 0, statusText: error.message, json: async () => ({}) }),
    );
    if (response.status === 404) return { status: 'failed', reason: `Harbor has no artifact ${repository}@${digest} in project ${project}`, reportUrl };
    if (response.status === 401 || response.status === 403) {
      return { status: 'failed', reason: `Harbor refused the credentials (${response.status}); check the robot account`, reportUrl };
    }
    if (response.ok) {
      const artifact = /** @type {{ project_id?: number; scan_overview?: Record<string, ScanOverview> }} */ (await response.json());
      if (artifact.project_id !== undefined) {
        reportUrl = `${harbor}/harbor/projects/${artifact.project_id}/repositories/${encodeURIComponent(repository)}/artifacts-tab/artifacts/${digest}`;
      }
      const overview = artifact.scan_overview?.[VULNERABILITY_REPORT] ?? artifact.scan_overview?.[NATIVE_REPORT];
      if (!overview && !scanRequested) {
        // Auto-scan normally starts on push; ask once in case the project doesn't have it on.
        scanRequested = true;
        await fetch(`${artifactUrl}/scan`, { method: 'POST', headers, signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
        log(`${repository}@${digest}: not scanned yet, scan requested`);
      } else if (overview && FINISHED.has(overview.scan_status)) {
        return judge(overview, failOn, reportUrl);
      } else if (overview) {
        log(`${repository}@${digest}: scan ${overview.scan_status}${overview.complete_percent ? ` (${overview.complete_percent}%)` : ''}`);
      }
    } else {
      log(`${repository}@${digest}: Harbor answered ${response.status} ${response.statusText}; retrying`);
    }
    if (Date.now() + intervalMs > deadline) {
      return { status: 'failed', reason: `no finished scan of ${repository}@${digest} within ${Math.round(timeoutMs / 1000)} s`, reportUrl };
    }
    await sleep(intervalMs);
  }
}

/**
 * @typedef {{ scan_status: string; severity?: string; complete_percent?: number;
 *   summary?: { total?: number; summary?: Partial<Record<string, number>> } }} ScanOverview
 */

/**
 * @param {ScanOverview} overview
 * @param {typeof SEVERITIES[number]} failOn
 * @param {string} reportUrl
 * @returns {ScanVerdict}
 */
function judge(overview, failOn, reportUrl) {
  if (overview.scan_status !== 'Success') return { status: 'failed', reason: `the scan ended ${overview.scan_status}`, reportUrl };
  const counts = overview.summary?.summary ?? {};
  const gate = SEVERITIES.slice(0, SEVERITIES.indexOf(failOn) + 1);
  const blocking = gate.filter((severity) => (counts[severity] ?? 0) > 0);
  if (blocking.length > 0) {
    const found = blocking.map((severity) => `${counts[severity]} ${severity}`).join(', ');
    return { status: 'failed', reason: `vulnerabilities at or above ${failOn}: ${found}`, reportUrl };
  }
  return { status: 'passed', reason: `scanned, ${overview.summary?.total ?? 0} findings, none at or above ${failOn}`, reportUrl };
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      harbor: { type: 'string' },
      'fail-on': { type: 'string', default: 'Critical' },
      'timeout-s': { type: 'string', default: '900' },
      'interval-s': { type: 'string', default: '10' },
    },
  });
  const failOn = /** @type {typeof SEVERITIES[number]} */ (values['fail-on']);
  const built = pairImagesWithDigests(positionals);
  if (!values.harbor || built.length === 0 || !SEVERITIES.includes(failOn)) {
    console.error('usage: wait-for-scan.mjs --harbor <url> [--fail-on Critical|High|Medium|Low] <image ref>… <sha256:…>…');
    process.exit(2);
  }
  const auth = process.env['HARBOR_USERNAME'] ? `${process.env['HARBOR_USERNAME']}:${process.env['HARBOR_PASSWORD'] ?? ''}` : undefined;
  const verdicts = await Promise.all(
    built.map(({ image, digest }) =>
      waitForScan({
        harbor: values.harbor ?? '',
        image,
        digest,
        failOn,
        timeoutMs: Number(values['timeout-s']) * 1000,
        intervalMs: Number(values['interval-s']) * 1000,
        auth,
      }).then((verdict) => ({ image, ...verdict })),
    ),
  );
  for (const verdict of verdicts) {
    console.log(`${verdict.status === 'passed' ? 'PASS' : 'FAIL'} ${verdict.image}: ${verdict.reason}\n     report: ${verdict.reportUrl}`);
  }
  process.exit(verdicts.every((verdict) => verdict.status === 'passed') ? 0 : 1);
}

if (isMain(import.meta.url)) {
  await main().catch((/** @type {Error} */ error) => {
    console.error(`wait-for-scan: ${error.message}`);
    process.exit(2);
  });
}
