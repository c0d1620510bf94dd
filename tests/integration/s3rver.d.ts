// s3rver ships no types; only what tests/integration/s3-server.ts uses.
declare module 's3rver' {
	interface S3rverOptions {
		address?: string;
		port?: number;
		silent?: boolean;
		directory?: string;
		resetOnClose?: boolean;
		configureBuckets?: { name: string; configs?: unknown[] }[];
	}
	export default class S3rver {
		constructor(options?: S3rverOptions);
		run(): Promise<{ address: string; port: number }>;
		close(): Promise<void>;
	}
}
