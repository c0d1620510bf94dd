import type { Role } from '$lib/domain/roles';

/** The signed-in user as the server sees it for one request. */
export interface SessionUser {
	id: string;
	username: string;
	displayName: string;
	role: Role;
	outletId: string | null;
	communityId: string | null;
}
