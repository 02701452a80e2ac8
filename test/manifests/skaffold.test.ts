// skaffold.yaml: the current schema, one artifact per image the dev overlay runs, every artifact
// used, profiles chosen by name.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { podTemplates, REPO_ROOT, renderOverlay } from './render.js';

interface Artifact {
  image: string;
  context: string;
  docker?: { dockerfile: string; buildArgs?: Record<string, string> };
  kaniko?: { dockerfile: string; buildArgs?: Record<string, string> };
  sync?: { manual: { src: string; dest: string }[] };
}
interface Config {
  apiVersion: string;
  build: { artifacts: Artifact[] };
  manifests: { kustomize: { paths: string[] } };
  deploy: { kubectl?: object; kustomize?: object };
  portForward: { resourceType: string; localPort: number }[];
  profiles: { name: string; patches?: unknown; build?: { artifacts?: Artifact[] }; manifests?: { kustomize: { paths: string[] } } }[];
}

const config = parse(readFileSync(join(REPO_ROOT, 'skaffold.yaml'), 'utf8')) as Config;
const ours = (image: string) => image.startsWith('testbed/');

describe('skaffold.yaml', () => {
  it('when read, then it uses skaffold/v4beta14 with kustomize rendering and kubectl deploying the dev overlay', () => {
    expect(config.apiVersion).toBe('skaffold/v4beta14');
    expect(config.manifests.kustomize.paths).toEqual(['manifests/overlays/dev']);
    expect(config.deploy).toEqual({ kubectl: {} });
    expect(config.portForward.map((p) => p.localPort)).toEqual([8080]);
  });

  const dev = renderOverlay('dev');

  it('when the dev overlay is rendered, then every image of ours has an artifact and every artifact is used', () => {
    const images = new Set(
      podTemplates(dev)
        .flatMap((t) => [...t.spec.containers, ...(t.spec.initContainers ?? [])])
        .map((c) => c.image)
        .filter(ours),
    );
    expect(config.build.artifacts.map((a) => a.image).sort()).toEqual([...images].sort());
  });

  // The images branch adds services/Dockerfile (one Dockerfile for the four services).
  it.skipIf(!existsSync(join(REPO_ROOT, 'services', 'Dockerfile')))('when an artifact is built, then its Dockerfile exists and names a real service', () => {
    for (const artifact of config.build.artifacts) {
      const dockerfile = artifact.docker!.dockerfile;
      expect(existsSync(join(REPO_ROOT, artifact.context, dockerfile)), dockerfile).toBe(true);
      const service = artifact.docker!.buildArgs?.['SERVICE'];
      if (service) expect(existsSync(join(REPO_ROOT, 'services', service, 'package.json')), service).toBe(true);
      for (const rule of artifact.sync?.manual ?? []) expect(rule.src.startsWith('frontend/public/')).toBe(true);
    }
  });

  it('when profiles are read, then emissary, kaniko, loadgen, observability and prod exist and none patches by array index', () => {
    expect(config.profiles.map((p) => p.name).sort()).toEqual(['emissary', 'kaniko', 'loadgen', 'observability', 'prod']);
    for (const profile of config.profiles) {
      expect(profile.patches, profile.name).toBeUndefined();
      for (const path of profile.manifests?.kustomize.paths ?? []) expect(existsSync(join(REPO_ROOT, path)), path).toBe(true);
    }
    const kaniko = config.profiles.find((p) => p.name === 'kaniko')!;
    expect(kaniko.build!.artifacts!.map((a) => [a.image, a.kaniko?.dockerfile, a.kaniko?.buildArgs])).toEqual(
      config.build.artifacts.map((a) => [a.image, a.docker?.dockerfile, a.docker?.buildArgs]),
    );
  });
});
