import { runRepositoryContract } from './test-support/repository-contract.js';
import { openRepository } from './open-repository.js';

runRepositoryContract('SQLite (in memory)', {
  open: () => openRepository(':memory:'),
  close: (repo) => repo.close(),
});
