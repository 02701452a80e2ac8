import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by global-setup.ts when it started the stack itself. */
    e2eBaseUrl?: string;
  }
}

/** True inside `pnpm test`, where the global setup started the stack: it must answer, never skip. */
export const STACK_STARTED_BY_TESTS = inject('e2eBaseUrl') !== undefined;

// Otherwise E2E_BASE_URL is the caller's BASE_URL, passed on by vitest.config.ts (Vitest replaces BASE_URL itself).
function baseUrl(): string {
  const value = inject('e2eBaseUrl') ?? process.env['E2E_BASE_URL'];
  return (value && /^https?:\/\//.test(value) ? value : 'http://localhost:8080').replace(/\/$/, '');
}

export const BASE_URL = baseUrl();

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Whether the app answers at BASE_URL; the suite skips (with a message) when nothing is there. */
export async function appIsUp(): Promise<boolean> {
  try {
    const response = await fetch(`${BASE_URL}/`, { signal: AbortSignal.timeout(3000) });
    return response.ok;
  } catch {
    return false;
  }
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Debian's chromium with a fresh profile, so no sign-in or storage leaks between runs or sessions. */
export async function openBrowser(): Promise<BrowserSession> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'frontend-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    baseURL: BASE_URL,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
