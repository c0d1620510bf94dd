/*
 * A real S3-protocol server (s3rver, storing in a temporary folder) on loopback, on a free
 * port, for the S3 photo storage tests. Not a mock: the SDK speaks HTTP, signs requests and
 * parses XML answers exactly as it does against a production object store.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import type { AppConfig } from '$lib/server/config';

export interface TestS3 {
	config: AppConfig['s3'];
	stop(): Promise<void>;
}

export async function startTestS3(bucket = 'doorstep-photos'): Promise<TestS3> {
	const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'doorstep-s3-'));
	const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
	const { port } = await server.run();
	return {
		// s3rver's fixed development credentials.
		config: { endpoint: `http://127.0.0.1:${port}`, bucket, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true },
		async stop() {
			await server.close();
			fs.rmSync(directory, { recursive: true, force: true });
		}
	};
}
