// A graph check of the delivery pipeline, offline: every reference between the Pipeline, its
// Tasks, the upstream bundles, the trigger objects and the scripts resolves and is wired.
// (@ibm/tekton-lint crashes on the bundles resolver and misreads `matrix`, hence our own.)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { assert, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  ofKind,
  type KubeObject,
  type Kustomization,
  type TektonPipeline,
  type TektonRef,
  type TektonStep,
  type TektonTask,
  type TektonWorkspaceDeclaration,
  type TriggersEventListener,
  type TriggersTriggerBinding,
  type TriggersTriggerTemplate,
} from './resource-shapes.js';
import { BUNDLES, type Interface } from './tekton-bundles.js';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.yaml') && entry.name !== 'kustomization.yaml')
    .map((entry) => path.join(entry.parentPath, entry.name));
}
const objects: KubeObject[] = yamlFiles('.tekton').flatMap((file) =>
  parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => ({ ...(doc.toJS() as KubeObject), __file: file })),
);
const [pipeline] = ofKind(objects, 'Pipeline') as [TektonPipeline];
const tasks = new Map(ofKind(objects, 'Task').map((task) => [task.metadata.name, task]));

/** A local Task's or a bundle's interface. */
function interfaceOfTask(task: TektonTask): Interface {
  const spec = task.spec;
  return {
    params: Object.fromEntries((spec.params ?? []).map((p) => [p.name, { required: p.default === undefined, type: p.type ?? 'string' }])),
    workspaces: Object.fromEntries((spec.workspaces ?? []).map((w) => [w.name, { optional: Boolean(w.optional) }])),
    results: (spec.results ?? []).map((r) => r.name),
  };
}
const resultTypes = (task: TektonTask) => new Map((task.spec.results ?? []).map((r) => [r.name, r.type ?? 'string']));

/** Resolves a taskRef or step ref: a local Task by name, or a pinned bundle in the catalogue. */
function resolve(ref: TektonRef, kind: 'task' | 'stepaction'): { iface: Interface; local?: TektonTask } {
  if (ref.name && !ref.resolver) {
    const local = tasks.get(ref.name);
    if (!local) throw new Error(`no Task "${ref.name}" in .tekton/tasks`);
    return { iface: interfaceOfTask(local), local };
  }
  expect(ref.resolver, 'only local Tasks and the bundles resolver are used').toBe('bundles');
  // The bundles resolver's params are strings; anything else (or a missing one) fails the checks below.
  const param = (name: string) => {
    const value = ref.params?.find((p) => p.name === name)?.value;
    return typeof value === 'string' ? value : '';
  };
  const bundle = param('bundle');
  expect(bundle, 'a bundle is pinned to a release tag or digest, never latest').toMatch(/(:v\d+\.\d+\.\d+|@sha256:[0-9a-f]{64})$/);
  expect(param('kind')).toBe(kind);
  const iface = BUNDLES[bundle]?.[kind]?.[param('name')];
  if (!iface) throw new Error(`bundle ${bundle} (${kind} ${param('name')}) is not in test/cicd/tekton-bundles.ts`);
  return { iface };
}

/**
 * Every Tekton variable `$(scope.…)` in a value (strings, arrays and objects, recursively). Shell
 * command substitutions in scripts (`$(pwd)`) are not Tekton's and are left alone.
 */
