import { LoopTurnBudget } from './loop-turn-budget.js';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('LoopTurnBudget', () => {
  it('is exhausted once a turn has spent its bytes, and fresh in the next turn', async () => {
    const budget = new LoopTurnBudget(100);
    budget.spend(60);
    expect(budget.exhausted).toBe(false);
    budget.spend(40);
    expect(budget.exhausted).toBe(true);
    await nextTurn();
    expect(budget.exhausted).toBe(false);
  });

  it('resumes deferred work in a later turn, in the order it was deferred', async () => {
    const budget = new LoopTurnBudget(100);
    const order: string[] = [];
    budget.spend(100);
    budget.defer(() => order.push('a'));
    budget.defer(() => order.push('b'));
    expect(order).toEqual([]);
    expect(budget.pending).toBe(2);
    await nextTurn();
    expect(order).toEqual(['a', 'b']);
    expect(budget.pending).toBe(0);
  });

  it('resumes only as many as the turn has budget for, and the rest in the turns after', async () => {
    const budget = new LoopTurnBudget(100);
    let resumed = 0;
    budget.spend(100);
    for (let i = 0; i < 5; i++) {
      budget.defer(() => {
        resumed++;
        budget.spend(50);
      });
    }
    // Two per turn (50 + 50 fills a budget of 100): 2, 2, then 1.
    const pendingAfterEachTurn: number[] = [];
    while (budget.pending > 0) {
      await nextTurn();
      pendingAfterEachTurn.push(budget.pending);
    }
    expect(pendingAfterEachTurn).toEqual([3, 1, 0]);
    expect(resumed).toBe(5);
  });

  it('puts work deferred again during a turn behind work that has not had its turn', async () => {
    const budget = new LoopTurnBudget(100);
    const order: string[] = [];
    budget.spend(100);
    const again = (): void => {
      order.push('a');
      budget.spend(100);
      if (order.length < 3) budget.defer(again);
    };
    budget.defer(again);
    budget.defer(() => order.push('b'));
    while (budget.pending > 0) await nextTurn();
    expect(order).toEqual(['a', 'b', 'a']);
  });
});
