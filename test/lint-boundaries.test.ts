import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

// The real eslint.config.js, without type information: the import rules need none, and a file that is not on
// disk has no place in a tsconfig.
const eslint = new ESLint({ cwd: root, overrideConfig: tseslint.configs.disableTypeChecked });

/** The `no-restricted-imports` messages ESLint reports for `source` linted as if it were at `filePath`. */
async function restrictedImports(source: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: resolve(root, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

// Loading eslint.config.js (typescript-eslint, eslint-plugin-vue) takes seconds on a busy machine.
describe('eslint import boundaries (STYLE.md "Boundaries")', { timeout: 60_000 }, () => {
  it.each([
    ["import express from 'express';", 'express'],
    ["import { Router } from 'express/lib/router';", 'express/lib/router'],
    ["import { status } from '@grpc/grpc-js';", '@grpc/grpc-js'],
    ["import type { NatsConnection } from '@nats-io/transport-node';", '@nats-io/transport-node'],
    ["import type { Pool } from 'mysql2/promise';", 'mysql2/promise'],
    ["import { Redis } from 'ioredis';", 'ioredis'],
    ["import { getAuth } from 'firebase-admin/auth';", 'firebase-admin/auth'],
    ["import { MysqlMessageStore } from '../adapters/mysql/message.store.js';", '../adapters/mysql/message.store.js'],
    ["export { MemoryStore } from '../../adapters/memory/store.js';", '../../adapters/memory/store.js'],
  ])('when domain code has `%s`, then ESLint rejects the import', async (source, specifier) => {
    for (const service of ['auth-service', 'public-api', 'secure-api', 'event-consumer']) {
      const messages = await restrictedImports(`${source}\n`, `services/${service}/src/domain/boundary-probe.ts`);
      expect(messages, service).toEqual([expect.stringContaining(`'${specifier}'`)]);
    }
  });

  it('when domain code imports zod, the service kit or its own modules, then ESLint allows it', async () => {
    const source = "import { z } from 'zod';\nimport { AppError } from '@testbed/service-kit';\nimport { Message } from './message.js';\n";
    expect(await restrictedImports(source, 'services/public-api/src/domain/boundary-probe.ts')).toEqual([]);
  });

  it('when an HTTP route imports express, then ESLint allows it (the rule is for the domain only)', async () => {
    expect(await restrictedImports("import { Router } from 'express';\n", 'services/public-api/src/http/routes/boundary-probe.ts')).toEqual([]);
  });
});

describe('eslint: one way to wait', { timeout: 60_000 }, () => {
  /** The `no-restricted-syntax` messages for `source` linted as if it were at `filePath`. */
  async function restrictedSyntax(source: string, filePath: string): Promise<string[]> {
    const [result] = await eslint.lintText(source, { filePath: resolve(root, filePath) });
    return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
  }

  it('when code wraps setTimeout in a Promise to wait, then ESLint points to node:timers/promises', async () => {
    for (const file of ['services/shared/src/wait-probe.ts', 'test/system/wait-probe.test.ts', 'frontend/src/api/wait-probe.test.ts']) {
      const messages = await restrictedSyntax('export const pause = () => new Promise((resolve) => setTimeout(resolve, 10));\n', file);
      expect(messages, file).toEqual([expect.stringContaining('node:timers/promises')]);
    }
  });

  it("when code waits with node:timers/promises' setTimeout, then ESLint allows it", async () => {
    const source = "import { setTimeout as sleep } from 'node:timers/promises';\nexport const pause = () => sleep(10);\n";
    expect(await restrictedSyntax(source, 'services/shared/src/wait-probe.ts')).toEqual([]);
  });
});
