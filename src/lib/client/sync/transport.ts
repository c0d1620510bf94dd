/*
 * How the engine talks to the server. The engine takes a Transport by injection: HTTP in the
 * app (./http-transport.ts), an in-memory server in tests.
 */
import type { DeviceInfo, DeviceRevocation, PullRequest, PullResponse, PushRequest, PushResponse, WipedReport } from './protocol';
import type { SyncErrorMessage } from './status';

export interface Transport {
	/** Sends a batch; the answer has one result per processed mutation, in order. */
	push(request: PushRequest, deviceId: string): Promise<PushResponse>;
	/** What changed since the cursor (null: everything), and the next cursor. */
	pull(request: PullRequest, deviceId: string): Promise<PullResponse>;
	/** Registers this tablet for the signed-in user; returns the id to send with every sync. */
	registerDevice(label: string): Promise<DeviceInfo>;
	/** A revoked tablet reports that it wiped itself (after handing everything over). */
	reportWiped(report: WipedReport, deviceId: string): Promise<void>;
}

/**
 * A failed exchange. `network`: no answer (offline, timeout); `auth`: signed out or not allowed;
 * `device`: the device id is unknown or revoked (register again); `server`: 5xx or a refused
 * body; `malformed`: an answer the device cannot read; `revoked`: the admin revoked this tablet
 * (a pull's 410: hand over the rest, then wipe; never register again).
 */
export type TransportFailure = 'network' | 'auth' | 'device' | 'server' | 'malformed' | 'revoked';

export class TransportError extends Error {
	readonly kind: TransportFailure;
	readonly status: number | null;
	/** Set for `revoked`: when and why (docs/sync-protocol.md § Revocation). */
	readonly revocation: DeviceRevocation | null;
	constructor(kind: TransportFailure, message: string, status: number | null = null, revocation: DeviceRevocation | null = null) {
		super(message);
		this.name = 'TransportError';
		this.kind = kind;
		this.status = status;
		this.revocation = revocation;
	}
}

const MESSAGES: Record<TransportFailure, SyncErrorMessage> = {
	network: 'sync_err_network',
	auth: 'sync_err_auth',
	device: 'sync_err_device',
	server: 'sync_err_server',
	malformed: 'sync_err_malformed',
	revoked: 'sync_err_revoked'
};

/** The status code of any failure during a sync (storage errors come from Dexie). */
export function errorMessageOf(err: unknown): SyncErrorMessage {
	if (err instanceof TransportError) return MESSAGES[err.kind];
	if (err instanceof Error && /Dexie|IndexedDB|Quota|Database/i.test(`${err.name} ${err.message}`)) return 'sync_err_storage';
	return 'sync_err_server';
}
