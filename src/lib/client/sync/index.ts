/*
 * The offline field app's data layer, as the UI sees it:
 *   const db = await openUserDb(user.id);
 *   const engine = new SyncEngine({ db, transport: createHttpTransport() });
 *   const unwire = wireBrowserTriggers(engine, { window, document });
 *   engine.subscribe((status) => …); await engine.start();
 *   await startTravel(db, visitId); await engine.changed();
 */
export { SyncEngine, systemClock, type Clock, type SyncEngineOptions, type SyncOutcome } from './engine';
export { createHttpTransport, type HttpTransportOptions } from './http-transport';
export { TransportError, type Transport, type TransportFailure } from './transport';
export type { SyncStatus, SyncErrorMessage, StatusStore } from './status';
export type { SyncConflict, ConflictResolution, ConflictMutation } from './conflicts';
export { listConflicts } from './conflicts';
export { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
export { wireBrowserTriggers, requestBackgroundSync, BACKGROUND_SYNC_TAG, type TriggerEnvironment } from './triggers';
export * from './protocol';
