// GitHub's push webhook reaches the Tekton EventListener through either gateway at /hooks/tekton.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { ofKind, type ContourHTTPProxy, type EmissaryMapping, type KubeObject, type Kustomization, type TriggersEventListener } from './resource-shapes.js';

const render = (dir: string): KubeObject[] =>
  parseAllDocuments(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 }))
    .map((doc) => doc.toJS() as KubeObject | null)
    .filter((object): object is KubeObject => Boolean(object));

// Tekton Triggers names an EventListener's Service el-<name>; it listens on 8080 and answers on /.
const listener = parse(readFileSync('.tekton/triggers/eventlistener.yaml', 'utf8')) as TriggersEventListener;
const listenerService = `el-${listener.metadata.name}`;
const { namespace } = parse(readFileSync('.tekton/kustomization.yaml', 'utf8')) as Kustomization;
if (!namespace) throw new Error('.tekton/kustomization.yaml sets no namespace');

describe('the webhook route', { timeout: 60_000 }, () => {
  it('when prod is rendered, then Contour includes /hooks/tekton from the EventListener’s namespace and strips the prefix', () => {
    const objects = render('manifests/overlays/prod');
    const proxies = ofKind(objects, 'HTTPProxy');
    const root = proxies.find((p) => p.spec.virtualhost) as ContourHTTPProxy;
    const include = root.spec.includes?.find((i) => i.conditions?.[0]?.prefix === '/hooks/tekton');
    expect(include).toMatchObject({ namespace });
    const child = proxies.find((p) => p.metadata.name === include?.name && p.metadata.namespace === namespace) as ContourHTTPProxy;
    const [route] = child.spec.routes ?? [];
    expect(route?.services).toEqual([{ name: listenerService, port: 8080 }]);
    expect(route?.pathRewritePolicy?.replacePrefix).toEqual([{ prefix: '/hooks/tekton', replacement: '/' }]);
  });

  it('when the Emissary flavour adds it, then a Mapping sends /hooks/tekton to the EventListener with the prefix rewritten', () => {
    const dir = mkdtempSync(path.join(process.cwd(), 'manifests', '.webhook-test-'));
    try {
      writeFileSync(
        path.join(dir, 'kustomization.yaml'),
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../overlays/dev-emissary\ncomponents:\n  - ../components/gateway-emissary/tekton-webhook\n',
      );
      const mapping = ofKind(render(dir), 'Mapping').find((o) => o.metadata.name === 'tekton-webhook') as EmissaryMapping;
      expect(mapping.spec).toMatchObject({ prefix: '/hooks/tekton', rewrite: '/', service: `${listenerService}.${namespace}:8080` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
