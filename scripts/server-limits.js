// Time and size bounds of the HTTP server itself, set by scripts/start.js and the e2e server
// right after the import (before any request): a client that sends its head or body slowly,
// or too many header lines, is cut off instead of holding the process. The head (request line
// and headers) is already capped at Node's 16 KB (`--max-http-header-size`), bodies at
// BODY_SIZE_LIMIT and each route's own limit.
export const SERVER_LIMITS = {
	headersTimeoutMs: 30_000,
	// A photo (1 MB) or sync push (5 MB) over a slow mobile link still fits.
	requestTimeoutMs: 300_000,
	maxHeadersCount: 100,
	keepAliveTimeoutMs: 5_000
};

/** @param {import('node:http').Server} server */
export function boundServer(server) {
	server.headersTimeout = SERVER_LIMITS.headersTimeoutMs;
	server.requestTimeout = SERVER_LIMITS.requestTimeoutMs;
	server.maxHeadersCount = SERVER_LIMITS.maxHeadersCount;
	server.keepAliveTimeout = SERVER_LIMITS.keepAliveTimeoutMs;
}
