/*
 * What the field app needs only once it is unlocked: the user's database (Dexie), the sync
 * engine and its transports, the photo queue and the revocation hand-over. The field session
 * loads this module on demand (dynamic import) when the PIN opens the data, so the lock screen
 * and the first paint of the day list do not wait for it (issue 13 "Speed"). The service worker
 * precaches its chunk like every other one, so it loads offline too.
 */
export { closeUserDb, deleteUserDb, openUserDb, readSyncState } from '$lib/client/db';
export { SyncEngine } from '$lib/client/sync/engine';
export { createHttpTransport } from '$lib/client/sync/http-transport';
export { readHandOver, revocationStep, wipeIfHandedOver } from '$lib/client/sync/revocation';
export { requestBackgroundSync, wireBrowserTriggers } from '$lib/client/sync/triggers';
export { onSyncSuccess, wirePhotoQueue } from './photo-queue-wiring';
export { sealLegacyPhotoBytes } from '$lib/client/photos/bytes';
