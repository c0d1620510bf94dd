/*
 * The tablet's own re-plans, one per user and day, kept in memory for the session: they are a
 * suggestion for the team, never sent to the server and never replacing the head's published
 * plan. In memory on purpose: a stale suggestion must not survive a restart of the app (the
 * published plan is what a fresh start shows), and sign-out leaves nothing behind.
 */
import type { LocalPlan } from './replan-input';

class LocalPlans {
	private plans = $state<Record<string, LocalPlan>>({});

	private key(userId: string, date: string) {
		return `${userId}|${date}`;
	}

	get(userId: string | undefined, date: string): LocalPlan | null {
		return userId ? (this.plans[this.key(userId, date)] ?? null) : null;
	}

	set(userId: string, plan: LocalPlan): void {
		this.plans = { ...this.plans, [this.key(userId, plan.date)]: plan };
	}

	clear(userId: string | undefined, date: string): void {
		if (!userId) return;
		const { [this.key(userId, date)]: _, ...rest } = this.plans;
		this.plans = rest;
	}
}

export const localPlans = new LocalPlans();
