/**
 * Typed, partial views of the Kubernetes objects the test/cicd probes read from YAML (the repository's
 * manifests, or `kubectl kustomize` output). Each interface holds only the fields a test reads; the
 * upstream types have many more, and these are not validators. A probe casts once, where it parses
 * YAML, to `KubeObject` (or to one of these when the file holds one known object), and narrows by kind
 * with `ofKind`.
 *
 * Optional fields (`?`) are the ones some of our objects leave out, which the probes handle. The others
 * are set by every object of that kind here; if one is missing, the test that reads it fails, as it
 * should.
 */

/** A Kubernetes object's metadata (core/v1 ObjectMeta), the fields the probes read. */
export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Any Kubernetes object: what a parsed YAML document is known to be before its kind is checked. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: ObjectMeta;
}

// ---------------------------------------------------------------------------------------------
// Tekton Pipelines v1 (tekton.dev/v1: Pipeline, Task, PipelineRun)
// ---------------------------------------------------------------------------------------------

/** A Tekton ParamValue: a string, an array of strings or an object of strings. */
export type TektonParamValue = string | readonly string[] | Readonly<Record<string, string>>;

/** A param given to a Task, a StepAction, a PipelineRun or a resolver (Tekton v1 `Param`). */
export interface TektonParam {
  readonly name: string;
  readonly value: TektonParamValue;
}

/**
 * A param a Pipeline, Task or TriggerTemplate declares (Tekton v1 `ParamSpec`); `type` defaults to string.
 * Upstream also has `object` params; none of ours is one, and the bundle interfaces (tekton-bundles.ts) know
 * only string and array.
 */
export interface TektonParamSpec {
  readonly name: string;
  readonly type?: 'string' | 'array';
  readonly default?: TektonParamValue;
}

/** A workspace a Pipeline or Task declares (Tekton v1 `WorkspaceDeclaration` / `PipelineWorkspaceDeclaration`). */
export interface TektonWorkspaceDeclaration {
  readonly name: string;
  readonly optional?: boolean;
}

/** A result a Task, a step or a Pipeline declares (Tekton v1 `TaskResult` / `StepResult` / `PipelineResult`). */
export interface TektonResult {
  readonly name: string;
  readonly type?: 'string' | 'array' | 'object';
  readonly value?: TektonParamValue;
}

/**
 * A `taskRef` or a step's `ref` (Tekton v1 `TaskRef` / `Ref`): a local object by `name`, or a remote one
 * through a `resolver` and its params (the bundles resolver takes `bundle`, `name` and `kind` strings).
 */
export interface TektonRef {
  readonly name?: string;
  readonly resolver?: string;
  readonly params?: readonly TektonParam[];
}

/** A `when` expression guarding a Pipeline task (Tekton v1 `WhenExpression`). */
export interface TektonWhenExpression {
  readonly input: string;
  readonly operator: 'in' | 'notin';
  readonly values: readonly string[];
}

/** One task of a Pipeline (Tekton v1 `PipelineTask`). */
export interface TektonPipelineTask {
  readonly name: string;
  readonly taskRef: TektonRef;
  readonly params?: readonly TektonParam[];
  readonly matrix?: { readonly params: readonly TektonParam[] };
  /** Binds the task's workspace `name` to the Pipeline's workspace `workspace`. */
  readonly workspaces?: ReadonlyArray<{ readonly name: string; readonly workspace: string }>;
  readonly when?: readonly TektonWhenExpression[];
  readonly runAfter?: readonly string[];
}

/** A Tekton Pipeline (tekton.dev/v1). */
export interface TektonPipeline extends KubeObject {
  readonly kind: 'Pipeline';
  readonly spec: {
    readonly params: readonly TektonParamSpec[];
    readonly workspaces: readonly TektonWorkspaceDeclaration[];
    readonly tasks: readonly TektonPipelineTask[];
    readonly results?: readonly TektonResult[];
  };
}

/** One step of a Task (Tekton v1 `Step`): an inline script, or a StepAction through `ref`. */
export interface TektonStep {
  readonly name: string;
  readonly ref?: TektonRef;
  readonly params?: readonly TektonParam[];
  readonly results?: readonly TektonResult[];
  readonly script?: string;
}

