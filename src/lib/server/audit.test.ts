import { describe, expect, it } from 'vitest';
import { scrubDetails } from './audit';

describe('audit details scrubbing', () => {
	it('drops secret keys and masks numbers in text, recursively, but keeps ids intact', () => {
		const visitId = '8ad82a55-e730-4ee5-befd-618482839031';
		const scrubbed = scrubDetails({
			visitId,
			phone: '13912345678',
			idNumber: '33010919450312002X',
			passwordHash: '$argon2id$…',
			note: '家属电话 15857112345',
			changes: [{ field: 'address', to: '身份证 33010919450312002X 已核对' }]
		});
		expect(scrubbed).toEqual({ visitId, note: '家属电话 [phone]', changes: [{ field: 'address', to: '身份证 [id] 已核对' }] });
	});
});
