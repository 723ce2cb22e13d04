/**
 * The SQLite read worker (see sqlite-reader.ts): a query-only connection to the
 * cloud's file that answers one statement at a time, with prepared statements
 * kept by SQL text.
 */
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import type { ReadReply, ReadRequest } from './sqlite-reader.js';

const { file } = workerData as { file: string };
const db = new BetterSqlite3(file, { fileMustExist: true });
db.pragma('query_only = ON');
db.pragma('busy_timeout = 5000');
const statements = new Map<string, BetterSqlite3.Statement>();

parentPort?.on('message', (request: ReadRequest) => {
  let reply: ReadReply;
  try {
    let statement = statements.get(request.sql);
    if (statement === undefined) {
      statement = db.prepare(request.sql);
      if (statements.size >= 200) statements.clear();
      statements.set(request.sql, statement);
    }
    if (!statement.reader) throw new Error('the read worker runs only statements that return rows');
    reply = { id: request.id, rows: statement.all(...request.parameters) };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    reply = { id: request.id, error: { message: error instanceof Error ? error.message : String(error), ...(typeof code === 'string' ? { code } : {}) } };
  }
  parentPort?.postMessage(reply);
});
