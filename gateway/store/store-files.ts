/**
 * The store's file name in the data directory, in a module of its own so the main
 * thread can name the file without loading the store (better-sqlite3 lives in the
 * store worker).
 */
export const DB_FILE_NAME = 'gateway.db';
