/*
 * Alibaba Cloud RPC signature, version 1.0 (HMAC-SHA1), as Alibaba Cloud's "Signature mechanism"
 * page for RPC APIs specifies (help.aliyun.com; SendSms: help.aliyun.com/document_detail/55284):
 *  1. every parameter except `Signature`, sorted by name (byte order);
 *  2. name and value percent-encoded as UTF-8: A–Z a–z 0–9 `-` `_` `.` `~` stay, everything
 *     else `%XY` (upper-case hex), a space `%20` (not `+`) — i.e. encodeURIComponent plus
 *     `! ' ( ) *` encoded;
 *  3. `name=value` joined by `&`: the canonicalized query string;
 *  4. StringToSign = METHOD & percentEncode("/") & percentEncode(canonicalized);
 *  5. Signature = Base64(HMAC-SHA1(key = AccessKeySecret + "&", StringToSign)).
 * Shared by the client (sms/aliyun.ts) and the tests' stand-in server, which recomputes it.
 */
import { createHmac } from 'node:crypto';

export function percentEncode(value: string): string {
	return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function canonicalQuery(params: Record<string, string>): string {
	return Object.keys(params)
		.filter((k) => k !== 'Signature')
		.sort()
		.map((k) => `${percentEncode(k)}=${percentEncode(params[k])}`)
		.join('&');
}

export function stringToSign(method: string, params: Record<string, string>): string {
	return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonicalQuery(params))}`;
}

export function rpcSignature(method: string, params: Record<string, string>, accessKeySecret: string): string {
	return createHmac('sha1', `${accessKeySecret}&`).update(stringToSign(method, params), 'utf8').digest('base64');
}

/** `2026-12-07T12:00:00Z`: ISO 8601 in UTC without milliseconds, as the API wants. */
export function rpcTimestamp(now: Date): string {
	return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
