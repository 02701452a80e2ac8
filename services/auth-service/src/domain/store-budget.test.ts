import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { StoreBudget, StoreBudgetExceeded } from './store-budget.js';

const never = (): Promise<never> => new Promise(() => undefined);

describe('StoreBudget', () => {
  it('when a call answers in time, then its result is returned and the budget stays usable', async () => {
    const budget = new StoreBudget(1_000);

    await expect(budget.run(async () => 42)).resolves.toBe(42);
    expect(budget.usable).toBe(true);
  });

  it('when a call hangs, then it times out at the budget and later calls are skipped at once', async () => {
    const budget = new StoreBudget(20);
    let secondStarted = false;

    await expect(budget.run(never)).rejects.toBeInstanceOf(StoreBudgetExceeded);
    await expect(
      budget.run(async () => {
        secondStarted = true;
      }),
    ).rejects.toBeInstanceOf(StoreBudgetExceeded);
    expect(secondStarted).toBe(false);
  });

  it('when a call fails, then the error passes through and the store counts as down', async () => {
    const budget = new StoreBudget(1_000);

    await expect(budget.run(() => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(budget.usable).toBe(false);
  });

  it('when calls take time, then what they took is gone from the budget', async () => {
    let now = 0;
    const budget = new StoreBudget(100, () => now);

    await budget.run(async () => {
      now += 100;
    });

    expect(budget.usable).toBe(false);
  });

  it('when the budget is unbounded, then a call is not cut short by a timer overflow', async () => {
    const budget = new StoreBudget(Number.POSITIVE_INFINITY);

    await expect(budget.run(() => sleep(20, 'done'))).resolves.toBe('done');
  });
});
