// Argo CD's view of the repository, offline: the ApplicationSet's git directories generator is
// expanded against the real tree, and every Application's source is rendered with kustomize.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { IMAGES } from '../../.tekton/scripts/images.mjs';
import {
  ofKind,
  type ArgoAppProject,
  type ArgoApplication,
  type ArgoApplicationSet,
  type KubeObject,
  type Kustomization,
  type TektonPipeline,
} from './resource-shapes.js';

const render = (dir: string): KubeObject[] =>
  parseAllDocuments(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 }))
    .map((doc) => doc.toJS() as KubeObject | null)
    .filter((object): object is KubeObject => Boolean(object));

const argo = render('manifests/argocd');
const [project] = ofKind(argo, 'AppProject') as [ArgoAppProject];
const [appSet] = ofKind(argo, 'ApplicationSet') as [ArgoApplicationSet];
const applications = ofKind(argo, 'Application');
const wave = (object: KubeObject) => Number(object.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);

/** The git directories generator, evaluated on this checkout (include globs, then exclusions). */
function generatedPaths(): string[] {
  const git = appSet.spec.generators[0]?.git;
  if (!git) throw new Error('the ApplicationSet’s first generator is not a git generator');
  const entries = git.directories;
  const matches = (glob: string, dir: string) => new RegExp(`^${glob.replace(/\*/g, '[^/]+')}$`).test(dir);
  const candidates = entries
    .filter((entry) => !entry.exclude)
    .flatMap((entry) => {
      const parent = path.dirname(entry.path);
      return readdirSync(parent, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => `${parent}/${d.name}`)
        .filter((dir) => matches(entry.path, dir));
    });
  return candidates.filter((dir) => !entries.some((entry) => entry.exclude && matches(entry.path, dir))).sort();
}

/** The template's destination namespace for a generated path (the one conditional it uses). */
function destinationNamespace(basename: string): string {
  const template = appSet.spec.template.spec.destination.namespace;
  const conditional = /^\{\{ if eq \.path\.basename "([^"]+)" \}\}([^{]+)\{\{ else \}\}\{\{ \.path\.basename \}\}\{\{ end \}\}$/.exec(template);
  if (!conditional) throw new Error(`unexpected namespace template ${template}`);
  return basename === conditional[1] ? (conditional[2] ?? '') : basename;
}

describe('Argo CD', { timeout: 60_000 }, () => {
  it('when the ApplicationSet is expanded, then it makes exactly one Application per image, with goTemplate on', () => {
    expect(appSet.spec.goTemplate).toBe(true);
    expect(generatedPaths().map((dir) => path.basename(dir))).toEqual(IMAGES.map((image) => image.name).sort());
  });

  it('when each generated Application is rendered, then it holds only its own namespace’s objects, all allowed by the project', () => {
    const allowed = new Set(project.spec.destinations.map((d) => d.namespace));
    for (const dir of generatedPaths()) {
      const namespace = destinationNamespace(path.basename(dir));
      expect(allowed.has(namespace), `${namespace} is a project destination`).toBe(true);
      const objects = render(dir);
      expect(
        objects.some((o) => o.kind === 'Deployment'),
        `${dir} has a Deployment`,
      ).toBe(true);
      for (const object of objects) expect(object.metadata.namespace, `${object.kind} ${object.metadata.name}`).toBe(namespace);
    }
  });

  it('when the platform Application is rendered, then its cluster-scoped kinds are whitelisted and its namespaces are project destinations', () => {
    const platform = applications.find((app) => app.metadata.name === 'testbed-platform') as ArgoApplication;
    const allowedKinds = new Set(project.spec.clusterResourceWhitelist.map((k) => `${k.group}/${k.kind}`));
    const allowed = new Set(project.spec.destinations.map((d) => d.namespace));
    for (const object of render(platform.spec.source.path)) {
      const namespace = object.metadata.namespace;
      if (namespace) expect(allowed.has(namespace), `${namespace} is a project destination`).toBe(true);
      else expect(allowedKinds.has(`${object.apiVersion.includes('/') ? object.apiVersion.split('/')[0] : ''}/${object.kind}`)).toBe(true);
    }
  });

  it('when every Application is read, then it syncs automatically with prune and self-heal, from the one repository', () => {
    const repo = project.spec.sourceRepos[0];
    for (const spec of [...applications.map((a) => a.spec), appSet.spec.template.spec]) {
      expect(spec.syncPolicy.automated).toMatchObject({ prune: true, selfHeal: true });
      expect(spec.source.repoURL).toBe(repo);
      expect(spec.project).toBe(project.metadata.name);
    }
  });

  it('when sync waves are compared, then the project comes before the platform, and the platform before the services', () => {
    const platform = applications.find((app) => app.metadata.name === 'testbed-platform') as ArgoApplication;
    expect(wave(project)).toBeLessThan(wave(platform));
    expect(wave(platform)).toBeLessThan(Number(appSet.spec.template.metadata.annotations['argocd.argoproj.io/sync-wave']));
  });

  it('when a service has migrations, then its Application runs them as a PreSync hook Job before its pods', () => {
    const withMigrations = ['public-api', 'secure-api', 'event-consumer'];
    for (const service of withMigrations) {
      const jobs = ofKind(render(`manifests/overlays/prod/${service}`), 'Job');
      expect(
        jobs.map((job) => job.metadata.annotations?.['argocd.argoproj.io/hook']),
        service,
      ).toEqual(['PreSync']);
    }
  });

  it('when the pipeline pins digests, then the file it edits lists every image the prod Deployments run', () => {
    const images = (parse(readFileSync('manifests/overlays/prod/images/kustomization.yaml', 'utf8')) as Kustomization).images;
    if (!images) throw new Error('the prod images kustomization has no images list');
    const pinned = images.map((i) => i.name);
    const pipeline = parse(readFileSync('.tekton/pipelines/ci.yaml', 'utf8')) as TektonPipeline;
    const defaultFile = pipeline.spec.params.find((p) => p.name === 'manifest-kustomization')?.default;
    expect(defaultFile).toBe('manifests/overlays/prod/images/kustomization.yaml');
    const running = ofKind(render('manifests/overlays/prod'), 'Deployment').flatMap((d) => d.spec.template.spec.containers.map((c) => c.image));
    for (const image of running) {
      expect(
        pinned.some((name) => image.startsWith(`harbor.example.com/testbed/${name.split('/').at(-1)}@sha256:`)),
        image,
      ).toBe(true);
    }
    expect(IMAGES.every((image) => pinned.some((name) => name.endsWith(`/${image.name}`)))).toBe(true);
  });
});