function expressions(value: unknown): string[] {
  if (typeof value === 'string') {
    return [...value.matchAll(/\$\(((?:params|workspaces|results|steps|step|tasks|context|tt)\.[^)\s"]+)\)/g)].map((m) => m[1] ?? '');
  }
  if (Array.isArray(value)) return value.flatMap(expressions);
  if (value && typeof value === 'object') return Object.values(value).flatMap(expressions);
  return [];
}

const pipelineTasks = pipeline.spec.tasks;
const pipelineParams = new Set(pipeline.spec.params.map((p) => p.name));
const pipelineWorkspaces = new Map<string, TektonWorkspaceDeclaration>(pipeline.spec.workspaces.map((w) => [w.name, w]));

describe('the Pipeline graph', () => {
  it.each(pipelineTasks.map((task) => [task.name, task] as const))(
    'when task %s is read, then its reference, params and workspaces are wired',
    (_name, task) => {
      const { iface } = resolve(task.taskRef, 'task');
      const given = [...(task.params ?? []), ...(task.matrix?.params ?? [])].map((p) => p.name);
      for (const name of given) expect(iface.params, `param ${name} is declared by the task`).toHaveProperty([name]);
      for (const [name, param] of Object.entries(iface.params)) {
        if (param.required) expect(given, `required param ${name} is given`).toContain(name);
      }
      for (const matrixParam of task.matrix?.params ?? []) {
        expect(iface.params[matrixParam.name]?.type ?? 'string', 'a matrix fans out string params').toBe('string');
      }
      const bound = (task.workspaces ?? []).map((w) => w.name);
      for (const binding of task.workspaces ?? []) {
        expect(iface.workspaces, `workspace ${binding.name} is declared by the task`).toHaveProperty([binding.name]);
        expect(pipelineWorkspaces.has(binding.workspace), `pipeline workspace ${binding.workspace} exists`).toBe(true);
      }
      for (const [name, workspace] of Object.entries(iface.workspaces ?? {})) {
        if (!workspace.optional) expect(bound, `required workspace ${name} is bound`).toContain(name);
      }
    },
  );

  it('when results and params are referenced, then each is produced by a task that runs earlier or declared by the pipeline', () => {
    const names = pipelineTasks.map((task) => task.name);
    const order = new Map(names.map((name, index) => [name, index]));
    const produced = new Map(pipelineTasks.map((task) => [task.name, resolve(task.taskRef, 'task')]));
    const matrixed = new Set(pipelineTasks.filter((task) => task.matrix).map((task) => task.name));
    const check = (owner: string | undefined, expression: string) => {
      const param = /^params\.([\w-]+)$/.exec(expression);
      if (param) return expect(pipelineParams.has(param[1] ?? ''), `pipeline param ${param[1]}`).toBe(true);
      const result = /^tasks\.([\w-]+)\.results\.([\w-]+)(\[\*\])?$/.exec(expression);
      if (!result) throw new Error(`unexpected expression $(${expression})`);
      const [, producer = '', name = '', star] = result;
      expect(produced.get(producer)?.iface.results, `${producer} produces ${name}`).toContain(name);
      if (owner) expect(order.get(producer) ?? Infinity, `${producer} runs before ${owner}`).toBeLessThan(order.get(owner) ?? -1);
      if (star) {
        const local = produced.get(producer)?.local;
        const isArray = matrixed.has(producer) || (local && resultTypes(local).get(name) === 'array');
        expect(isArray, `$(${expression}) expands an array result`).toBe(true);
      }
    };
    for (const task of pipelineTasks) {
      for (const expression of expressions([task.params, task.matrix, task.when])) check(task.name, expression);
      for (const when of task.when ?? []) expect(expressions(when.input)).not.toHaveLength(0);
      for (const previous of task.runAfter ?? []) expect(names).toContain(previous);
    }
    for (const expression of expressions(pipeline.spec.results)) check(undefined, expression);
  });

  it('when the tasks are ordered, then every task but the first runs after another, so the graph is one chain from the clone', () => {
    const [first, ...rest] = pipelineTasks;
    expect(first?.name).toBe('clone');
    for (const task of rest) expect(task.runAfter, `${task.name} has runAfter`).toBeDefined();
  });
});

describe('the Tasks', () => {
  it.each([...tasks.keys()])('when Task %s is read, then each variable it uses is declared and each script it runs exists', (name) => {
    const task = tasks.get(name) as TektonTask;
    const spec = task.spec;
    const declared = interfaceOfTask(task);
    const stepResults = new Map<string, string[]>();
    const check = (expression: string, step?: TektonStep) => {
      const [scope = '', id = '', field = ''] = expression.split('.');
      if (scope === 'params') expect(declared.params, `param ${id}`).toHaveProperty([id.replace(/\[\*\]$/, '')]);
      else if (scope === 'workspaces') {
        expect(declared.workspaces, `workspace ${id}`).toHaveProperty([id]);
        expect(['path', 'bound', 'claim', 'volume']).toContain(field);
      } else if (scope === 'results') expect(declared.results, `result ${id}`).toContain(id);
      else if (scope === 'step')
        expect(
          step?.results?.map((r) => r.name),
          `step result ${field}`,
        ).toContain(field);
      else if (scope === 'steps')
        expect(stepResults.get(id) ?? [], `earlier step ${id} has result ${expression.split('.')[3]}`).toContain(expression.split('.')[3]);
      else throw new Error(`unexpected expression $(${expression}) in ${name}`);
    };
    for (const step of spec.steps) {
      for (const expression of expressions(step)) check(expression, step);
      if (step.ref) {
        const { iface } = resolve(step.ref, 'stepaction');
        const given = (step.params ?? []).map((p) => p.name);
        for (const param of given) expect(iface.params, `StepAction param ${param}`).toHaveProperty([param]);
        for (const [param, spec] of Object.entries(iface.params)) if (spec.required) expect(given).toContain(param);
        stepResults.set(step.name, [...iface.results]);
      } else {
        stepResults.set(
          step.name,
          (step.results ?? []).map((r) => r.name),
        );
      }
      for (const script of String(step.script ?? '').matchAll(/\.tekton\/scripts\/([\w.-]+)/g)) {
        expect(existsSync(path.join('.tekton/scripts', script[1] ?? '')), `.tekton/scripts/${script[1]} exists`).toBe(true);
      }
    }
    // Task results may be step results, so they are checked once every step is known.
    for (const expression of expressions([spec.results, spec.sidecars])) check(expression);
  });
});

describe('the trigger objects', () => {
  const [listener] = ofKind(objects, 'EventListener') as [TriggersEventListener];
  const [binding] = ofKind(objects, 'TriggerBinding') as [TriggersTriggerBinding];
  const [template] = ofKind(objects, 'TriggerTemplate') as [TriggersTriggerTemplate];
  const templateParams = new Map(template.spec.params.map((p) => [p.name, p]));

  it('when the EventListener is read, then its binding, template and ServiceAccount exist', () => {
    const [trigger] = listener.spec.triggers;
    assert(trigger, 'the EventListener has a trigger');
    expect(trigger.bindings.map((b) => b.ref)).toEqual([binding.metadata.name]);
    expect(trigger.template.ref).toBe(template.metadata.name);
    const accounts = ofKind(objects, 'ServiceAccount').map((sa) => sa.metadata.name);
    expect(accounts).toContain(listener.spec.serviceAccountName);
  });

  it('when the TriggerBinding is read, then it sets revision, previous revision and repository URL from the push body, all template params', () => {
    const values = Object.fromEntries(binding.spec.params.map((p) => [p.name, p.value]));
    expect(values).toEqual({ 'repo-url': '$(body.repository.clone_url)', revision: '$(body.after)', 'previous-revision': '$(body.before)' });
    for (const name of Object.keys(values)) expect(templateParams.has(name), `template param ${name}`).toBe(true);
    for (const [name, param] of templateParams) if (param.default === undefined) expect(values).toHaveProperty([name]);
  });

  it('when the TriggerTemplate makes a PipelineRun, then it names the Pipeline, gives every required param and binds every required workspace to a Secret or a claim', () => {
    const [run] = template.spec.resourcetemplates;
    assert(run, 'the TriggerTemplate has a resource template');
    expect(run.kind).toBe('PipelineRun');
    expect(run.spec.pipelineRef.name).toBe(pipeline.metadata.name);
    for (const expression of expressions(run)) expect(templateParams.has(expression.replace(/^tt\.params\./, ''))).toBe(true);
    const given = run.spec.params.map((p) => p.name);
    for (const param of pipeline.spec.params) if (param.default === undefined) expect(given).toContain(param.name);
    const bound = new Map(run.spec.workspaces.map((w) => [w.name, w]));
    for (const [name, workspace] of pipelineWorkspaces) {
      if (!workspace.optional) expect(bound.has(name), `workspace ${name} is bound`).toBe(true);
    }
    for (const [name, workspace] of bound) {
      expect(pipelineWorkspaces.has(name)).toBe(true);
      expect(workspace.secret ?? workspace.volumeClaimTemplate, `${name} is a Secret or a per-run claim`).toBeDefined();
    }
    const accounts = ofKind(objects, 'ServiceAccount').map((sa) => sa.metadata.name);
    expect(accounts).toContain(run.spec.taskRunTemplate.serviceAccountName);
  });

  it('when every object is listed, then the kustomization installs each file', () => {
    const kustomization = parseAllDocuments(readFileSync('.tekton/kustomization.yaml', 'utf8'))[0]?.toJS() as Kustomization;
    const listed = new Set((kustomization.resources ?? []).map((file) => path.join('.tekton', file)));
    for (const file of yamlFiles('.tekton')) expect(listed.has(file), `${file} is in .tekton/kustomization.yaml`).toBe(true);
  });
});
