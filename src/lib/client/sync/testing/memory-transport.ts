/*
 * An in-memory server for the engine's unit tests: applies mutations exactly once by id, bumps
 * versions on completion, can refuse, withdraw, fail after N mutations or fail whole calls.
 * Test support only (imported by *.test.ts).
 */
import type { DeviceRevocation, Mutation, MutationResult, PullResponse, PushRequest, PushResponse, SyncVisit, WipedReport } from '../protocol';
import { TransportError, type Transport } from '../transport';

export function makeVisit(id: string, overrides: Partial<SyncVisit> = {}): SyncVisit {
	return {
		id,
		requestId: `req-${id}`,
		ref: `R2611-${id}`,
		requestStatus: 'approved',
		requestVersion: 2,
		status: 'scheduled',
		outcome: null,
		outcomeNote: null,
		visitedAt: null,
		date: '2026-11-27',
		plannedOrder: null,
		plannedArrival: null,
		evidenceReview: null,
		start: '09:00',
		end: '10:00',
		notes: '',
		urgency: 'normal',
		communityName: '城厢社区',
		lead: { id: 'lead', name: '王' },
		second: { id: 'second', name: '李' },
		services: ['pin_reset'],
		resident: {
			id: `res-${id}`,
			name: '张三',
			phone: '13800001111',
			idNumberMasked: '3****************1',
			idLast4: '0011',
			address: '萧山区',
			district: '萧山区',
			lat: 30.1,
			lng: 120.2,
			mobility: 'bedridden',
			placeType: 'home',
			contactName: null,
			contactPhone: null,
			contactRelation: null,
			masked: { name: false, phone: false, address: false }
		},
		version: 1,
		progress: null,
		...overrides
	};
}

export class MemoryServer implements Transport {
	visits = new Map<string, SyncVisit>();
	lockIdleMinutes = 5;
	decided = new Map<string, MutationResult>();
	/** Mutations applied, in the order the server applied them. */
	log: Mutation[] = [];
	pushCalls: Mutation[][] = [];
	pushDeviceIds: string[] = [];
	pullCalls = 0;
	withdrawn = new Set<string>();
	devices: string[] = [];
	/** Refuse a mutation with this reason (null: apply). */
	refuse: (m: Mutation) => string | null = () => null;
	/** Apply this many mutations of the next push, then lose the connection. */
	failAfter: number | null = null;
	/** Answer only this many results of the next push (server stopped early). */
	answerOnly: number | null = null;
	/** Errors thrown by the next calls, in order. */
	failures: TransportError[] = [];
	/** Set by a test: the admin revoked the tablet (push still applies and says so; pull → 410). */
	revoked: DeviceRevocation | null = null;
	/** Wipe reports received from revoked tablets. */
	wipedReports: { report: WipedReport; deviceId: string }[] = [];
	/** Resolves a push only when the test says so (one-sync-at-a-time test). */
	gate: Promise<void> | null = null;

	constructor(visits: SyncVisit[] = []) {
		for (const v of visits) this.visits.set(v.id, v);
	}

	private failIfAsked(): void {
		const failure = this.failures.shift();
		if (failure) throw failure;
	}

	async registerDevice(label: string) {
		this.failIfAsked();
		const id = `device-${this.devices.length + 1}`;
		this.devices.push(id);
		return { id, label, createdAt: new Date(0).toISOString(), lastSeenAt: null, revokedAt: null };
	}

	async push(request: PushRequest, deviceId: string): Promise<PushResponse> {
		this.pushCalls.push(request.mutations);
		this.pushDeviceIds.push(deviceId);
		if (this.gate) await this.gate;
		this.failIfAsked();
		const results: MutationResult[] = [];
		const blocked = new Set<string>();
		const lose = () => {
			this.failAfter = null;
			throw new TransportError('network', 'connection lost');
		};
		for (const m of request.mutations) {
			if (this.failAfter !== null && results.length >= this.failAfter) lose();
			// Like the real server: after a rejection, that visit's later mutations wait.
			if (blocked.has(m.entityId)) continue;
			const result = this.apply(m);
			results.push(result);
			if (result.status === 'rejected') blocked.add(m.entityId);
		}
		if (this.failAfter !== null && results.length >= this.failAfter) lose();
		if (this.answerOnly !== null) {
			const n = this.answerOnly;
			this.answerOnly = null;
			return this.withRevocation({ results: results.slice(0, n) });
		}
		return this.withRevocation({ results });
	}

	private withRevocation(response: PushResponse): PushResponse {
		return this.revoked ? { ...response, revoked: this.revoked } : response;
	}

	async reportWiped(report: WipedReport, deviceId: string): Promise<void> {
		this.failIfAsked();
		this.wipedReports.push({ report, deviceId });
	}

	private apply(m: Mutation): MutationResult {
		const earlier = this.decided.get(m.id);
		if (earlier) return earlier.status === 'applied' ? { ...earlier, status: 'already_applied' } : earlier;
		const reason = this.refuse(m);
		const visit = this.visits.get(m.entityId) ?? null;
		if (reason) {
			// Like the real server: a visit that is not the user's any more is not shown.
			const result: MutationResult = { id: m.id, status: 'rejected', reason, visit: reason === 'err_forbidden' ? null : visit };
			this.decided.set(m.id, result);
			return result;
		}
		this.log.push(m);
		if (m.type === 'visit.complete' && visit) {
			this.visits.set(visit.id, { ...visit, status: 'visited', version: visit.version + 1 });
		}
		const result: MutationResult = { id: m.id, status: 'applied', visit: this.visits.get(m.entityId) ?? null };
		this.decided.set(m.id, result);
		return result;
	}

	async pull(): Promise<PullResponse> {
		this.pullCalls++;
		this.failIfAsked();
		if (this.revoked) throw new TransportError('revoked', 'sync_err_revoked', 410, this.revoked);
		// Like the real server: a cancelled visit leaves the tablet.
		const withdrawn = [...this.visits.values()].filter((v) => this.withdrawn.has(v.id) || v.status === 'cancelled').map((v) => v.id);
		return {
			cursor: `c${this.pullCalls}`,
			visits: [...this.visits.values()].filter((v) => !withdrawn.includes(v.id)),
			withdrawn,
			services: [{ code: 'pin_reset', nameZh: '密码重置', nameEn: 'PIN reset', durationMin: 20, checklist: [], requiredPhotos: [] }],
			reset: false,
			serverTime: new Date(0).toISOString(),
			policy: { lockIdleMinutes: this.lockIdleMinutes }
		};
	}
}

/** A clock whose timers run only when the test advances it. */
export class FakeClock {
	time = Date.parse('2026-11-27T01:00:00.000Z');
	timers: { at: number; delay: number; fn: () => void; id: number }[] = [];
	private nextId = 1;
	now = () => this.time;
	setTimeout = (fn: () => void, ms: number) => {
		const id = this.nextId++;
		this.timers.push({ at: this.time + ms, delay: ms, fn, id });
		return id;
	};
	clearTimeout = (id: unknown) => {
		this.timers = this.timers.filter((t) => t.id !== id);
	};
	/** Moves time forward and runs the timers that fall due. */
	advance(ms: number): void {
		this.time += ms;
		const due = this.timers.filter((t) => t.at <= this.time);
		this.timers = this.timers.filter((t) => t.at > this.time);
		for (const t of due) t.fn();
	}
}
