import { makeResidentId } from '$lib/domain/resident-id';
import type { Mobility, PlaceType } from '$lib/domain/services';
import { recordAudit } from '$lib/server/audit';
import { createCommunity, type Community } from '$lib/server/repos/communities';
import { createOutlet, listBranches } from '$lib/server/repos/outlets';
import { createResident, type Resident } from '$lib/server/repos/residents';
import { createUser, type User } from '$lib/server/repos/users';
import type { Tx } from '$lib/server/workflow/context';
import {
	DEMO_COMMUNITIES,
	DEMO_HEAD_NAMES,
	DEMO_OUTLETS,
	DEMO_STAFF_NAMES,
	DEMO_STAFF_OUTLET,
	DEMO_WORKER_NAMES,
	GIVEN_FEMALE,
	GIVEN_MALE,
	PHONE_PREFIXES,
	RELATIONS,
	SURNAMES,
	seededRandom
} from './seed-data';
import { seedDemoRequests, type DemoWorld } from './seed-requests';

/** 萧山区: the area code of the demo residents' ID numbers. */
const XIAOSHAN_AREA_CODE = '330109';
const RESIDENT_COUNT = 40;

export interface DemoSummary {
	outlets: number;
	communities: number;
	users: number;
	residents: number;
	requests: number;
}

type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)];
const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
const pad = (n: number, width: number) => String(n).padStart(width, '0');

function weighted<T>(rng: Rng, options: [T, number][]): T {
	let r = rng() * options.reduce((sum, [, w]) => sum + w, 0);
	for (const [value, w] of options) if ((r -= w) < 0) return value;
	return options[options.length - 1][0];
}

function demoResident(rng: Rng, community: Community, streets: string[], centre: { lat: number; lng: number }, workerId: string) {
	const male = rng() < 0.45;
	const year = int(rng, 1930, 1955);
	const birthDate = `${year}-${pad(int(rng, 1, 12), 2)}-${pad(int(rng, 1, 28), 2)}`;
	// Sequence: odd for men, even for women (GB 11643); unique enough per birth date.
	const seq = int(rng, 10, 498) * 2 + (male ? 1 : 0);
	const surname = pick(rng, SURNAMES);
	const placeType = weighted<PlaceType>(rng, [['home', 70], ['nursing_home', 12], ['hospital', 8], ['community_centre', 10]]);
	const address =
		placeType === 'nursing_home'
			? `杭州市萧山区${community.district}颐乐养老院 ${int(rng, 1, 4)} 楼 ${int(rng, 1, 30)} 床`
			: placeType === 'hospital'
				? `杭州市萧山区${community.district}社区卫生服务中心 住院部 ${int(rng, 2, 6)} 楼`
				: `杭州市萧山区${community.district}${pick(rng, streets)} ${int(rng, 1, 399)} 号 ${int(rng, 1, 12)} 幢 ${int(rng, 1, 3)} 单元 ${int(rng, 1, 6)}0${int(rng, 1, 4)} 室`;
	const hasContact = rng() < 0.6;
	return {
		communityId: community.id,
		name: surname + pick(rng, male ? GIVEN_MALE : GIVEN_FEMALE),
		phone: pick(rng, PHONE_PREFIXES) + pad(int(rng, 0, 99_999_999), 8),
		idNumber: makeResidentId(XIAOSHAN_AREA_CODE, birthDate, pad(seq, 3)),
		address,
		district: community.district,
		lat: Math.round((centre.lat + (rng() - 0.5) * 0.012) * 1e6) / 1e6,
		lng: Math.round((centre.lng + (rng() - 0.5) * 0.012) * 1e6) / 1e6,
		mobility: weighted<Mobility>(rng, [['bedridden', 30], ['wheelchair', 30], ['limited', 40]]),
		placeType,
		contactName: hasContact ? surname + pick(rng, [...GIVEN_MALE, ...GIVEN_FEMALE]) : null,
		contactPhone: hasContact ? pick(rng, PHONE_PREFIXES) + pad(int(rng, 0, 99_999_999), 8) : null,
		contactRelation: hasContact ? pick(rng, RELATIONS) : null,
		createdBy: workerId
	};
}

/** Outlets, communities, accounts and residents; then requests in every status. */
export async function seedDemoData(tx: Tx, passwordHash: string, now: Date): Promise<DemoSummary> {
	const rng = seededRandom(20261127);
	// Accounts and residents predate the demo requests (some of which are weeks old).
	const setUpAt = new Date(now.getTime() - 60 * 86_400_000);
	const [branch] = await listBranches(tx);
	const user = (username: string, displayName: string, role: User['role'], outletId: string | null, communityId: string | null) =>
		createUser(tx, { username, displayName, passwordHash, role, outletId, communityId }, setUpAt);

	const outlets = new Map<string, string>();
	for (const o of DEMO_OUTLETS) {
		const outlet = await createOutlet(tx, { branchId: branch.id, name: o.name, address: o.address, lat: o.lat, lng: o.lng, openingHours: o.openingHours });
		outlets.set(o.key, outlet.id);
	}
	const communities: Community[] = [];
	for (const [i, c] of DEMO_COMMUNITIES.entries()) {
		communities.push(await createCommunity(tx, { outletId: outlets.get(c.outlet)!, name: c.name, district: c.district }));
	}

	await user('admin', '支行管理员', 'admin', null, null);
	const heads = new Map<string, User>();
	for (const [i, o] of DEMO_OUTLETS.entries()) heads.set(outlets.get(o.key)!, await user(`head${i + 1}`, DEMO_HEAD_NAMES[i], 'outlet_head', outlets.get(o.key)!, null));
	const staff = new Map<string, User[]>();
	for (const [i, key] of DEMO_STAFF_OUTLET.entries()) {
		const outletId = outlets.get(key)!;
		const member = await user(`staff${i + 1}`, DEMO_STAFF_NAMES[i], 'field_staff', outletId, null);
		staff.set(outletId, [...(staff.get(outletId) ?? []), member]);
	}
	const workers = new Map<string, User>();
	for (const [i, c] of communities.entries()) workers.set(c.id, await user(`worker${i + 1}`, DEMO_WORKER_NAMES[i], 'community_worker', c.outletId, c.id));

	const residents: Resident[] = [];
	for (let i = 0; i < RESIDENT_COUNT; i++) {
		const community = communities[i % communities.length];
		const spec = DEMO_COMMUNITIES[i % communities.length];
		const worker = workers.get(community.id)!;
		const resident = await createResident(tx, demoResident(rng, community, spec.streets, spec, worker.id), setUpAt);
		await recordAudit(tx, { actorId: worker.id, action: 'resident_create', entity: 'resident', entityId: resident.id, outletId: community.outletId, at: setUpAt });
		residents.push(resident);
	}

	const world: DemoWorld = { communities, residents, heads, staff, workers };
	const requests = await seedDemoRequests(tx, world, rng, now);
	return {
		outlets: outlets.size,
		communities: communities.length,
		users: 1 + heads.size + DEMO_STAFF_OUTLET.length + workers.size,
		residents: residents.length,
		requests
	};
}
