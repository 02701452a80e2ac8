import { describe, expect, it } from 'vitest';
import { parseObjects, ALL_OVERLAYS, renderOverlay } from './render.js';
import { unknownBuiltInFields, validateBuiltIn, validateCustomResource } from './schemas.js';

const isBuiltIn = (apiVersion: string) => !apiVersion.includes('.') || apiVersion.includes('.k8s.io/');

describe.each(ALL_OVERLAYS)('overlays/%s', (overlay) => {
  it('when rendered, then every built-in object passes kubernetes-models and has no unknown field', async () => {
    const problems: string[] = [];
    for (const object of renderOverlay(overlay).filter((o) => isBuiltIn(o.apiVersion))) {
      const name = `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`;
      const invalid = await validateBuiltIn(object);
      const unknown = unknownBuiltInFields(object);
      if (invalid === undefined || unknown === undefined) problems.push(`${name}: no model for ${object.apiVersion}`);
      else problems.push(...[...invalid, ...unknown].map((p) => `${name}: ${p}`));
    }
    expect(problems).toEqual([]);
  }, 120_000);

  it('when rendered, then every custom resource matches its upstream CRD schema', () => {
    const problems: string[] = [];
    for (const object of renderOverlay(overlay).filter((o) => !isBuiltIn(o.apiVersion))) {
      const name = `${object.apiVersion} ${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}`;
      const result = validateCustomResource(object);
      if (result === undefined) problems.push(`${name}: no vendored schema`);
      else problems.push(...result.map((p) => `${name}: ${p}`));
    }
    expect(problems).toEqual([]);
  });
});

describe('the validators themselves', () => {
  const [deployment] = parseObjects(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: x}
spec:
  selector: {matchLabels: {a: b}}
  template:
    metadata: {labels: {a: b}}
    spec:
      containers:
        - name: x
          image: x
          resource: {limits: {memory: 1Gi}}
          securityContext: {runAsNonRoot: true, readOnlyRootFileSystem: true}
`);
  it('when a built-in object has misspelled fields, then the strict pass names each', () => {
    expect(unknownBuiltInFields(deployment!)).toEqual([
      '.spec.template.spec.containers[0].resource: unknown field',
      '.spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem: unknown field',
    ]);
  }, 120_000);

  it('when a field has the wrong type, then kubernetes-models rejects it', async () => {
    const [bad] = parseObjects('apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {ports: [{port: "http"}]}\n');
    expect(await validateBuiltIn(bad!)).toEqual([expect.stringContaining('port')]);
  });

  it('when a custom resource has an unknown or mistyped field, then the CRD schema rejects it', () => {
    const [proxy] = parseObjects(`
apiVersion: projectcontour.io/v1
kind: HTTPProxy
metadata: {name: x}
spec:
  routes:
    - services: [{name: a, port: "80"}]
      timeoutPolicy: {responce: 1s}
`);
    expect(validateCustomResource(proxy!)).toEqual(
      expect.arrayContaining([expect.stringContaining('responce: unknown field'), expect.stringContaining('/port')]),
    );
  });
});