/** A Tekton Task (tekton.dev/v1). */
export interface TektonTask extends KubeObject {
  readonly kind: 'Task';
  readonly spec: {
    readonly params?: readonly TektonParamSpec[];
    readonly workspaces?: readonly TektonWorkspaceDeclaration[];
    readonly results?: readonly TektonResult[];
    readonly steps: readonly TektonStep[];
    /** Read only for the Tekton variables it uses. */
    readonly sidecars?: readonly unknown[];
  };
}

/** A workspace binding of a PipelineRun (Tekton v1 `WorkspaceBinding`): one volume source is set. */
export interface TektonWorkspaceBinding {
  readonly name: string;
  readonly secret?: { readonly secretName: string };
  readonly volumeClaimTemplate?: unknown;
}

/** A Tekton PipelineRun (tekton.dev/v1), as a TriggerTemplate makes it. */
export interface TektonPipelineRun {
  readonly kind: 'PipelineRun';
  readonly spec: {
    readonly pipelineRef: { readonly name: string };
    readonly params: readonly TektonParam[];
    readonly workspaces: readonly TektonWorkspaceBinding[];
    readonly taskRunTemplate: { readonly serviceAccountName: string };
  };
}

// ---------------------------------------------------------------------------------------------
// Tekton Triggers v1beta1 (triggers.tekton.dev/v1beta1: EventListener, TriggerBinding, TriggerTemplate)
// ---------------------------------------------------------------------------------------------

/** An interceptor of an EventListener trigger, referring to a ClusterInterceptor (`github`, `cel`, ...). */
export interface TriggersInterceptor {
  readonly ref: { readonly name: string };
  /** Interceptor params take any JSON value (e.g. `secretRef` is an object). */
  readonly params: ReadonlyArray<{ readonly name: string; readonly value: unknown }>;
}

/** One trigger of an EventListener (Triggers v1beta1 `EventListenerTrigger`). */
export interface TriggersEventListenerTrigger {
  readonly interceptors: readonly TriggersInterceptor[];
  readonly bindings: ReadonlyArray<{ readonly ref: string }>;
  readonly template: { readonly ref: string };
}

/** A Tekton Triggers EventListener (triggers.tekton.dev/v1beta1). */
export interface TriggersEventListener extends KubeObject {
  readonly kind: 'EventListener';
  readonly spec: {
    readonly serviceAccountName: string;
    readonly triggers: readonly TriggersEventListenerTrigger[];
  };
}

/** A Tekton Triggers TriggerBinding (triggers.tekton.dev/v1beta1); values are `$(body.…)` strings. */
export interface TriggersTriggerBinding extends KubeObject {
  readonly kind: 'TriggerBinding';
  readonly spec: { readonly params: ReadonlyArray<{ readonly name: string; readonly value: string }> };
}

/** A Tekton Triggers TriggerTemplate (triggers.tekton.dev/v1beta1) whose resources are PipelineRuns. */
export interface TriggersTriggerTemplate extends KubeObject {
  readonly kind: 'TriggerTemplate';
  readonly spec: {
    readonly params: readonly TektonParamSpec[];
    readonly resourcetemplates: readonly TektonPipelineRun[];
  };
}

// ---------------------------------------------------------------------------------------------
// Argo CD (argoproj.io/v1alpha1: AppProject, Application, ApplicationSet)
// ---------------------------------------------------------------------------------------------

/** An Argo CD Application's spec (argoproj.io/v1alpha1 `ApplicationSpec`). */
export interface ArgoApplicationSpec {
  readonly project: string;
  readonly source: { readonly repoURL: string; readonly path: string };
  readonly destination: { readonly namespace: string };
  readonly syncPolicy: { readonly automated?: { readonly prune?: boolean; readonly selfHeal?: boolean } };
}

/** An Argo CD AppProject (argoproj.io/v1alpha1). */
export interface ArgoAppProject extends KubeObject {
  readonly kind: 'AppProject';
  readonly spec: {
    readonly sourceRepos: readonly string[];
    readonly destinations: ReadonlyArray<{ readonly server?: string; readonly namespace: string }>;
    /** Cluster-scoped kinds the project may deploy; `group` is "" for the core API group. */
    readonly clusterResourceWhitelist: ReadonlyArray<{ readonly group: string; readonly kind: string }>;
  };
}

