/** The column types the migrations use, per database: one schema, two spellings. */
import type { Dialect } from '../database.js';

export interface ColumnTypes {
  readonly int: 'integer' | 'bigint';
  readonly real: 'real' | 'double precision';
  readonly json: 'text' | 'jsonb';
  readonly bool: 'integer' | 'boolean';
  readonly isPostgres: boolean;
}

export function columnTypes(dialect: Dialect): ColumnTypes {
  const pg = dialect === 'postgres';
  return { int: pg ? 'bigint' : 'integer', real: pg ? 'double precision' : 'real', json: pg ? 'jsonb' : 'text', bool: pg ? 'boolean' : 'integer', isPostgres: pg };
}
