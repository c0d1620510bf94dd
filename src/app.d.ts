/// <reference types="vite-plugin-pwa/client" />
import type { SessionUser } from '$lib/server/auth/types';

declare global {
	namespace App {
		interface Locals {
			user: SessionUser | null;
			sessionId: string | null;
		}
		interface Error {
			message: string;
		}
	}
}

export {};
