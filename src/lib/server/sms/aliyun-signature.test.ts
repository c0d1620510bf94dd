import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aliyunParams } from './aliyun';
import { canonicalQuery, percentEncode, rpcSignature, rpcTimestamp, stringToSign } from './aliyun-signature';

describe('Alibaba Cloud RPC signature v1.0', () => {
	it('percent-encodes as the documentation says: unreserved kept, space %20, * %2A, ~ kept, UTF-8 bytes', () => {
		expect(percentEncode('AZaz09-_.~')).toBe('AZaz09-_.~');
		expect(percentEncode('a b*c+d/e=f&g')).toBe('a%20b%2Ac%2Bd%2Fe%3Df%26g');
		expect(percentEncode("!'()")).toBe('%21%27%28%29');
		expect(percentEncode('工行')).toBe('%E5%B7%A5%E8%A1%8C');
		expect(percentEncode('{"a":"1"}')).toBe('%7B%22a%22%3A%221%22%7D');
	});

	it('sorts the parameters, leaves Signature out, and signs METHOD&%2F&encoded with secret + "&"', () => {
		const params = { b: '2', A: 'x y', Signature: 'ignored', a: '1' };
		expect(canonicalQuery(params)).toBe('A=x%20y&a=1&b=2');
		expect(stringToSign('post', params)).toBe('POST&%2F&A%3Dx%2520y%26a%3D1%26b%3D2');
		const expected = createHmac('sha1', 'secret&').update('POST&%2F&A%3Dx%2520y%26a%3D1%26b%3D2').digest('base64');
		expect(rpcSignature('POST', params, 'secret')).toBe(expected);
	});

	it('builds SendSms with the fixed parameters and a second-precision UTC timestamp', () => {
		const now = new Date('2026-12-07T02:03:04.567Z');
		expect(rpcTimestamp(now)).toBe('2026-12-07T02:03:04Z');
		const p = aliyunParams({ endpoint: 'http://x', accessKeyId: 'id', accessKeySecret: 's', signName: '工商银行', regionId: 'cn-hangzhou' }, { phone: '13800001111', templateCode: 'SMS_1', params: { time: '10:20' }, outId: 'k' }, now, 'nonce-1');
		expect(p).toMatchObject({ Action: 'SendSms', Version: '2017-05-25', SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0', SignatureNonce: 'nonce-1', Format: 'JSON', TemplateParam: '{"time":"10:20"}', Timestamp: '2026-12-07T02:03:04Z' });
		const { Signature, ...rest } = p;
		expect(Signature).toBe(rpcSignature('POST', rest, 's'));
	});
});
