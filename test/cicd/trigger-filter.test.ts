import { readFileSync } from 'node:fs';
import { Environment } from '@marcbachmann/cel-js';
import { verify } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { githubSignature, pushPayload } from './github-push.js';
import type { TriggersEventListener } from './resource-shapes.js';

const eventListener = parse(readFileSync('.tekton/triggers/eventlistener.yaml', 'utf8')) as TriggersEventListener;
const interceptors = eventListener.spec.triggers[0]?.interceptors ?? [];
const param = (interceptor: string, name: string) =>
  interceptors.find((candidate) => candidate.ref.name === interceptor)?.params.find((p) => p.name === name)?.value;
const filter = String(param('cel', 'filter'));

// Tekton's CEL interceptor evaluates the filter with `body`, `header`, `requestURL` and
// `extensions` in scope (docs/interceptors.md upstream); the filter uses only standard CEL.
const cel = new Environment({ unlistedVariablesAreDyn: true });
// cel-js types a result as `any`; a CEL value can be of any type, and each test checks it with toBe.
const fires = (body: Record<string, unknown>): unknown =>
  cel.evaluate(filter, { body, header: { 'X-Github-Event': ['push'] }, requestURL: '/', extensions: {} });

describe('the EventListener', () => {
  it('when its interceptors are read, then the GitHub one checks the secret by reference, accepts push only and adds changed files', () => {
    expect(param('github', 'secretRef')).toEqual({ secretName: 'github-webhook', secretKey: 'secret' });
    expect(param('github', 'eventTypes')).toEqual(['push']);
    expect(param('github', 'addChangedFiles')).toMatchObject({ enabled: true });
    expect(interceptors.map((interceptor) => interceptor.ref.name)).toEqual(['github', 'cel']);
  });
});

describe('the trigger CEL filter', () => {
  it('when a push to develop arrives, then it fires', () => {
    expect(fires(pushPayload())).toBe(true);
  });

  it('when the push is to main, to a feature branch or is a tag, then it does not fire', () => {
    expect(fires(pushPayload({ ref: 'refs/heads/main' }))).toBe(false);
    expect(fires(pushPayload({ ref: 'refs/heads/feature/develop' }))).toBe(false);
    expect(fires(pushPayload({ ref: 'refs/tags/v1.2.0' }))).toBe(false);
  });

  it('when develop is deleted, then it does not fire', () => {
    expect(fires(pushPayload({ deleted: true, commits: [], headCommit: null }))).toBe(false);
  });

  it("when the head commit is the pipeline's own [Update manifest] commit, then it does not fire", () => {
    const commits = [{ id: 'b'.repeat(40), message: '[Update manifest] public-api @ a1b2c3d\n\nBuilt from a1b2c3d.' }];
    expect(fires(pushPayload({ commits }))).toBe(false);
  });

  it('when an [Update manifest] commit is followed by a developer commit in the same push, then it fires', () => {
    const commits = [
      { id: 'b'.repeat(40), message: '[Update manifest] public-api @ a1b2c3d' },
      { id: 'c'.repeat(40), message: 'secure-api: answer 409 on a racing delete' },
    ];
    expect(fires(pushPayload({ commits }))).toBe(true);
  });

  it('when a push has an empty commit list (a branch reset to an existing commit), then the filter evaluates without throwing', () => {
    expect(() => fires(pushPayload({ commits: [], headCommit: null }))).not.toThrow();
    expect(fires(pushPayload({ commits: [], headCommit: { id: 'd'.repeat(40), message: 'older work' } }))).toBe(true);
  });

  it('when a payload has no head_commit field at all, then the filter evaluates without throwing', () => {
    const { head_commit: _ignored, ...withoutHead } = pushPayload({ commits: [] });
    expect(fires(withoutHead)).toBe(true);
  });
});

describe('the webhook signature (what the github interceptor checks)', () => {
  const secret = 'webhook-secret-for-tests';
  const body = JSON.stringify(pushPayload());

  it('when the body is signed with the secret, then the signature verifies', async () => {
    expect(await verify(secret, body, githubSignature(secret, body))).toBe(true);
  });

  it('when the body was tampered with after signing, then the signature is refused', async () => {
    const tampered = body.replace('refs/heads/develop', 'refs/heads/main');
    expect(await verify(secret, tampered, githubSignature(secret, body))).toBe(false);
  });

  it('when another secret signed it, then the signature is refused', async () => {
    expect(await verify(secret, body, githubSignature('another-secret', body))).toBe(false);
  });
});
