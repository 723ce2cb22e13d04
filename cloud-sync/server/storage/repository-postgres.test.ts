import { runRepositoryContract } from './test-support/repository-contract.js';
import { announceSkip, freshPostgresSchema, type FreshSchema } from './test-support/postgres.js';
import { openRepository } from './open-repository.js';

const schemas = new Map<object, FreshSchema>();

runRepositoryContract('PostgreSQL (fresh schema)', {
  async open() {
    const got = await freshPostgresSchema();
    if (!got.ok) {
      announceSkip('the PostgreSQL repository contract', got.reason);
      return { skip: got.reason };
    }
    const repo = await openRepository(got.fresh.url, { schema: got.fresh.schema });
    schemas.set(repo, got.fresh);
    return repo;
  },
  async close(repo) {
    await repo.close();
    await schemas.get(repo)?.drop();
  },
});
