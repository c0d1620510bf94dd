import { logUnexpected } from '$lib/server/security/hostile';

let installed = false;

/**
 * Last line behind the hooks: a promise rejection or exception that escaped every request
 * (a timer, a stray promise) is logged with a reference and the server goes on serving the
 * other requests. Requests themselves are answered by the hooks (security/hostile.ts
 * `neverThrow`, `handleError`); no refusal depends on this. Production still runs under a
 * supervisor that restarts a process that does end (deploy/doorstep.service).
 */
export function keepProcessAlive(): void {
	if (installed) return;
	installed = true;
	process.on('unhandledRejection', (reason) => {
		logUnexpected('rejection', reason, 'process');
	});
	process.on('uncaughtException', (err) => {
		logUnexpected('exception', err, 'process');
	});
}
