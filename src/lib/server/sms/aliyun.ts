/*
 * Alibaba Cloud SMS (dysmsapi, API version 2017-05-25), action SendSms: a signed RPC request
 * (./aliyun-signature.ts) with PhoneNumbers, SignName, TemplateCode, TemplateParam (JSON) and
 * OutId, sent as a form POST. The answer is JSON `{ Code, Message, BizId, RequestId }`; `Code`
 * `OK` means accepted. Throttling and server errors are retried; other codes are permanent
 * (a wrong template or signature will not heal by itself).
 */
import { randomUUID } from 'node:crypto';
import { percentEncode, rpcSignature, rpcTimestamp } from './aliyun-signature';
import type { SmsMessage, SmsProvider, SmsResult } from './provider';

export interface AliyunSmsConfig {
	/** e.g. `https://dysmsapi.aliyuncs.com` (tests: the stand-in on loopback). */
	endpoint: string;
	accessKeyId: string;
	accessKeySecret: string;
	signName: string;
	regionId: string;
	timeoutMs?: number;
}

const RETRY_CODES = new Set(['isv.BUSINESS_LIMIT_CONTROL', 'Throttling', 'Throttling.User', 'ServiceUnavailable', 'InternalError', 'isp.SYSTEM_ERROR']);

export function aliyunParams(cfg: AliyunSmsConfig, m: SmsMessage, now: Date, nonce: string): Record<string, string> {
	const params: Record<string, string> = {
		AccessKeyId: cfg.accessKeyId,
		Action: 'SendSms',
		Format: 'JSON',
		OutId: m.outId.slice(0, 256),
		PhoneNumbers: m.phone,
		RegionId: cfg.regionId,
		SignName: cfg.signName,
		SignatureMethod: 'HMAC-SHA1',
		SignatureNonce: nonce,
		SignatureVersion: '1.0',
		TemplateCode: m.templateCode,
		TemplateParam: JSON.stringify(m.params),
		Timestamp: rpcTimestamp(now),
		Version: '2017-05-25'
	};
	return { ...params, Signature: rpcSignature('POST', params, cfg.accessKeySecret) };
}

export function aliyunSmsProvider(cfg: AliyunSmsConfig, clock: () => Date = () => new Date()): SmsProvider {
	return {
		name: 'aliyun',
		async send(m: SmsMessage): Promise<SmsResult> {
			const params = aliyunParams(cfg, m, clock(), randomUUID());
			const body = Object.entries(params)
				.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
				.join('&');
			let response: Response;
			try {
				response = await fetch(`${cfg.endpoint.replace(/\/+$/, '')}/`, {
					method: 'POST',
					headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
					body,
					signal: AbortSignal.timeout(cfg.timeoutMs ?? 10_000)
				});
			} catch (err) {
				return { ok: false, code: err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'network', retry: true };
			}
			const answer = (await response.json().catch(() => null)) as { Code?: unknown; BizId?: unknown } | null;
			const code = typeof answer?.Code === 'string' ? answer.Code.slice(0, 80) : `http_${response.status}`;
			if (response.ok && code === 'OK') return { ok: true, providerRef: typeof answer?.BizId === 'string' ? answer.BizId.slice(0, 80) : null };
			return { ok: false, code, retry: response.status >= 500 || response.status === 429 || RETRY_CODES.has(code) };
		}
	};
}
