/**
 * The interfaces of the upstream Tekton bundles the pipeline resolves, as published, so the graph
 * check can wire them offline. Update this table with the bundle reference.
 * Sources: tektoncd-catalog/git-clone task/git-clone/git-clone.yaml (gitInitImage v1.0.2) and
 * tektoncd-catalog/kaniko stepaction/kaniko/kaniko.yaml (bundle v0.1.0 holds the Task and the
 * StepAction, .github/workflows/release.yaml).
 */
export interface Interface {
  readonly params: Record<string, { readonly required: boolean; readonly type?: 'string' | 'array' }>;
  readonly workspaces?: Record<string, { readonly optional: boolean }>;
  readonly results: readonly string[];
}

export const BUNDLES: Record<string, { task?: Record<string, Interface>; stepaction?: Record<string, Interface> }> = {
  'ghcr.io/tektoncd-catalog/git-clone/bundle:v1.0.2': {
    task: {
      'git-clone': {
        params: {
          url: { required: true },
          ...Object.fromEntries(
            [
              'revision',
              'refspec',
              'submodules',
              'depth',
              'sslVerify',
              'crtFileName',
              'subdirectory',
              'sparseCheckoutDirectories',
              'deleteExisting',
              'httpProxy',
              'httpsProxy',
              'noProxy',
              'verbose',
              'gitInitImage',
              'userHome',
            ].map((name) => [name, { required: false }]),
          ),
        },
        workspaces: {
          output: { optional: false },
          'ssh-directory': { optional: true },
          'basic-auth': { optional: true },
          'ssl-ca-directory': { optional: true },
        },
        results: ['commit', 'url', 'committer-date'],
      },
    },
  },
  'ghcr.io/tektoncd-catalog/kaniko/bundle:v0.1.0': {
    stepaction: {
      kaniko: {
        params: {
          'source-path': { required: true },
          'dockerconfig-path': { required: false },
          IMAGE: { required: true },
          DOCKERFILE: { required: false },
          CONTEXT: { required: false },
          EXTRA_ARGS: { required: false, type: 'array' },
          BUILDER_IMAGE: { required: false },
          KANIKO_DIR: { required: false },
        },
        results: ['IMAGE_DIGEST', 'IMAGE_URL'],
      },
    },
  },
};
