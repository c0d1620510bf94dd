/*
 * The Transport over HTTP: JSON to /api/sync/push, /api/sync/pull and /api/devices with the
 * session cookie (same origin) and the device header. Every failure becomes a TransportError
 * the engine can classify; answers are checked for shape before the engine trusts them.
 */
import { DEVICE_HEADER, REVOKED_STATUS, type DeviceInfo, type DeviceRevocation, type PullRequest, type PullResponse, type PushRequest, type PushResponse, type WipedReport } from './protocol';
import { TransportError, type Transport } from './transport';

export interface HttpTransportOptions {
	/** '' for the same origin. */
	baseUrl?: string;
	fetch?: typeof fetch;
	timeoutMs?: number;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function isPushResponse(x: unknown): x is PushResponse {
	return (
		isObject(x) &&
		Array.isArray(x.results) &&
		x.results.every((r) => isObject(r) && typeof r.id === 'string' && ['applied', 'already_applied', 'rejected'].includes(r.status as string)) &&
		(x.revoked === undefined || isRevocation(x.revoked))
	);
}

function isPullResponse(x: unknown): x is PullResponse {
	return (
		isObject(x) &&
		typeof x.cursor === 'string' &&
		Array.isArray(x.visits) &&
		x.visits.every((v) => isObject(v) && typeof v.id === 'string' && typeof v.version === 'number') &&
		Array.isArray(x.withdrawn) &&
		(x.services === null || Array.isArray(x.services)) &&
		typeof x.reset === 'boolean'
	);
}

function isRevocation(x: unknown): x is DeviceRevocation {
	return isObject(x) && typeof x.revokedAt === 'string';
}

function isDevice(x: unknown): x is DeviceInfo {
	return isObject(x) && typeof x.id === 'string' && x.id.length > 0;
}

export function createHttpTransport(options: HttpTransportOptions = {}): Transport {
	const baseUrl = options.baseUrl ?? '';
	const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
	const timeoutMs = options.timeoutMs ?? 30_000;

	async function call<T>(path: string, body: unknown, guard: (x: unknown) => x is T, deviceId?: string): Promise<T> {
		const controller = new AbortController();
		const timer = setTimeout(() => controller.abort(), timeoutMs);
		let response: Response;
		try {
			const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
			if (deviceId) headers[DEVICE_HEADER] = deviceId;
			response = await doFetch(`${baseUrl}${path}`, {
				method: 'POST',
				headers,
				body: JSON.stringify(body),
				credentials: 'same-origin',
				signal: controller.signal
			});
		} catch (err) {
			throw new TransportError('network', err instanceof Error ? err.message : 'network error');
		} finally {
			clearTimeout(timer);
		}
		const payload: unknown = await response.json().catch(() => undefined);
		if (!response.ok) {
			const code = isObject(payload) && typeof payload.message === 'string' ? payload.message : `http_${response.status}`;
			if (response.status === REVOKED_STATUS && code === 'sync_err_revoked' && isObject(payload) && isRevocation(payload.revoked)) {
				throw new TransportError('revoked', code, response.status, { reason: 'device_revoked', revokedAt: payload.revoked.revokedAt });
			}
			if (response.status === 401) throw new TransportError('auth', code, 401);
			if (response.status === 403) throw new TransportError(code === 'sync_err_device' ? 'device' : 'auth', code, 403);
			throw new TransportError('server', code, response.status);
		}
		if (!guard(payload)) throw new TransportError('malformed', `unexpected answer from ${path}`, response.status);
		return payload;
	}

	return {
		push: (request: PushRequest, deviceId: string) => call('/api/sync/push', request, isPushResponse, deviceId),
		pull: (request: PullRequest, deviceId: string) => call('/api/sync/pull', request, isPullResponse, deviceId),
		registerDevice: (label: string) => call('/api/devices', { label }, isDevice),
		reportWiped: async (report: WipedReport, deviceId: string) => {
			await call('/api/sync/wiped', report, (x): x is { ok: true } => isObject(x) && x.ok === true, deviceId);
		}
	};
}
