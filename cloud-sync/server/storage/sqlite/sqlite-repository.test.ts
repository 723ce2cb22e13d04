import { runRepositoryContract } from '../test-support/repository-contract.js';
import { openSqliteRepository } from './sqlite-repository.js';

runRepositoryContract('SQLite (in memory)', {
  open: () => Promise.resolve(openSqliteRepository(':memory:')),
  close: (repo) => repo.close(),
});