/** An Argo CD Application (argoproj.io/v1alpha1). */
export interface ArgoApplication extends KubeObject {
  readonly kind: 'Application';
  readonly spec: ArgoApplicationSpec;
}

/** One generator of an ApplicationSet; only the git directories generator is read. */
export interface ArgoApplicationSetGenerator {
  readonly git?: { readonly directories: ReadonlyArray<{ readonly path: string; readonly exclude?: boolean }> };
}

/** An Argo CD ApplicationSet (argoproj.io/v1alpha1); its template's strings are Go templates. */
export interface ArgoApplicationSet extends KubeObject {
  readonly kind: 'ApplicationSet';
  readonly spec: {
    readonly goTemplate?: boolean;
    readonly generators: readonly ArgoApplicationSetGenerator[];
    readonly template: {
      readonly metadata: { readonly annotations: Readonly<Record<string, string>> };
      readonly spec: ArgoApplicationSpec;
    };
  };
}

// ---------------------------------------------------------------------------------------------
// Built-in kinds, gateways and kustomize
// ---------------------------------------------------------------------------------------------

/** A Deployment (apps/v1), down to its containers' images. */
export interface Deployment extends KubeObject {
  readonly kind: 'Deployment';
  readonly spec: { readonly template: { readonly spec: { readonly containers: ReadonlyArray<{ readonly image: string }> } } };
}

/** A Job (batch/v1); the probes read only its metadata (Argo CD hook annotations). */
export interface Job extends KubeObject {
  readonly kind: 'Job';
}

/** A Contour HTTPProxy (projectcontour.io/v1): a root proxy has a `virtualhost` and includes children. */
export interface ContourHTTPProxy extends KubeObject {
  readonly kind: 'HTTPProxy';
  readonly spec: {
    readonly virtualhost?: { readonly fqdn: string };
    readonly includes?: ReadonlyArray<{
      readonly name: string;
      readonly namespace?: string;
      readonly conditions?: ReadonlyArray<{ readonly prefix?: string }>;
    }>;
    readonly routes?: ReadonlyArray<{
      readonly services: ReadonlyArray<{ readonly name: string; readonly port: number }>;
      readonly pathRewritePolicy?: {
        readonly replacePrefix: ReadonlyArray<{ readonly prefix?: string; readonly replacement: string }>;
      };
    }>;
  };
}

/** An Emissary-ingress Mapping (getambassador.io/v3alpha1). */
export interface EmissaryMapping extends KubeObject {
  readonly kind: 'Mapping';
  readonly spec: { readonly prefix: string; readonly rewrite?: string; readonly service: string };
}

/** A kustomization.yaml (kustomize.config.k8s.io/v1beta1 Kustomization), the fields the probes read. */
export interface Kustomization {
  readonly namespace?: string;
  readonly resources?: readonly string[];
  readonly images?: ReadonlyArray<{ readonly name: string; readonly newName?: string; readonly digest?: string }>;
}

/** The kinds `ofKind` can narrow to, by their `kind` field. */
export interface KnownKinds {
  readonly Pipeline: TektonPipeline;
  readonly Task: TektonTask;
  readonly EventListener: TriggersEventListener;
  readonly TriggerBinding: TriggersTriggerBinding;
  readonly TriggerTemplate: TriggersTriggerTemplate;
  readonly AppProject: ArgoAppProject;
  readonly Application: ArgoApplication;
  readonly ApplicationSet: ArgoApplicationSet;
  readonly Deployment: Deployment;
  readonly Job: Job;
  readonly HTTPProxy: ContourHTTPProxy;
  readonly Mapping: EmissaryMapping;
  /** Read only for its name. */
  readonly ServiceAccount: KubeObject;
}

/** The objects of one kind, typed as that kind's view (the `kind` field is the only check). */
export function ofKind<K extends keyof KnownKinds>(objects: readonly KubeObject[], kind: K): Array<KnownKinds[K]> {
  return objects.filter((object): object is KnownKinds[K] => object.kind === kind);
}
