import { openTestResources, type TestResources } from '@tthc/testkit';
import { afterCommit, withTransaction } from '@tthc/db';

let t: TestResources<any>;
beforeAll(async () => {
  t = await openTestResources<any>('db_after_commit');
});
afterAll(() => t.close());

describe('after-commit hooks', () => {
  it('run once the outermost transaction commits, joined transactions included', async () => {
    const heard: string[] = [];
    await withTransaction(t.db, async (tx) => {
      afterCommit(tx, () => heard.push('outer'));
      await withTransaction(tx, async (inner) => {
        afterCommit(inner, () => heard.push('inner'));
      });
      expect(heard).toEqual([]); // nothing before the commit
    });
    expect(heard).toEqual(['outer', 'inner']);
  });

  it('never run when the transaction rolls back', async () => {
    const heard: string[] = [];
    await expect(
      withTransaction(t.db, async (tx) => {
        afterCommit(tx, () => heard.push('lost'));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(heard).toEqual([]);
  });

  it('run at once outside a transaction, and a failing hook does not fail the commit', async () => {
    const heard: string[] = [];
    afterCommit(t.db, () => heard.push('now'));
    expect(heard).toEqual(['now']);
    await expect(
      withTransaction(t.db, async (tx) => {
        afterCommit(tx, () => {
          throw new Error('hook broke');
        });
        return 'committed';
      }),
    ).resolves.toBe('committed');
  });
});
