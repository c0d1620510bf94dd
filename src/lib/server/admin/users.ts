import type { Role } from '$lib/domain/roles';
import type { UserCreateInput } from '$lib/domain/schemas';
import { recordAudit } from '$lib/server/audit';
import { hashPassword } from '$lib/server/auth/password';
import { endAllSessionsOf } from '$lib/server/auth/session';
import type { SessionUser } from '$lib/server/auth/types';
import type { Db } from '$lib/server/repos/common';
import { getCommunity } from '$lib/server/repos/communities';
import { getOutlet } from '$lib/server/repos/outlets';
import { createUser, getUser, getUserByUsername, reactivateUser, setPasswordHash, updateUser, deactivateUser, type User } from '$lib/server/repos/users';
import { AdminError, isUniqueViolation, notFound } from './errors';
import { revokeAllDevices } from '$lib/server/sync/devices';
import type { UserEditInput } from '$lib/domain/schemas';

/** The scope columns a role needs: an outlet for heads and field staff, a community for workers. */
interface Scope {
	outletId: string | null;
	communityId: string | null;
	/** Outlet the audit entry is filed under (a worker's community's outlet). */
	auditOutletId: string | null;
}

/**
 * Keeps only the scope the role uses (a stray community on a field worker, or an outlet on an
 * admin, would confuse every scope check) and checks that the outlet or community exists and is
 * active.
 */
async function resolveScope(db: Db, role: Role, outletId: string | null, communityId: string | null): Promise<Scope> {
	if (role === 'outlet_head' || role === 'field_staff') {
		const outlet = outletId ? await getOutlet(db, outletId) : null;
		if (!outlet || !outlet.active) throw new AdminError('err_outlet_required', 400, 'outletId');
		return { outletId: outlet.id, communityId: null, auditOutletId: outlet.id };
	}
	if (role === 'community_worker') {
		const community = communityId ? await getCommunity(db, communityId) : null;
		if (!community || !community.active) throw new AdminError('err_community_required', 400, 'communityId');
		// Like the seed data: a worker also carries the outlet serving their community.
		return { outletId: community.outletId, communityId: community.id, auditOutletId: community.outletId };
	}
	return { outletId: null, communityId: null, auditOutletId: null };
}

async function requireUser(db: Db, id: string): Promise<User> {
	const user = await getUser(db, id);
	if (!user) throw notFound();
	return user;
}

export async function createAccount(db: Db, actor: SessionUser, input: UserCreateInput): Promise<User> {
	// Checked before hashing so a taken name answers at once; the unique index settles races.
	if (await getUserByUsername(db, input.username)) throw new AdminError('admin_err_username_taken', 409, 'username');
	const scope = await resolveScope(db, input.role, input.outletId, input.communityId);
	// argon2 takes a while: hash outside the transaction so SQLite's write lock is held briefly.
	const passwordHash = await hashPassword(input.password);
	try {
		return await db.transaction().execute(async (trx) => {
			const user = await createUser(trx, {
				username: input.username,
				displayName: input.displayName,
				passwordHash,
				role: input.role,
				outletId: scope.outletId,
				communityId: scope.communityId
			});
			await recordAudit(trx, {
				actorId: actor.id,
				action: 'user_create',
				entity: 'user',
				entityId: user.id,
				outletId: scope.auditOutletId,
				details: { role: user.role }
			});
			return user;
		});
	} catch (err) {
		if (isUniqueViolation(err)) throw new AdminError('admin_err_username_taken', 409, 'username');
		throw err;
	}
}

export async function editAccount(db: Db, actor: SessionUser, input: UserEditInput): Promise<void> {
	const before = await requireUser(db, input.id);
	// An admin demoting themself could leave the branch without anyone able to manage it.
	if (before.id === actor.id && input.role !== 'admin') throw new AdminError('admin_err_self_role', 400, 'role');
	const scope = await resolveScope(db, input.role, input.outletId, input.communityId);
	await db.transaction().execute(async (trx) => {
		await updateUser(trx, before.id, {
			displayName: input.displayName,
			role: input.role,
			outletId: scope.outletId,
			communityId: scope.communityId
		});
		await recordAudit(trx, {
			actorId: actor.id,
			action: 'user_update',
			entity: 'user',
			entityId: before.id,
			outletId: scope.auditOutletId,
			details: { role: input.role, previousRole: before.role, scopeChanged: before.outletId !== scope.outletId || before.communityId !== scope.communityId }
		});
	});
	// A new role or scope must not ride on sessions that were opened under the old one.
	if (before.role !== input.role || before.outletId !== scope.outletId || before.communityId !== scope.communityId) {
		await endAllSessionsOf(before.id);
	}
}

export async function setAccountActive(db: Db, actor: SessionUser, id: string, active: boolean): Promise<void> {
	if (!active && id === actor.id) throw new AdminError('admin_err_self_deactivate', 400);
	const user = await requireUser(db, id);
	await db.transaction().execute(async (trx) => {
		// deactivateUser also deletes the user's sessions in the same transaction; the user's
		// tablets are revoked too, so if the account comes back they hand over and wipe.
		const revokedDevices = active ? [] : await revokeAllDevices(trx, user.id);
		if (active) await reactivateUser(trx, user.id);
		else await deactivateUser(trx, user.id);
		await recordAudit(trx, {
			actorId: actor.id,
			action: active ? 'user_reactivate' : 'user_deactivate',
			entity: 'user',
			entityId: user.id,
			outletId: user.outletId,
			details: revokedDevices.length ? { revokedDevices } : undefined
		});
	});
}

export async function resetPassword(db: Db, actor: SessionUser, id: string, password: string): Promise<void> {
	const user = await requireUser(db, id);
	const passwordHash = await hashPassword(password);
	await db.transaction().execute(async (trx) => {
		// Also clears a login lock and ends every session of the user.
		await setPasswordHash(trx, user.id, passwordHash);
		await recordAudit(trx, { actorId: actor.id, action: 'user_password_reset', entity: 'user', entityId: user.id, outletId: user.outletId });
	});
}
