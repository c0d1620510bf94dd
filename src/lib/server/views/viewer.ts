import type { Viewer, ResidentScope } from '$lib/domain/privacy';
import type { SessionUser } from '$lib/server/auth/types';

/** The privacy module's view of the signed-in user. */
export function viewerOf(user: SessionUser): Viewer {
	return { role: user.role, userId: user.id, outletId: user.outletId, communityId: user.communityId };
}

export function scopeOf(req: { communityId: string; outletId: string; scheduledVisit?: { leadStaffId: string; secondStaffId: string } | null }): ResidentScope {
	const v = req.scheduledVisit;
	return { communityId: req.communityId, outletId: req.outletId, assignedStaffIds: v ? [v.leadStaffId, v.secondStaffId] : [] };
}
