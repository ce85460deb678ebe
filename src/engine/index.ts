/**
 * The engine port: the only code that knows the process engine (Operaton, over its REST API).
 * Case code, workers and the API use what this module exports, never the REST API directly.
 * One module per concern:
 *   rest      typed REST client (types generated from the engine's OpenAPI document)
 *   variables engine variable values <-> JS values
 *   runtime   build and run the local engine (Maven, hash-keyed cache, process lifecycle)
 *   models    lint (model-lint) and deployment
 *   workers   external-task worker host (worker: the definition each workers/ module exports)
 *   messages  transactional outbox to the engine (messages, task completions, cancellations)
 *   tasks     user tasks: claim, release, reassign, complete
 *   history   instances, activity history, incidents, definitions (operator and analyst views)
 */
export * from './rest.js';
export * from './variables.js';
export * from './runtime.js';
export * from './model-lint.js';
export * from './models.js';
export * from './model-versions.js';
export * from './worker.js';
export * from './workers.js';
export * from './messages.js';
export * from './tasks.js';
export * from './history.js';
