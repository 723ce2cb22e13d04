/** The gateway ↔ cloud wire protocol (README.md). Imports nothing of ours. */
export * from './primitives.js';
export * from './issues.js';
export * from './records.js';
export * from './batch-checks.js';
export * from './heartbeat.js';
export * from './calibration.js';
export * from './alert-rules.js';
export * from './device-config.js';
export * from './provisioning.js';
export * from './http.js';
export * from './explain.js';
export * from './validator.js';
