#!/usr/bin/env node
// @ts-check
// Harbor project setup as code: the `testbed` project with scan on push and "prevent vulnerable
// images from running" (severity critical), a robot account for the pipeline (push, pull, read
// scans, request scans) and one for the cluster (pull only). Safe to re-run: an existing project
// gets its settings re-applied; an existing robot is kept (rotate its secret in Harbor's UI or
// with PATCH /robots/{id}). Secrets are written to files under --out, never printed.
//
// Usage: HARBOR_USERNAME=admin HARBOR_PASSWORD=… harbor-setup.mjs --harbor https://harbor.example.com
//        [--project testbed] [--severity critical] --out <dir>
// Harbor API: https://github.com/goharbor/harbor/blob/main/api/v2.0/swagger.yaml
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isMain } from './cli.mjs';

/**
 * @typedef {{ name: string; description: string; access: Array<{ resource: string; action: string }> }} RobotSpec
 */

/** The robot accounts the delivery chain needs, least privilege each. */
export const ROBOTS = /** @type {const} */ ({
  pipeline: {
    name: 'ci',
    description: 'Tekton pipeline: push images, read and request their scans',
    access: [
      { resource: 'repository', action: 'push' },
      { resource: 'repository', action: 'pull' },
      { resource: 'artifact', action: 'read' },
      { resource: 'scan', action: 'create' },
    ],
  },
  cluster: {
    name: 'pull',
    description: 'Kubernetes nodes: pull images (imagePullSecrets)',
    access: [{ resource: 'repository', action: 'pull' }],
  },
});

/**
 * Creates or updates the project and its robots.
 * @param {{ harbor: string; project: string; severity: string; auth: string; out: string; log?: (line: string) => void }} options
 * @returns {Promise<{ project: 'created' | 'updated'; robots: Record<string, 'created' | 'exists'> }>}
 * @throws {Error} when Harbor refuses a request
 */
export async function setupHarbor({ harbor, project, severity, auth, out, log = console.error }) {
  const call = async (/** @type {string} */ method, /** @type {string} */ url, /** @type {unknown} */ body) => {
    const response = await fetch(`${harbor}/api/v2.0${url}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(auth).toString('base64')}`,
        'content-type': 'application/json',
        accept: 'application/json',
        'x-is-resource-name': 'true',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : {} };
  };
  const fail = (/** @type {string} */ what, /** @type {{ status: number; json: any }} */ answer) => {
    const message = answer.json?.errors?.[0]?.message ?? '';
    return new Error(`Harbor refused to ${what}: ${answer.status} ${message}`.trim());
  };

  // Harbor stores project metadata values as strings.
  const metadata = { public: 'false', auto_scan: 'true', prevent_vul: 'true', severity };
  let projectOutcome = /** @type {'created' | 'updated'} */ ('created');
  const created = await call('POST', '/projects', { project_name: project, metadata });
  if (created.status === 409) {
    const updated = await call('PUT', `/projects/${encodeURIComponent(project)}`, { metadata });
    if (updated.status !== 200) throw fail(`update project ${project}`, updated);
    projectOutcome = 'updated';
  } else if (created.status !== 201) {
    throw fail(`create project ${project}`, created);
  }
  log(`project ${project} ${projectOutcome}: scan on push, prevent vulnerable images at ${severity}`);

  mkdirSync(out, { recursive: true, mode: 0o700 });
  const registry = new URL(harbor).host;
  /** @type {Record<string, 'created' | 'exists'>} */
  const robots = {};
  for (const [role, robot] of Object.entries(ROBOTS)) {
    const answer = await call('POST', '/robots', {
      name: robot.name,
      description: robot.description,
      duration: -1,
      level: 'project',
      permissions: [{ kind: 'project', namespace: project, access: robot.access }],
    });
    if (answer.status === 409) {
      robots[role] = 'exists';
      log(`robot ${robot.name} exists; its secret is unchanged (rotate it in Harbor to write new files)`);
      continue;
    }
    if (answer.status !== 201) throw fail(`create robot ${robot.name}`, answer);
    robots[role] = 'created';
    const { name, secret } = /** @type {{ name: string; secret: string }} */ (answer.json);
    const dockerConfig = { auths: { [registry]: { auth: Buffer.from(`${name}:${secret}`).toString('base64') } } };
    writeFileSync(path.join(out, `${role}.dockerconfigjson`), JSON.stringify(dockerConfig), { mode: 0o600 });
    writeFileSync(path.join(out, `${role}.username`), name, { mode: 0o600 });
    writeFileSync(path.join(out, `${role}.password`), secret, { mode: 0o600 });
    log(`robot ${name} created; credentials written to ${out}/${role}.*`);
  }
  return { project: projectOutcome, robots };
}

async function main() {
  const { values } = parseArgs({
    options: {
      harbor: { type: 'string' },
      project: { type: 'string', default: 'testbed' },
      severity: { type: 'string', default: 'critical' },
      out: { type: 'string' },
    },
  });
  const user = process.env['HARBOR_USERNAME'];
  if (!values.harbor || !values.out || !user) {
    console.error('usage: HARBOR_USERNAME=… HARBOR_PASSWORD=… harbor-setup.mjs --harbor <url> --out <dir> [--project testbed] [--severity critical]');
    process.exit(2);
  }
  await setupHarbor({
    harbor: values.harbor,
    project: values.project,
    severity: values.severity,
    auth: `${user}:${process.env['HARBOR_PASSWORD'] ?? ''}`,
    out: values.out,
  });
  console.error(`next: create the Secrets from ${values.out} as docs/cicd.md shows, then delete the files`);
}

if (isMain(import.meta.url)) {
  await main().catch((/** @type {Error} */ error) => {
    console.error(`harbor-setup: ${error.message}`);
    process.exit(1);
  });
}
